// fused_dense.cu: out = act(A @ B + bias) and the pieces of its backward pass.
//
// One tiled GEMM template per arithmetic serves forward and backward:
//   forward  out[M,N] = relu?(x[M,K] @ w[K,N] + b)      gemm_nn  (mask none)
//   dX[M,K]  = (g * (out > 0)) @ w^T                     gemm_nt  (mask on A)
//   dW[K,N]  = x^T @ (g * (out > 0))                     gemm_tn  (mask on B)
//   db[N]    = sum_rows(g * (out > 0))                   bias_grad
// The ReLU mask is read while a tile is loaded, so no masked copy of g is ever written.
// float32/float64 (gemm_simt_body): each block computes a BM x BN tile of C from BK-deep
// slices of A and B staged in double-buffered shared memory (the next slice's global loads,
// 16-byte vectors where aligned, are in flight while the current one is multiplied); each
// thread accumulates a TM x TN register tile read from shared memory in 16-byte vectors.
// float16 (gemm_wmma_body): the same staging into half tiles, multiplied on the tensor cores
// by WMMA m16n16k16 with float accumulation. M tiles run along grid.x (2^31 - 1 blocks),
// N tiles along grid.y, split-K slices along grid.z. Tile shapes are mirrored in
// gpuflow/backend/kernel_ops.py (GEMM_TILES, GEMM_THREADS).
#include "common.cuh"
#include "gemm_tiles.cuh"
#include "wmma16.cuh"

// Vector of N elements of T for shared-memory reads and global stores (N = 1, 2 or 4).
template <class T, int N> struct VecOf;
template <> struct VecOf<float, 1> { typedef float type; };
template <> struct VecOf<float, 2> { typedef float2 type; };
template <> struct VecOf<float, 4> { typedef float4 type; };
template <> struct VecOf<double, 1> { typedef double type; };
template <> struct VecOf<double, 2> { typedef double2 type; };

// The k-step loop both bodies share: double-buffered tiles, one __syncthreads a step.
// LA/LB: TileLoaders; stage(buf) writes the loaders' registers to buffer buf; step(buf)
// multiplies buffer buf. The A and B tiles' base pointers move in 64-bit once a step.
template <bool TA, bool TB, int BM, int BN, int BK, class T, class LA, class LB, class Stage,
          class Step>
__device__ __forceinline__ void gemm_k_loop(const T* A, const T* B, const T* maskA,
                                            const T* maskB, int M, int N, int K, int row0,
                                            int col0, int kb, int ke, LA& la, LB& lb,
                                            Stage stage, Step step) {
  const int tid = threadIdx.x;
  auto load = [&](int k0) {
    if (TA) {  // A stored [K, M]: lines are k, contiguous along i
      const size_t o = (size_t)k0 * M + row0;
      la.load(A + o, maskA ? maskA + o : nullptr, M, ke - k0, M - row0, tid);
    } else {  // A stored [M, K]: lines are i, contiguous along k
      const size_t o = (size_t)row0 * K + k0;
      la.load(A + o, maskA ? maskA + o : nullptr, K, M - row0, ke - k0, tid);
    }
    if (TB) {  // B stored [N, K]: lines are j, contiguous along k
      const size_t o = (size_t)col0 * K + k0;
      lb.load(B + o, maskB ? maskB + o : nullptr, K, N - col0, ke - k0, tid);
    } else {  // B stored [K, N]: lines are k, contiguous along j
      const size_t o = (size_t)k0 * N + col0;
      lb.load(B + o, maskB ? maskB + o : nullptr, N, ke - k0, N - col0, tid);
    }
  };
  if (kb >= ke) return;
  load(kb);
  stage(0);
  __syncthreads();
  int buf = 0;
  for (int k0 = kb; k0 < ke; k0 += BK) {
    const bool next = k0 + BK < ke;
    if (next) load(k0 + BK);  // global loads in flight during this step's math
    step(buf);
    if (next) stage(buf ^ 1);  // the other buffer: nobody reads it until the barrier
    __syncthreads();
    buf ^= 1;
  }
}

template <class T, class OutT, int BM, int BN, int BK, int TM, int TN, bool TA, bool TB>
__device__ __forceinline__ void gemm_simt_body(const T* __restrict__ A, const T* __restrict__ B,
                                               OutT* __restrict__ C, const T* __restrict__ maskA,
                                               const T* __restrict__ maskB,
                                               const T* __restrict__ bias, int relu, int M, int N,
                                               int K, int kchunk) {
  constexpr int TX = BN / TN, TY = BM / TM, NT = TX * TY;
  constexpr int VR = 16 / sizeof(T);  // elements in a 16-byte vector
  constexpr int RM = TM < VR ? TM : VR, RN = TN < VR ? TN : VR;  // vector widths of reads
  constexpr int GM = TM / RM, GN = TN / RN;  // vector groups per thread, BM / GM apart
  constexpr int PAD = 4;  // keeps rows 16-byte aligned and spreads transposing stores
  typedef typename VecOf<T, RM>::type VM;
  typedef typename VecOf<T, RN>::type VN;
  __shared__ __align__(16) T As[2][BK][BM + PAD];
  __shared__ __align__(16) T Bs[2][BK][BN + PAD];

  const int tid = threadIdx.x, tx = tid % TX, ty = tid / TX;
  const int row0 = blockIdx.x * BM, col0 = blockIdx.y * BN;
  const int kb = blockIdx.z * kchunk, ke = min(K, kb + kchunk);
  C += (size_t)blockIdx.z * M * N;  // split-K: slice z of the partials

  TileLoader<T, TA ? BK : BM, TA ? BM : BK, NT> la;
  TileLoader<T, TB ? BN : BK, TB ? BK : BN, NT> lb;
  T acc[TM][TN];
#pragma unroll
  for (int r = 0; r < TM; ++r)
#pragma unroll
    for (int c = 0; c < TN; ++c) acc[r][c] = 0;

  auto stage = [&](int buf) {  // As[k][i], Bs[k][j]
    if (TA) la.store(&As[buf][0][0], BM + PAD, 1, tid);
    else la.store(&As[buf][0][0], 1, BM + PAD, tid);
    if (TB) lb.store(&Bs[buf][0][0], 1, BN + PAD, tid);
    else lb.store(&Bs[buf][0][0], BN + PAD, 1, tid);
  };
  auto step = [&](int buf) {
#pragma unroll
    for (int k = 0; k < BK; ++k) {
      __align__(16) T a[TM];
      __align__(16) T b[TN];
#pragma unroll
      for (int g = 0; g < GM; ++g)
        *reinterpret_cast<VM*>(&a[g * RM]) =
            *reinterpret_cast<const VM*>(&As[buf][k][g * (BM / GM) + ty * RM]);
#pragma unroll
      for (int g = 0; g < GN; ++g)
        *reinterpret_cast<VN*>(&b[g * RN]) =
            *reinterpret_cast<const VN*>(&Bs[buf][k][g * (BN / GN) + tx * RN]);
#pragma unroll
      for (int r = 0; r < TM; ++r)
#pragma unroll
        for (int c = 0; c < TN; ++c) acc[r][c] += a[r] * b[c];
    }
  };
  gemm_k_loop<TA, TB, BM, BN, BK>(A, B, maskA, maskB, M, N, K, row0, col0, kb, ke, la, lb,
                                  stage, step);

  // Epilogue: bias, ReLU (NaN stays NaN, as numpy.maximum), 16-byte stores where aligned.
  const bool vec_out = (N % RN == 0) && ((size_t)C % 16 == 0);
#pragma unroll
  for (int r = 0; r < TM; ++r) {
    const int i = row0 + (r / RM) * (BM / GM) + ty * RM + r % RM;
    if (i >= M) continue;
    OutT* crow = C + (size_t)i * N;
#pragma unroll
    for (int g = 0; g < GN; ++g) {
      const int j0 = col0 + g * (BN / GN) + tx * RN;
      __align__(16) OutT v[RN];
#pragma unroll
      for (int c = 0; c < RN; ++c) {
        T x = acc[r][g * RN + c];
        if (bias != nullptr && j0 + c < N) x += bias[j0 + c];
        if (relu && x < 0) x = 0;
        v[c] = x;
      }
      if (vec_out && j0 + RN <= N) {
        *reinterpret_cast<VN*>(crow + j0) = *reinterpret_cast<const VN*>(v);
      } else {
#pragma unroll
        for (int c = 0; c < RN; ++c)
          if (j0 + c < N) crow[j0 + c] = v[c];
      }
    }
  }
}

// float16 on the tensor cores: WM x WN warps, each an (BM/WM) x (BN/WN) patch of 16x16
// WMMA fragments, float accumulators staged through shared memory for the epilogue.
template <class OutT, int BM, int BN, int BK, int WM, int WN, bool TA, bool TB>
__device__ __forceinline__ void gemm_wmma_body(const __half* __restrict__ A,
                                               const __half* __restrict__ B,
                                               OutT* __restrict__ C,
                                               const __half* __restrict__ maskA,
                                               const __half* __restrict__ maskB,
                                               const __half* __restrict__ bias, int relu, int M,
                                               int N, int K, int kchunk) {
  using namespace nvcuda;
  constexpr int NT = WM * WN * 32;
  constexpr int FM = BM / WM / 16, FN = BN / WN / 16;  // fragments per warp
  constexpr int LDA = BK + 8, LDB = BN + 8, LDC = BN + 4;  // WMMA: multiples of 16 bytes
  __shared__ __align__(32) __half As[2][BM][LDA];
  __shared__ __align__(32) __half Bs[2][BK][LDB];
  __shared__ __align__(32) float Cs[BM][LDC];

  const int tid = threadIdx.x, warp = tid / 32, wm = warp / WN, wn = warp % WN;
  const int row0 = blockIdx.x * BM, col0 = blockIdx.y * BN;
  const int kb = blockIdx.z * kchunk, ke = min(K, kb + kchunk);
  C += (size_t)blockIdx.z * M * N;

  TileLoader<__half, TA ? BK : BM, TA ? BM : BK, NT> la;
  TileLoader<__half, TB ? BN : BK, TB ? BK : BN, NT> lb;
  wmma::fragment<wmma::accumulator, 16, 16, 16, float> acc[FM][FN];
#pragma unroll
  for (int a = 0; a < FM; ++a)
#pragma unroll
    for (int b = 0; b < FN; ++b) wmma::fill_fragment(acc[a][b], 0.0f);

  auto stage = [&](int buf) {  // As[i][k], Bs[k][j]: row-major WMMA operands
    if (TA) la.store(&As[buf][0][0], 1, LDA, tid);
    else la.store(&As[buf][0][0], LDA, 1, tid);
    if (TB) lb.store(&Bs[buf][0][0], 1, LDB, tid);
    else lb.store(&Bs[buf][0][0], LDB, 1, tid);
  };
  auto step = [&](int buf) {
#pragma unroll
    for (int kk = 0; kk < BK; kk += 16) {
      wmma::fragment<wmma::matrix_a, 16, 16, 16, __half, wmma::row_major> fa[FM];
      wmma::fragment<wmma::matrix_b, 16, 16, 16, __half, wmma::row_major> fb[FN];
#pragma unroll
      for (int a = 0; a < FM; ++a)
        wmma::load_matrix_sync(fa[a], &As[buf][(wm * FM + a) * 16][kk], LDA);
#pragma unroll
      for (int b = 0; b < FN; ++b)
        wmma::load_matrix_sync(fb[b], &Bs[buf][kk][(wn * FN + b) * 16], LDB);
#pragma unroll
      for (int a = 0; a < FM; ++a)
#pragma unroll
        for (int b = 0; b < FN; ++b) wmma::mma_sync(acc[a][b], fa[a], fb[b], acc[a][b]);
    }
  };
  gemm_k_loop<TA, TB, BM, BN, BK>(A, B, maskA, maskB, M, N, K, row0, col0, kb, ke, la, lb,
                                  stage, step);

#pragma unroll
  for (int a = 0; a < FM; ++a)
#pragma unroll
    for (int b = 0; b < FN; ++b)
      wmma::store_matrix_sync(&Cs[(wm * FM + a) * 16][(wn * FN + b) * 16], acc[a][b], LDC,
                              wmma::mem_row_major);
  __syncthreads();
  for (int e = tid; e < BM * BN; e += NT) {  // consecutive threads, consecutive columns
    const int i = row0 + e / BN, j = col0 + e % BN;
    if (i < M && j < N) {
      float v = Cs[e / BN][e % BN];
      if (bias != nullptr) v += __half2float(bias[j]);
      if (relu && v < 0) v = 0;  // NaN stays NaN, as numpy.maximum
      store_acc(&C[(size_t)i * N + j], v);
    }
  }
}

#define GPUFLOW_GEMM_SIMT(NAME, T, OutT, BM, BN, BK, TM, TN, TA, TB)                          \
  extern "C" __global__ void __launch_bounds__((BM / TM) * (BN / TN))                         \
      NAME(const T* A, const T* B, OutT* C, const T* maskA, const T* maskB, const T* bias,    \
           int relu, int M, int N, int K, int kchunk) {                                       \
    gemm_simt_body<T, OutT, BM, BN, BK, TM, TN, TA, TB>(A, B, C, maskA, maskB, bias, relu, M, \
                                                        N, K, kchunk);                        \
  }
#define GPUFLOW_GEMM_WMMA(NAME, OutT, BM, BN, BK, WM, WN, TA, TB)                             \
  extern "C" __global__ void __launch_bounds__(WM * WN * 32)                                  \
      NAME(const __half* A, const __half* B, OutT* C, const __half* maskA,                    \
           const __half* maskB, const __half* bias, int relu, int M, int N, int K,            \
           int kchunk) {                                                                      \
    gemm_wmma_body<OutT, BM, BN, BK, WM, WN, TA, TB>(A, B, C, maskA, maskB, bias, relu, M, N, \
                                                     K, kchunk);                              \
  }

// Tile shapes: f32 large 128x128x8 (8x8 a thread, 256 threads), small 32x64x16 (2x4);
// f64 large 64x64x8 (4x4; register budget), small 32x64x16 (2x4); f16 (WMMA) large 64x64x32
// (2x2 warps of 2x2 fragments, 128 threads), small 32x32x32 (2x2 warps of one fragment).
// OutT is the stored type: T, or the accumulator type for split-K partials.
#define GPUFLOW_GEMM_FAMILY(OPS, F16OUT, F32OUT, F64OUT, TA, TB)                              \
  GPUFLOW_GEMM_WMMA(gemm_##OPS##_large_f16, F16OUT, 64, 64, 32, 2, 2, TA, TB)                 \
  GPUFLOW_GEMM_WMMA(gemm_##OPS##_small_f16, F16OUT, 32, 32, 32, 2, 2, TA, TB)                 \
  GPUFLOW_GEMM_SIMT(gemm_##OPS##_large_f32, float, F32OUT, 128, 128, 8, 8, 8, TA, TB)         \
  GPUFLOW_GEMM_SIMT(gemm_##OPS##_small_f32, float, F32OUT, 32, 64, 16, 2, 4, TA, TB)          \
  GPUFLOW_GEMM_SIMT(gemm_##OPS##_large_f64, double, F64OUT, 64, 64, 8, 4, 4, TA, TB)          \
  GPUFLOW_GEMM_SIMT(gemm_##OPS##_small_f64, double, F64OUT, 32, 64, 16, 2, 4, TA, TB)

GPUFLOW_GEMM_FAMILY(nn, __half, float, double, false, false)
GPUFLOW_GEMM_FAMILY(nt, __half, float, double, false, true)
GPUFLOW_GEMM_FAMILY(tn, __half, float, double, true, false)

// Split-K weight gradients: dW = x^T @ g' contracts over batch x space (21,632 rows for the
// lecture CNN's first conv at batch 128) into a tiny [K, N]; one block per output tile would
// leave the GPU idle. gridDim.z splits the contraction, each split writes an acc_t partial
// [K, N] slice, and splitk_reduce sums the slices in a fixed order (deterministic, no atomics).
GPUFLOW_GEMM_FAMILY(tn_split, float, float, double, true, false)

// out[i] = sum over s of parts[s * n + i], s in order: the second pass of every split-K sum.
template <class T>
__device__ __forceinline__ void splitk_reduce_body(const typename Acc<T>::type* __restrict__ parts,
                                                   T* __restrict__ out, int splits, int n) {
  typedef typename Acc<T>::type acc_t;
  for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x) {
    acc_t s = 0;
    for (int z = 0; z < splits; ++z) s += parts[(size_t)z * n + i];
    store_acc(&out[i], s);
  }
}
#define GPUFLOW_SPLITK_REDUCE(NAME, T)                                                        \
  extern "C" __global__ void __launch_bounds__(256)                                         \
      NAME(const Acc<T>::type* parts, T* out, int splits, int n) {                          \
    splitk_reduce_body<T>(parts, out, splits, n);                                           \
  }
GPUFLOW_FOR_DTYPES(GPUFLOW_SPLITK_REDUCE, splitk_reduce)

// db[j] = sum_i g[i, j] * (mask[i, j] > 0); block (32, 8), one column per threadIdx.x,
// rows strided over threadIdx.y, then a fixed-order shared-memory sum: deterministic.
// blockIdx.y splits the rows in chunks of `rchunk` (split-K over the batch and space of a
// conv); split s writes its partial sums to db + s * N, reduced by splitk_reduce.
template <class T, class OutT>
__device__ __forceinline__ void bias_grad_body(const T* __restrict__ g, const T* __restrict__ mask,
                                               OutT* __restrict__ db, int M, int N, int rchunk) {
  typedef typename Acc<T>::type acc_t;
  __shared__ acc_t part[8][33];
  const int tx = threadIdx.x, ty = threadIdx.y;
  const int col = blockIdx.x * 32 + tx;
  const int r0 = blockIdx.y * rchunk;
  const int r1 = min(M, r0 + rchunk);
  db += (size_t)blockIdx.y * N;
  acc_t s = 0;
  if (col < N) {
    for (int r = r0 + ty; r < r1; r += 8) {
      const size_t idx = (size_t)r * N + col;
      acc_t v = to_acc(g[idx]);
      if (mask != nullptr && !(to_acc(mask[idx]) > 0)) v = 0;
      s += v;
    }
  }
  part[ty][tx] = s;
  __syncthreads();
  if (ty == 0 && col < N) {
    acc_t total = 0;
    for (int r = 0; r < 8; ++r) total += part[r][tx];
    store_acc(&db[col], total);
  }
}

#define GPUFLOW_BIAS_GRAD(NAME, T)                                                          \
  extern "C" __global__ void __launch_bounds__(256)                                         \
      NAME(const T* g, const T* mask, T* db, int M, int N, int rchunk) {                    \
    bias_grad_body<T, T>(g, mask, db, M, N, rchunk);                                        \
  }                                                                                         \
  extern "C" __global__ void __launch_bounds__(256)                                         \
      NAME##_split(const T* g, const T* mask, Acc<T>::type* db, int M, int N, int rchunk) { \
    bias_grad_body<T, Acc<T>::type>(g, mask, db, M, N, rchunk);                             \
  }
GPUFLOW_FOR_DTYPES(GPUFLOW_BIAS_GRAD, bias_grad)
