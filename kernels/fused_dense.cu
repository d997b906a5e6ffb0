// fused_dense.cu: out = act(A @ B + bias) and the pieces of its backward pass.
//
// One tiled GEMM template serves forward and backward:
//   forward  out[M,N] = relu?(x[M,K] @ w[K,N] + b)      gemm_nn  (mask none)
//   dX[M,K]  = (g * (out > 0)) @ w^T                     gemm_nt  (mask on A)
//   dW[K,N]  = x^T @ (g * (out > 0))                     gemm_tn  (mask on B)
//   db[N]    = sum_rows(g * (out > 0))                   bias_grad
// The ReLU mask is read while a tile is loaded into shared memory, so no masked copy
// of g is ever written. Each block computes a BM x BN tile of C, staging BK-deep slices
// of A and B in shared memory; each thread accumulates a TM x TN register tile whose
// rows/columns are strided by the thread grid (conflict-free shared reads, coalesced
// stores). The tile shapes are mirrored in gpuflow/backend/kernel_ops.py (GEMM_TILES).
#include "common.cuh"

template <class T, class OutT, int BM, int BN, int BK, int TM, int TN, bool TA, bool TB>
__device__ __forceinline__ void gemm_body(const T* __restrict__ A, const T* __restrict__ B,
                                          OutT* __restrict__ C, const T* __restrict__ maskA,
                                          const T* __restrict__ maskB, const T* __restrict__ bias,
                                          int relu, int M, int N, int K, int kchunk) {
  typedef typename Acc<T>::type acc_t;
  constexpr int TX = BN / TN;  // threads along N
  constexpr int TY = BM / TM;  // threads along M
  constexpr int NT = TX * TY;
  // +4: with BK rows of BM floats every row would start in bank 0; the pad spreads the
  // transposing stores of a non-transposed A tile over all banks.
  __shared__ acc_t As[BK][BM + 4];
  __shared__ acc_t Bs[BK][BN + 4];

  const int tid = threadIdx.x;
  const int tx = tid % TX;
  const int ty = tid / TX;
  const int row0 = blockIdx.y * BM;
  const int col0 = blockIdx.x * BN;

  acc_t acc[TM][TN];
#pragma unroll
  for (int r = 0; r < TM; ++r)
#pragma unroll
    for (int c = 0; c < TN; ++c) acc[r][c] = 0;

  // Split-K: block z sums k in [kb, ke) and writes its partial C to slice z of C.
  const int kb = blockIdx.z * kchunk;
  const int ke = min(K, kb + kchunk);
  C += (size_t)blockIdx.z * M * N;
  for (int k0 = kb; k0 < ke; k0 += BK) {
    // A(i, k) lives at A[i*K + k], or at A[k*M + i] when TA; the index order makes
    // consecutive threads read consecutive addresses in both cases.
    for (int e = tid; e < BM * BK; e += NT) {
      const int i = TA ? e % BM : e / BK;
      const int k = TA ? e / BM : e % BK;
      const int gi = row0 + i, gk = k0 + k;
      acc_t v = 0;
      if (gi < M && gk < ke) {
        const long long idx = TA ? (long long)gk * M + gi : (long long)gi * K + gk;
        v = to_acc(A[idx]);
        if (maskA != nullptr && !(to_acc(maskA[idx]) > 0)) v = 0;
      }
      As[k][i] = v;
    }
    // B(k, j) lives at B[k*N + j], or at B[j*K + k] when TB.
    for (int e = tid; e < BK * BN; e += NT) {
      const int j = TB ? e / BK : e % BN;
      const int k = TB ? e % BK : e / BN;
      const int gj = col0 + j, gk = k0 + k;
      acc_t v = 0;
      if (gj < N && gk < ke) {
        const long long idx = TB ? (long long)gj * K + gk : (long long)gk * N + gj;
        v = to_acc(B[idx]);
        if (maskB != nullptr && !(to_acc(maskB[idx]) > 0)) v = 0;
      }
      Bs[k][j] = v;
    }
    __syncthreads();
#pragma unroll
    for (int k = 0; k < BK; ++k) {
      acc_t a[TM], b[TN];
#pragma unroll
      for (int r = 0; r < TM; ++r) a[r] = As[k][ty + r * TY];
#pragma unroll
      for (int c = 0; c < TN; ++c) b[c] = Bs[k][tx + c * TX];
#pragma unroll
      for (int r = 0; r < TM; ++r)
#pragma unroll
        for (int c = 0; c < TN; ++c) acc[r][c] += a[r] * b[c];
    }
    __syncthreads();
  }

#pragma unroll
  for (int r = 0; r < TM; ++r) {
    const int i = row0 + ty + r * TY;
#pragma unroll
    for (int c = 0; c < TN; ++c) {
      const int j = col0 + tx + c * TX;
      if (i < M && j < N) {
        acc_t v = acc[r][c];
        if (bias != nullptr) v += to_acc(bias[j]);
        if (relu && v < 0) v = 0;  // NaN stays NaN, as numpy.maximum(v, 0) (not !(v > 0))
        store_acc(&C[(long long)i * N + j], v);
      }
    }
  }
}

#define GPUFLOW_GEMM_OUT(NAME, T, OutT, BM, BN, BK, TM, TN, TA, TB)                           \
  extern "C" __global__ void __launch_bounds__((BM / TM) * (BN / TN))                         \
      NAME(const T* A, const T* B, OutT* C, const T* maskA, const T* maskB, const T* bias,    \
           int relu, int M, int N, int K, int kchunk) {                                       \
    gemm_body<T, OutT, BM, BN, BK, TM, TN, TA, TB>(A, B, C, maskA, maskB, bias, relu, M, N, K, \
                                                   kchunk);                                  \
  }
#define GPUFLOW_GEMM(NAME, T, BM, BN, BK, TM, TN, TA, TB) \
  GPUFLOW_GEMM_OUT(NAME, T, T, BM, BN, BK, TM, TN, TA, TB)

// Tile shapes (BM, BN, BK, TM, TN), all 256 threads a block:
//   large f16/f32: 128x128x8, 8x8 per thread;  large f64: 64x64x8, 4x4 (register budget)
//   small (any dtype): 32x64x16, 2x4 per thread, for skinny batches (more blocks).
#define GPUFLOW_GEMM_ALL(OPS, TA, TB)                                 \
  GPUFLOW_GEMM(gemm_##OPS##_large_f16, __half, 128, 128, 8, 8, 8, TA, TB) \
  GPUFLOW_GEMM(gemm_##OPS##_large_f32, float, 128, 128, 8, 8, 8, TA, TB)  \
  GPUFLOW_GEMM(gemm_##OPS##_large_f64, double, 64, 64, 8, 4, 4, TA, TB)   \
  GPUFLOW_GEMM(gemm_##OPS##_small_f16, __half, 32, 64, 16, 2, 4, TA, TB)  \
  GPUFLOW_GEMM(gemm_##OPS##_small_f32, float, 32, 64, 16, 2, 4, TA, TB)   \
  GPUFLOW_GEMM(gemm_##OPS##_small_f64, double, 32, 64, 16, 2, 4, TA, TB)

GPUFLOW_GEMM_ALL(nn, false, false)
GPUFLOW_GEMM_ALL(nt, false, true)
GPUFLOW_GEMM_ALL(tn, true, false)

// Split-K weight gradients: dW = x^T @ g' contracts over batch x space (21,632 rows for the
// lecture CNN's first conv at batch 128) into a tiny [K, N]; one block per output tile would
// leave the GPU idle. gridDim.z splits the contraction, each split writes an acc_t partial
// [K, N] slice, and splitk_reduce sums the slices in a fixed order (deterministic, no atomics).
#define GPUFLOW_GEMM_SPLIT(VARIANT, SFX, T, BM, BN, BK, TM, TN)                               \
  GPUFLOW_GEMM_OUT(gemm_tn_split_##VARIANT##_##SFX, T, Acc<T>::type, BM, BN, BK, TM, TN, true, \
                   false)
GPUFLOW_GEMM_SPLIT(large, f16, __half, 128, 128, 8, 8, 8)
GPUFLOW_GEMM_SPLIT(large, f32, float, 128, 128, 8, 8, 8)
GPUFLOW_GEMM_SPLIT(large, f64, double, 64, 64, 8, 4, 4)
GPUFLOW_GEMM_SPLIT(small, f16, __half, 32, 64, 16, 2, 4)
GPUFLOW_GEMM_SPLIT(small, f32, float, 32, 64, 16, 2, 4)
GPUFLOW_GEMM_SPLIT(small, f64, double, 32, 64, 16, 2, 4)

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
