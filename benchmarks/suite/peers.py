"""The peers gpuflow is measured against, built from the same initial weights.

- :class:`NumpyMLP`: the lecture MLP trained by a hand-written NumPy loop, what a NumPy
  framework with zero overhead would reach (float16 GEMMs computed in float32, as
  gpuflow's CPU device and GPUs do; the loss in float32 for float16, as gpuflow).
- :class:`TorchNet`: the lecture MLP or CNN in PyTorch eager mode, on CPU or CUDA, in
  the same dtype and with the same weights (Keras layouts converted to PyTorch's).
- :func:`dense_unfused`: ``relu(x @ w + b)`` as three array-module calls (NumPy or CuPy).

Every trainer uses plain SGD with the same learning rate as the gpuflow model and reads
the loss of each batch back as a Python float (as ``fit`` does for its logs and most
PyTorch loops do with ``loss.item()``).
"""

from __future__ import annotations

import numpy as np


def _matmul(a, b):
    if a.dtype == np.float16:
        return np.matmul(a.astype(np.float32), b.astype(np.float32)).astype(np.float16)
    return a @ b


def dense_unfused(xp, x, w, b):
    """``relu(x @ w + b)`` as ``matmul`` + bias + ``maximum`` (the unfused reference)."""
    return xp.maximum(xp.matmul(x, w) + b, 0)


class NumpyMLP:
    """784-512-10 MLP (ReLU, softmax cross-entropy) trained by hand-written NumPy."""

    name = "numpy"

    def __init__(self, weights, dtype, learning_rate: float) -> None:
        self.dtype = np.dtype(dtype)
        self.w1, self.b1, self.w2, self.b2 = (np.array(w, dtype=self.dtype) for w in weights)
        self.lr = self.dtype.type(learning_rate)
        self.rng = np.random.default_rng(0)

    def forward(self, x):
        h = _matmul(x, self.w1)
        h += self.b1
        np.maximum(h, 0, out=h)
        z = _matmul(h, self.w2)
        z += self.b2
        return h, z

    def predict(self, x):
        z = self.forward(x)[1].astype(np.float32 if self.dtype == np.float16 else self.dtype)
        e = np.exp(z - z.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)

    def train_step(self, x, y) -> float:
        n = len(x)
        h, z = self.forward(x)
        z = z.astype(np.float32) if self.dtype == np.float16 else z
        z = z - z.max(axis=1, keepdims=True)
        e = np.exp(z)
        p = e / e.sum(axis=1, keepdims=True)
        rows = np.arange(n)
        loss = -np.log(p[rows, y]).mean()
        p[rows, y] -= 1
        p /= n
        dz = p.astype(self.dtype, copy=False)
        dw2 = _matmul(h.T, dz)
        db2 = dz.sum(axis=0)
        dh = _matmul(dz, self.w2.T)
        dh *= h > 0
        dw1 = _matmul(x.T, dh)
        db1 = dh.sum(axis=0)
        for var, grad in ((self.w1, dw1), (self.b1, db1), (self.w2, dw2), (self.b2, db2)):
            var -= self.lr * grad
        return float(loss)

    def epoch(self, x, y, batch_size: int) -> None:
        order = self.rng.permutation(len(x))
        for start in range(0, len(x), batch_size):
            index = order[start : start + batch_size]
            self.train_step(x[index], y[index])


def torch_available(device: str) -> tuple[bool, str]:
    """Whether PyTorch runs on ``device`` ("cpu" or "cuda"), and why not."""
    try:
        import torch
    except ImportError as exc:
        return False, f"PyTorch is not installed ({exc}); pip install 'gpuflow[peers]'"
    if device.startswith("cuda") and not torch.cuda.is_available():
        return False, f"PyTorch {torch.__version__} has no CUDA device here"
    return True, f"PyTorch {torch.__version__}"


def torch_device(device: str) -> str:
    return "cuda" if device.startswith("cuda") else "cpu"


def torch_sync(device: str):
    import torch

    if device.startswith("cuda"):
        return torch.cuda.synchronize
    return lambda: None


def torch_dtype(dtype):
    import torch

    return getattr(torch, np.dtype(dtype).name)


def nchw(x: np.ndarray) -> np.ndarray:
    """Channels-last images ``[N, H, W, C]`` as PyTorch's ``[N, C, H, W]`` (a contiguous copy)."""
    return np.ascontiguousarray(x.transpose(0, 3, 1, 2))


class TorchNet:
    """The lecture MLP or CNN in PyTorch, with gpuflow's (Keras-layout) weights.

    Args:
        model: "mlp" or "cnn".
        weights: ``model.get_weights()`` of the gpuflow model (kernels ``[in, out]`` and
            ``[KH, KW, C, F]``, biases).
        dtype: float16 / float32 / float64.
        device: "cpu" or "cuda[:N]".
        learning_rate: plain SGD's learning rate.
        flat_hw: for the CNN, the (H, W) before Flatten, to reorder the first Dense kernel
            from Keras' (h, w, c) flattening to PyTorch's (c, h, w).
    """

    def __init__(
        self, model: str, weights, dtype, device: str, learning_rate: float, flat_hw=None
    ) -> None:
        import torch
        from torch import nn

        self.torch = torch
        self.device = torch_device(device)
        self.dtype = torch_dtype(dtype)
        self.name = f"torch-{self.device}"
        if model == "mlp":
            layers = [nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 10)]
        else:
            layers = [
                nn.Conv2d(1, 16, 3, stride=2),
                nn.ReLU(),
                nn.Conv2d(16, 16, 3, stride=2),
                nn.ReLU(),
                nn.Flatten(),
                nn.Linear(16 * flat_hw[0] * flat_hw[1], 64),
                nn.ReLU(),
                nn.Linear(64, 10),
            ]
        self.net = nn.Sequential(*layers)
        tensors = [m for m in layers if isinstance(m, (nn.Linear, nn.Conv2d))]
        it = iter(weights)
        first_dense = True
        with torch.no_grad():
            for m in tensors:
                kernel, bias = np.asarray(next(it)), np.asarray(next(it))
                if isinstance(m, nn.Conv2d):
                    kernel = kernel.transpose(3, 2, 0, 1)  # [KH, KW, C, F] -> [F, C, KH, KW]
                else:
                    if model == "cnn" and first_dense:  # rows (h, w, c) -> (c, h, w)
                        h, w = flat_hw
                        c = kernel.shape[0] // (h * w)
                        kernel = (
                            kernel.reshape(h, w, c, -1).transpose(2, 0, 1, 3).reshape(h * w * c, -1)
                        )
                        first_dense = False
                    kernel = kernel.T  # [in, out] -> [out, in]
                m.weight.copy_(torch.from_numpy(np.ascontiguousarray(kernel)))
                m.bias.copy_(torch.from_numpy(bias))
        self.net.to(device=self.device, dtype=self.dtype)
        self.optimizer = torch.optim.SGD(self.net.parameters(), lr=learning_rate)
        self.sync = torch_sync(device)
        self.generator = torch.Generator().manual_seed(0)

    def tensor(self, array, dtype=None):
        """``array`` (NumPy) on this net's device; floats in its dtype, integers as int64."""
        t = self.torch.from_numpy(np.ascontiguousarray(array))
        t = t.to(self.dtype) if t.is_floating_point() else t.long()
        return t.to(self.device)

    def train_step(self, x, y) -> float:
        F = self.torch.nn.functional
        self.optimizer.zero_grad(set_to_none=True)
        logits = self.net(x)
        loss = F.cross_entropy(logits.float() if logits.dtype == self.torch.float16 else logits, y)
        loss.backward()
        self.optimizer.step()
        return loss.item()

    def epoch(self, x, y, batch_size: int) -> None:
        order = self.torch.randperm(len(x), generator=self.generator).to(self.device)
        for start in range(0, len(x), batch_size):
            index = order[start : start + batch_size]
            self.train_step(x[index], y[index])

    def predict(self, x):
        with self.torch.inference_mode():
            return self.torch.softmax(self.net(x).float(), dim=-1)
