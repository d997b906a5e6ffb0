// im2col.cu: patches of a channels-last image and their adjoint, for conv2d as a GEMM.
//
// x[N,H,W,C] -> cols[N*OH*OW, KH*KW*C], column order (kh, kw, c), so that
// cols @ kernel.reshape(KH*KW*C, F) is the Keras/TensorFlow conv2d with no transposes.
// Out-of-image taps read zero (the padding). col2im is the adjoint: one thread per
// input element gathers every (patch, tap) that read it, in a fixed order, so it needs
// no atomics and is deterministic. Both use grid-stride loops over 64-bit indices.
#include "common.cuh"

template <class T>
__device__ __forceinline__ void im2col_body(const T* __restrict__ x, T* __restrict__ cols,
                                            int N, int H, int W, int C, int KH, int KW,
                                            int SH, int SW, int PT, int PL, int OH, int OW) {
  const long long ncol = (long long)KH * KW * C;
  const long long total = (long long)N * OH * OW * ncol;
  const long long step = (long long)gridDim.x * blockDim.x;
  for (long long e = (long long)blockIdx.x * blockDim.x + threadIdx.x; e < total; e += step) {
    const long long row = e / ncol;
    const int q = (int)(e - row * ncol);
    const int c = q % C;
    const int j = (q / C) % KW;
    const int i = q / (C * KW);
    const int ow = (int)(row % OW);
    const int oh = (int)((row / OW) % OH);
    const long long n = row / ((long long)OW * OH);
    const int ih = oh * SH - PT + i;
    const int iw = ow * SW - PL + j;
    if (ih >= 0 && ih < H && iw >= 0 && iw < W)
      cols[e] = x[((n * H + ih) * W + iw) * C + c];
    else
      store_acc(&cols[e], 0);
  }
}

template <class T>
__device__ __forceinline__ void col2im_body(const T* __restrict__ cols, T* __restrict__ dx,
                                            int N, int H, int W, int C, int KH, int KW,
                                            int SH, int SW, int PT, int PL, int OH, int OW) {
  typedef typename Acc<T>::type acc_t;
  const long long ncol = (long long)KH * KW * C;
  const long long total = (long long)N * H * W * C;
  const long long step = (long long)gridDim.x * blockDim.x;
  for (long long e = (long long)blockIdx.x * blockDim.x + threadIdx.x; e < total; e += step) {
    const int c = (int)(e % C);
    const int w = (int)((e / C) % W);
    const int h = (int)((e / ((long long)C * W)) % H);
    const long long n = e / ((long long)C * W * H);
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

#define GPUFLOW_IM2COL(NAME, T)                                                          \
  extern "C" __global__ void NAME(const T* x, T* cols, int N, int H, int W, int C, int KH, \
                                  int KW, int SH, int SW, int PT, int PL, int OH, int OW) {  \
    im2col_body<T>(x, cols, N, H, W, C, KH, KW, SH, SW, PT, PL, OH, OW);                   \
  }
#define GPUFLOW_COL2IM(NAME, T)                                                          \
  extern "C" __global__ void NAME(const T* cols, T* dx, int N, int H, int W, int C, int KH, \
                                  int KW, int SH, int SW, int PT, int PL, int OH, int OW) {  \
    col2im_body<T>(cols, dx, N, H, W, C, KH, KW, SH, SW, PT, PL, OH, OW);                  \
  }
GPUFLOW_FOR_DTYPES(GPUFLOW_IM2COL, im2col)
GPUFLOW_FOR_DTYPES(GPUFLOW_COL2IM, col2im)
