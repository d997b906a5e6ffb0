// gemm_tiles.cuh: moving GEMM tiles from global to shared memory, for fused_dense.cu.
//
// A tile is OUTER lines of INNER contiguous elements in global memory: element (o, n) at
// base[o * ld + n], valid while o < o_lim and n < n_lim. Each thread moves whole packs of
// V = 16 / sizeof(T) elements (float4 / double2 / 8 halves as uint4) with one 16-byte load
// when the tile is aligned (base 16-byte aligned, ld a multiple of V) and the pack is in
// bounds; otherwise element by element with bounds checks (the fallback for odd shapes).
// Masked loads zero an element where mask (same layout) is not > 0: the ReLU backward mask.
// Offsets inside a tile are 32-bit (the host checks ld * lines < 2^31); the tile's base
// pointer moves in 64-bit once per k-step.
#ifndef GPUFLOW_GEMM_TILES_CUH
#define GPUFLOW_GEMM_TILES_CUH

template <class T> struct Pack;
template <> struct Pack<float> { typedef float4 type; };
template <> struct Pack<double> { typedef double2 type; };
template <> struct Pack<__half> { typedef uint4 type; };

template <class T, int OUTER, int INNER, int NT>
struct TileLoader {
  static constexpr int V = 16 / sizeof(T);
  static constexpr int PACKS = OUTER * INNER / V;
  static constexpr int PER_THREAD = (PACKS + NT - 1) / NT;
  static_assert(INNER % V == 0, "a tile line must hold whole 16-byte packs");
  __align__(16) T r[PER_THREAD][V];

  // Reads the tile into registers (zeros outside the bounds or under the mask).
  __device__ __forceinline__ void load(const T* __restrict__ base, const T* __restrict__ mask,
                                       int ld, int o_lim, int n_lim, int tid) {
    typedef typename Pack<T>::type P;
    const bool vec = ((size_t)base % 16 == 0) && (ld % V == 0) &&
                     (mask == nullptr || (size_t)mask % 16 == 0);
#pragma unroll
    for (int p = 0; p < PER_THREAD; ++p) {
      const int pk = tid + p * NT;
      if (PACKS % NT != 0 && pk >= PACKS) break;
      const int o = pk / (INNER / V);
      const int n = (pk % (INNER / V)) * V;
      const int off = o * ld + n;
      if (vec && o < o_lim && n + V <= n_lim) {
        *reinterpret_cast<P*>(r[p]) = *reinterpret_cast<const P*>(base + off);
        if (mask != nullptr) {
          __align__(16) T m[V];
          *reinterpret_cast<P*>(m) = *reinterpret_cast<const P*>(mask + off);
#pragma unroll
          for (int v = 0; v < V; ++v)
            if (!(to_acc(m[v]) > 0)) r[p][v] = zero_of<T>();
        }
      } else {
#pragma unroll
        for (int v = 0; v < V; ++v) {
          T x = zero_of<T>();
          if (o < o_lim && n + v < n_lim) {
            x = base[off + v];
            if (mask != nullptr && !(to_acc(mask[off + v]) > 0)) x = zero_of<T>();
          }
          r[p][v] = x;
        }
      }
    }
  }

  // Writes the registers to shared memory: element (o, n) goes to smem[o * so + n * sn].
  template <class S>
  __device__ __forceinline__ void store(S* smem, int so, int sn, int tid) const {
#pragma unroll
    for (int p = 0; p < PER_THREAD; ++p) {
      const int pk = tid + p * NT;
      if (PACKS % NT != 0 && pk >= PACKS) break;
      const int o = pk / (INNER / V);
      const int n = (pk % (INNER / V)) * V;
#pragma unroll
      for (int v = 0; v < V; ++v) put(&smem[o * so + (n + v) * sn], r[p][v]);
    }
  }
};

#endif  // GPUFLOW_GEMM_TILES_CUH
