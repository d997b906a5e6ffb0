// common.cuh: dtype plumbing shared by gpuflow's kernels.
//
// float16 is stored as __half and accumulated in float; float32 and float64 accumulate
// in their own type. The loader (gpuflow/backend/kernel_source.py) pastes this file into
// each .cu that includes it, so NVRTC and CuPy's cache see one source string.
#ifndef GPUFLOW_COMMON_CUH
#define GPUFLOW_COMMON_CUH

#ifndef GPUFLOW_CUDA_EMU
#include <cuda_fp16.h>
#endif

template <class T> struct Acc { typedef T type; };
template <> struct Acc<__half> { typedef float type; };

__device__ __forceinline__ float to_acc(__half v) { return __half2float(v); }
__device__ __forceinline__ float to_acc(float v) { return v; }
__device__ __forceinline__ double to_acc(double v) { return v; }

__device__ __forceinline__ void store_acc(__half* p, float v) { *p = __float2half_rn(v); }
__device__ __forceinline__ void store_acc(float* p, float v) { *p = v; }
__device__ __forceinline__ void store_acc(double* p, double v) { *p = v; }

// put(dst, v): store v into *dst, converting between __half and float as needed (shared tiles).
__device__ __forceinline__ void put(float* d, __half v) { *d = __half2float(v); }
__device__ __forceinline__ void put(__half* d, __half v) { *d = v; }
__device__ __forceinline__ void put(float* d, float v) { *d = v; }
__device__ __forceinline__ void put(double* d, double v) { *d = v; }

template <class T> __device__ __forceinline__ T zero_of();
template <> __device__ __forceinline__ __half zero_of<__half>() { return __float2half_rn(0.0f); }
template <> __device__ __forceinline__ float zero_of<float>() { return 0.0f; }
template <> __device__ __forceinline__ double zero_of<double>() { return 0.0; }

// Declares NAME_f16, NAME_f32 and NAME_f64 from one macro taking (name, type).
#define GPUFLOW_FOR_DTYPES(MACRO, NAME) \
  MACRO(NAME##_f16, __half)             \
  MACRO(NAME##_f32, float)              \
  MACRO(NAME##_f64, double)

#endif  // GPUFLOW_COMMON_CUH
