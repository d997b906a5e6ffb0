// cuda_emu.h: just enough CUDA to run gpuflow's kernels on the CPU (device "cuda-emu").
//
// g++ -std=c++20 compiles the very same .cu file with this header force-included
// (-include cuda_emu.h). Each CUDA thread of a block is one std::thread; blocks run one
// after another, and the same threads are reused from block to block (a barrier between
// blocks keeps them in step), so `__shared__` can simply be `static`. See README.md for
// the supported subset. Never included by NVRTC/nvcc.
#pragma once
#define GPUFLOW_CUDA_EMU 1

#include <algorithm>
#include <atomic>
#include <barrier>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <thread>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

struct dim3 {
  unsigned x, y, z;
  constexpr dim3(unsigned x_ = 1, unsigned y_ = 1, unsigned z_ = 1) : x(x_), y(y_), z(z_) {}
};
struct uint3 {
  unsigned x, y, z;
};

namespace gpuflow_emu {
inline thread_local uint3 thread_idx{0, 0, 0};
inline thread_local uint3 block_idx{0, 0, 0};
// Same for every thread of a launch; a launch holds launch_mutex, so one launch at a time.
inline dim3 block_dim;
inline dim3 grid_dim;
inline std::barrier<>* block_barrier = nullptr;
inline std::mutex launch_mutex;
}  // namespace gpuflow_emu

#define threadIdx (::gpuflow_emu::thread_idx)
#define blockIdx (::gpuflow_emu::block_idx)
#define blockDim (::gpuflow_emu::block_dim)
#define gridDim (::gpuflow_emu::grid_dim)

// Kernel-scan builds (-DGPUFLOW_EMU_SCAN, preprocessing only) keep a marker on every
// __global__ so the Python side can list kernel names after macro expansion.
#ifdef GPUFLOW_EMU_SCAN
#define __global__ GPUFLOW_KERNEL_MARK
#else
#define __global__
#endif
#define __device__
#define __host__
#define __forceinline__ inline
#define __shared__ static
#define __restrict__ __restrict
#define __launch_bounds__(...)

// CUDA's device code has min/max overloads at global scope.
using std::max;
using std::min;

inline void __syncthreads() { gpuflow_emu::block_barrier->arrive_and_wait(); }
inline void __threadfence() { std::atomic_thread_fence(std::memory_order_seq_cst); }

template <class T>
inline T atomicAdd(T* address, T value) {
  return std::atomic_ref<T>(*address).fetch_add(value);
}

// ---- __half: IEEE binary16 storage, arithmetic through float (as cuda_fp16.h does) ----
struct __half {
  unsigned short bits;
};
static_assert(sizeof(__half) == 2, "__half must match numpy.float16's layout");

inline float __half2float(__half h) {
  const uint32_t sign = (uint32_t)(h.bits & 0x8000u) << 16;
  uint32_t exp = (h.bits >> 10) & 0x1Fu;
  uint32_t mant = h.bits & 0x3FFu;
  uint32_t out;
  if (exp == 0x1F) {
    out = sign | 0x7F800000u | (mant << 13);  // inf / nan
  } else if (exp != 0) {
    out = sign | ((exp + 112u) << 23) | (mant << 13);
  } else if (mant == 0) {
    out = sign;  // +-0
  } else {  // subnormal half -> normal float
    int e = -1;
    do { ++e; mant <<= 1; } while ((mant & 0x400u) == 0);
    out = sign | ((uint32_t)(112 - e) << 23) | ((mant & 0x3FFu) << 13);
  }
  float f;
  std::memcpy(&f, &out, 4);
  return f;
}

inline __half __float2half_rn(float f) {  // round to nearest even, like cvt.rn.f16.f32
  uint32_t x;
  std::memcpy(&x, &f, 4);
  const unsigned short sign = (unsigned short)((x >> 16) & 0x8000u);
  const uint32_t absx = x & 0x7FFFFFFFu;
  if (absx >= 0x7F800000u)  // inf / nan
    return {(unsigned short)(sign | 0x7C00u | (absx > 0x7F800000u ? 0x200u : 0u))};
  if (absx >= 0x477FF000u) return {(unsigned short)(sign | 0x7C00u)};  // rounds to inf
  if (absx < 0x33000001u) return {sign};                               // rounds to 0
  int exp = (int)(absx >> 23);
  uint32_t mant = (absx & 0x7FFFFFu) | 0x800000u;
  int shift = exp < 113 ? 126 - exp : 13;  // subnormal halves keep fewer bits
  uint32_t half_mant = mant >> shift;
  uint32_t rest = mant & ((1u << shift) - 1u);
  uint32_t halfway = 1u << (shift - 1);
  if (rest > halfway || (rest == halfway && (half_mant & 1u))) ++half_mant;
  uint32_t bits = exp < 113 ? half_mant : ((uint32_t)(exp - 112) << 10) + (half_mant - 0x400u);
  return {(unsigned short)(sign | bits)};  // a mantissa carry correctly bumps the exponent
}
inline __half __float2half(float f) { return __float2half_rn(f); }

// ---- __dp4a (sm_61+): four signed byte products of a and b, added to c (int8_dense.cu) ----
// Byte i of each int is bits 8i..8i+7, as on the GPU (both little-endian).
inline int __dp4a(int a, int b, int c) {
  for (int i = 0; i < 4; ++i)
    c += (int)(signed char)((unsigned)a >> (8 * i)) * (int)(signed char)((unsigned)b >> (8 * i));
  return c;
}

namespace gpuflow_emu {

// Runs `body` once per CUDA thread of every block, blocks in order (z, y, x).
template <class Body>
void launch(dim3 grid, dim3 block, Body&& body) {
  std::lock_guard<std::mutex> lock(launch_mutex);
  const unsigned nthreads = block.x * block.y * block.z;
  std::barrier<> barrier((std::ptrdiff_t)nthreads);
  block_dim = block;
  grid_dim = grid;
  block_barrier = &barrier;
  auto worker = [&](unsigned t) {
    thread_idx = {t % block.x, (t / block.x) % block.y, t / (block.x * block.y)};
    for (unsigned bz = 0; bz < grid.z; ++bz)
      for (unsigned by = 0; by < grid.y; ++by)
        for (unsigned bx = 0; bx < grid.x; ++bx) {
          block_idx = {bx, by, bz};
          body();
          // No thread starts the next block (and overwrites static __shared__) before all finished.
          barrier.arrive_and_wait();
        }
  };
  std::vector<std::thread> threads;
  threads.reserve(nthreads);
  for (unsigned t = 0; t < nthreads; ++t) threads.emplace_back(worker, t);
  for (auto& th : threads) th.join();
  block_barrier = nullptr;
}

// Calls kernel `k` with its arguments read from `args` (args[i] points at argument i,
// as in cuLaunchKernel), so launch wrappers need only the kernel's name.
template <class... P, std::size_t... I>
void call_with_args(void (*k)(P...), void** args, std::index_sequence<I...>) {
  k(*static_cast<std::remove_cv_t<std::remove_reference_t<P>>*>(args[I])...);
}

template <class... P>
void launch_kernel(void (*k)(P...), const unsigned* grid_block, void** args) {
  launch(dim3(grid_block[0], grid_block[1], grid_block[2]),
         dim3(grid_block[3], grid_block[4], grid_block[5]),
         [&] { call_with_args(k, args, std::index_sequence_for<P...>{}); });
}

template <class... P>
constexpr int kernel_arity(void (*)(P...)) { return (int)sizeof...(P); }

}  // namespace gpuflow_emu

// One exported launcher and one arity query per extern "C" kernel; emu.py appends
// a GPUFLOW_EMU_EXPORT(name) line for each kernel it found in the source.
#define GPUFLOW_EMU_EXPORT(name)                                                       \
  extern "C" void gpuflow_launch_##name(const unsigned* grid_block, void** args) {   \
    gpuflow_emu::launch_kernel(&name, grid_block, args);                              \
  }                                                                                   \
  extern "C" int gpuflow_arity_##name() { return gpuflow_emu::kernel_arity(&name); }

// ---- nvcuda::wmma, m16n16k16 (__half inputs, float accumulators): the fused float16 GEMM ----
// On a GPU a fragment is spread over a warp's 32 lanes; here every lane holds the whole 16x16
// tile and computes it (redundantly, identically). store_matrix_sync writes from lane 0 only,
// so kernels must __syncthreads() before reading stored tiles (gpuflow's do).
namespace nvcuda {
namespace wmma {
struct matrix_a {};
struct matrix_b {};
struct accumulator {};
struct row_major {};
struct col_major {};
enum layout_t { mem_row_major, mem_col_major };
template <class Use, int M, int N, int K, class T, class Layout = void>
struct fragment {
  static_assert(M == 16 && N == 16 && K == 16, "cuda-emu emulates m16n16k16 fragments only");
  static constexpr int num_elements = 256;
  T x[256];  // row-major 16x16 (rows of A, of B's k, of the accumulator)
};
template <class Use, class T, class L>
inline void fill_fragment(fragment<Use, 16, 16, 16, T, L>& f, T v) {
  for (auto& e : f.x) e = v;
}
template <class Use, class T, class L>
inline void load_matrix_sync(fragment<Use, 16, 16, 16, T, L>& f, const T* p, unsigned ldm) {
  constexpr bool col = std::is_same_v<L, col_major>;
  for (int r = 0; r < 16; ++r)
    for (int c = 0; c < 16; ++c) f.x[r * 16 + c] = col ? p[c * ldm + r] : p[r * ldm + c];
}
template <class LA, class LB>
inline void mma_sync(fragment<accumulator, 16, 16, 16, float>& d,
                     const fragment<matrix_a, 16, 16, 16, __half, LA>& a,
                     const fragment<matrix_b, 16, 16, 16, __half, LB>& b,
                     const fragment<accumulator, 16, 16, 16, float>& c) {
  float out[256];
  for (int i = 0; i < 16; ++i)
    for (int j = 0; j < 16; ++j) {
      float s = c.x[i * 16 + j];
      for (int k = 0; k < 16; ++k)
        s += __half2float(a.x[i * 16 + k]) * __half2float(b.x[k * 16 + j]);
      out[i * 16 + j] = s;
    }
  std::memcpy(d.x, out, sizeof out);  // d may alias c
}
inline void store_matrix_sync(float* p, const fragment<accumulator, 16, 16, 16, float>& f,
                              unsigned ldm, layout_t layout) {
  const unsigned lane = (threadIdx.x + blockDim.x * (threadIdx.y + blockDim.y * threadIdx.z)) % 32;
  if (lane != 0) return;
  for (int r = 0; r < 16; ++r)
    for (int c = 0; c < 16; ++c)
      (layout == mem_row_major ? p[r * ldm + c] : p[c * ldm + r]) = f.x[r * 16 + c];
}
}  // namespace wmma
}  // namespace nvcuda

// ---- vector types (16-byte loads and stores) and __align__ ----
struct alignas(16) float4 { float x, y, z, w; };
struct alignas(8) float2 { float x, y; };
struct alignas(16) double2 { double x, y; };
struct alignas(16) uint4 { unsigned x, y, z, w; };
#define __align__(n) __attribute__((aligned(n)))
