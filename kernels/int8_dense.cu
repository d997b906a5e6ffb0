// int8_dense.cu: int8 x int8 -> int32 GEMM with __dp4a, for quantized inference.
//
// x [M, K] (quantized activations) and wt [N, K] (quantized weights, one row per output
// channel) are int8 with K a multiple of 4 and every row 4-byte aligned (the Python side,
// gpuflow/quantization/int8_ops.py, pads K with zeros), read here as packed ints: K4 = K / 4.
// __dp4a multiplies four int8 pairs and adds them to an int32 accumulator, so the sums are
// exact (|x|, |w| <= 127: no overflow below K = 133,000). Two epilogues:
//   int8_gemm_s32:  out[M, N] int32 = the raw sums (tests compare them bit for bit);
//   int8_dense_f32: out[M, N] float = sum * (x_scale * w_scale[n]) + bias[n], then ReLU if asked.
// Blocks are 16 x 16 threads, one output each; K is walked in tiles of 16 packed ints
// through shared memory. Needs sm_61+ (__dp4a); cuda-emu has a portable __dp4a.

#define GPUFLOW_I8_TILE 16

__device__ __forceinline__ int int8_tile_dot(const int* __restrict__ x4, const int* __restrict__ w4,
                                             int M, int N, int K4) {
  __shared__ int xs[GPUFLOW_I8_TILE][GPUFLOW_I8_TILE + 1];
  __shared__ int ws[GPUFLOW_I8_TILE][GPUFLOW_I8_TILE + 1];
  const int tx = threadIdx.x, ty = threadIdx.y;
  const int row = blockIdx.y * GPUFLOW_I8_TILE + ty;    // x row loaded (and output row) of this thread
  const int wrow = blockIdx.x * GPUFLOW_I8_TILE + ty;   // weight row (output channel) loaded
  int acc = 0;
  for (int k0 = 0; k0 < K4; k0 += GPUFLOW_I8_TILE) {
    const int k = k0 + tx;
    xs[ty][tx] = (row < M && k < K4) ? x4[(long long)row * K4 + k] : 0;
    ws[ty][tx] = (wrow < N && k < K4) ? w4[(long long)wrow * K4 + k] : 0;
    __syncthreads();
#pragma unroll
    for (int j = 0; j < GPUFLOW_I8_TILE; ++j) acc = __dp4a(xs[ty][j], ws[tx][j], acc);
    __syncthreads();
  }
  return acc;
}

extern "C" __global__ void int8_gemm_s32(const int* x4, const int* w4, int* out, int M, int N, int K4) {
  const int acc = int8_tile_dot(x4, w4, M, N, K4);
  const int row = blockIdx.y * GPUFLOW_I8_TILE + threadIdx.y;
  const int col = blockIdx.x * GPUFLOW_I8_TILE + threadIdx.x;
  if (row < M && col < N) out[(long long)row * N + col] = acc;
}

extern "C" __global__ void int8_dense_f32(const int* x4, const int* w4, const float* w_scale, float x_scale,
                                          const float* bias, int relu, float* out, int M, int N, int K4) {
  const int acc = int8_tile_dot(x4, w4, M, N, K4);
  const int row = blockIdx.y * GPUFLOW_I8_TILE + threadIdx.y;
  const int col = blockIdx.x * GPUFLOW_I8_TILE + threadIdx.x;
  if (row < M && col < N) {
    float v = (float)acc * (x_scale * w_scale[col]);
    if (bias != nullptr) v += bias[col];
    if (relu && v < 0.0f) v = 0.0f;
    out[(long long)row * N + col] = v;
  }
}
