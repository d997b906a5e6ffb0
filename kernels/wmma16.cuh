// wmma16.cuh: the WMMA subset gpuflow's float16 GEMM uses: m16n16k16 tiles, __half inputs in
// row-major fragments, float accumulators (fill_fragment, load_matrix_sync, mma_sync,
// store_matrix_sync). With a CUDA toolkit's headers this is <mma.h>; pip's header wheels
// (nvidia-cuda-runtime) ship mma.h without crt/mma.h, so there the same calls are made on the
// compiler builtins that crt/mma.hpp itself calls. On cuda-emu, cuda_emu.h provides the API.
#ifndef GPUFLOW_WMMA16_CUH
#define GPUFLOW_WMMA16_CUH
#ifndef GPUFLOW_CUDA_EMU
#if __has_include(<crt/mma.h>) && !defined(GPUFLOW_WMMA_BUILTINS)  // the test forces the builtins
#include <mma.h>
#else
namespace nvcuda {
namespace wmma {
struct matrix_a {};
struct matrix_b {};
struct accumulator {};
struct row_major {};
enum layout_t { mem_row_major, mem_col_major };
template <class Use, int M, int N, int K, class T, class Layout = void> struct fragment;
template <> struct __align__(16) fragment<matrix_a, 16, 16, 16, __half, row_major> {
  __half x[16];
};
template <> struct __align__(16) fragment<matrix_b, 16, 16, 16, __half, row_major> {
  __half x[16];
};
template <> struct __align__(16) fragment<accumulator, 16, 16, 16, float> {
  float x[8];
};
__device__ __forceinline__ void fill_fragment(fragment<accumulator, 16, 16, 16, float>& f,
                                              float v) {
#pragma unroll
  for (int i = 0; i < 8; ++i) f.x[i] = v;
}
__device__ __forceinline__ void load_matrix_sync(
    fragment<matrix_a, 16, 16, 16, __half, row_major>& a, const __half* p, unsigned ldm) {
  __hmma_m16n16k16_ld_a((int*)&a, (const int*)p, ldm, 0);
}
__device__ __forceinline__ void load_matrix_sync(
    fragment<matrix_b, 16, 16, 16, __half, row_major>& b, const __half* p, unsigned ldm) {
  __hmma_m16n16k16_ld_b((int*)&b, (const int*)p, ldm, 0);
}
// layout code 0: a row-major, b row-major (crt/mma.hpp's numbering)
__device__ __forceinline__ void mma_sync(fragment<accumulator, 16, 16, 16, float>& d,
                                         const fragment<matrix_a, 16, 16, 16, __half, row_major>& a,
                                         const fragment<matrix_b, 16, 16, 16, __half, row_major>& b,
                                         const fragment<accumulator, 16, 16, 16, float>& c) {
  __hmma_m16n16k16_mma_f32f32((float*)&d, (const int*)&a, (const int*)&b, (const float*)&c, 0, 0);
}
__device__ __forceinline__ void store_matrix_sync(float* p,
                                                  const fragment<accumulator, 16, 16, 16, float>& a,
                                                  unsigned ldm, layout_t layout) {
  if (layout == mem_row_major)  // the builtins take the layout as a constant operand
    __hmma_m16n16k16_st_c_f32(p, (float*)&a, ldm, 0);
  else
    __hmma_m16n16k16_st_c_f32(p, (float*)&a, ldm, 1);
}
}  // namespace wmma
}  // namespace nvcuda
#endif
#endif  // GPUFLOW_CUDA_EMU
#endif  // GPUFLOW_WMMA16_CUH
