// im2col.cu: patches of a channels-last image and their adjoint, for conv2d as a GEMM.
//
// x[N,H,W,C] -> cols[N*OH*OW, KH*KW*C], column order (kh, kw, c), so that
// cols @ kernel.reshape(KH*KW*C, F) is the Keras/TensorFlow conv2d with no transposes.
// Out-of-image taps read zero (the padding). col2im is the adjoint: one thread per
// input element gathers every (patch, tap) that read it, in a fixed order, so it needs
// no atomics and is deterministic. Both use grid-stride loops; the index type I is 32-bit
// (`im2col_f32`) whenever the element count fits, so no element pays a 64-bit division, and
// 64-bit (`im2col64_f32`) only beyond 2^31 - 1 elements (the host picks).
#include "common.cuh"

template <class T, class I>
__device__ __forceinline__ void im2col_body(const T* __restrict__ x, T* __restrict__ cols,
                                            int N, int H, int W, int C, int KH, int KW,
                                            int SH, int SW, int PT, int PL, int OH, int OW) {
  const I ncol = (I)KH * KW * C;
  const I total = (I)N * OH * OW * ncol;
  const I step = (I)gridDim.x * blockDim.x;
  for (I e = (I)blockIdx.x * blockDim.x + threadIdx.x; e < total; e += step) {
    const I row = e / ncol;
    const int q = (int)(e - row * ncol);
    const int c = q % C;
    const int j = (q / C) % KW;
    const int i = q / (C * KW);
    const int ow = (int)(row % OW);
    const int oh = (int)((row / OW) % OH);
    const I n = row / ((I)OW * OH);
    const int ih = oh * SH - PT + i;
    const int iw = ow * SW - PL + j;
    if (ih >= 0 && ih < H && iw >= 0 && iw < W)
      cols[e] = x[((n * H + ih) * W + iw) * C + c];
    else
      store_acc(&cols[e], 0);
  }
}

template <class T, class I>
__device__ __forceinline__ void col2im_body(const T* __restrict__ cols, T* __restrict__ dx,
                                            int N, int H, int W, int C, int KH, int KW,
                                            int SH, int SW, int PT, int PL, int OH, int OW) {
  typedef typename Acc<T>::type acc_t;
  const I ncol = (I)KH * KW * C;
  const I total = (I)N * H * W * C;
  const I step = (I)gridDim.x * blockDim.x;
  for (I e = (I)blockIdx.x * blockDim.x + threadIdx.x; e < total; e += step) {
    const int c = (int)(e % C);
    const int w = (int)((e / C) % W);
    const int h = (int)((e / ((I)C * W)) % H);
    const I n = e / ((I)C * W * H);
    acc_t s = 0;
    for (int i = 0; i < KH; ++i) {
      const int ih = h + PT - i;  // = oh * SH for the patch row oh that read (h, i)
      if (ih < 0 || ih % SH != 0 || ih / SH >= OH) continue;
      const int oh = ih / SH;
      for (int j = 0; j < KW; ++j) {
        const int iw = w + PL - j;
        if (iw < 0 || iw % SW != 0 || iw / SW >= OW) continue;
        const int ow = iw / SW;
        s += to_acc(cols[((n * OH + oh) * OW + ow) * ncol + (i * KW + j) * C + c]);
      }
    }
    store_acc(&dx[e], s);
  }
}

// Unsigned 32-bit indices: e < 2^31 - 1 plus one grid step never wraps.
#define GPUFLOW_IM2COL(NAME, T)                                                               \
  extern "C" __global__ void __launch_bounds__(256)                                           \
      NAME(const T* x, T* cols, int N, int H, int W, int C, int KH, int KW, int SH, int SW,   \
           int PT, int PL, int OH, int OW) {                                                  \
    im2col_body<T, unsigned>(x, cols, N, H, W, C, KH, KW, SH, SW, PT, PL, OH, OW);           \
  }                                                                                           \
  extern "C" __global__ void __launch_bounds__(256)                                           \
      NAME##_i64(const T* x, T* cols, int N, int H, int W, int C, int KH, int KW, int SH,     \
                 int SW, int PT, int PL, int OH, int OW) {                                    \
    im2col_body<T, long long>(x, cols, N, H, W, C, KH, KW, SH, SW, PT, PL, OH, OW);          \
  }
#define GPUFLOW_COL2IM(NAME, T)                                                               \
  extern "C" __global__ void __launch_bounds__(256)                                           \
      NAME(const T* cols, T* dx, int N, int H, int W, int C, int KH, int KW, int SH, int SW,  \
           int PT, int PL, int OH, int OW) {                                                  \
    col2im_body<T, unsigned>(cols, dx, N, H, W, C, KH, KW, SH, SW, PT, PL, OH, OW);          \
  }                                                                                           \
  extern "C" __global__ void __launch_bounds__(256)                                           \
      NAME##_i64(const T* cols, T* dx, int N, int H, int W, int C, int KH, int KW, int SH,    \
                 int SW, int PT, int PL, int OH, int OW) {                                    \
    col2im_body<T, long long>(cols, dx, N, H, W, C, KH, KW, SH, SW, PT, PL, OH, OW);         \
  }
GPUFLOW_FOR_DTYPES(GPUFLOW_IM2COL, im2col)
GPUFLOW_FOR_DTYPES(GPUFLOW_COL2IM, col2im)
