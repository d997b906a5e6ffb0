"""Op-level benchmarks: gpuflow's ops next to the array library and PyTorch, same inputs.

Ops: matmul; the fused dense layer ``relu(x @ W + b)`` forward, and forward + backward;
conv2d (im2col) forward, and forward + backward, on the lecture CNN's two layers;
sparse softmax cross-entropy forward + backward; a large elementwise add. Peers: NumPy
(CPU) or CuPy (cuda) written by hand — the dense forward as the unfused
``matmul + bias + relu`` — and PyTorch on the same device. On cuda, :func:`ceilings`
measures what the GPU reaches at best in the same run (a large device-to-device copy,
cuBLAS GEMM per dtype), printed next to the ops' achieved GFLOP/s and GB/s.

Backward passes get a fixed upstream gradient (``output_gradients``) and compute every
input gradient, gpuflow through ``GradientTape``, the peers by hand or autograd.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from . import peers
from .models import speed_ratios
from .timing import interleaved, measure


@dataclass
class OpCase:
    """One op at one shape: the implementations, how to sync them, and the work done."""

    op: str
    shape: str
    fns: dict = field(default_factory=dict)
    syncs: dict = field(default_factory=dict)
    flops: float | None = None
    bytes: float | None = None
    skipped: dict = field(default_factory=dict)


# (batch, H, W, C, F): the lecture CNN's Conv2D(16, 3x3, stride 2, valid) layers.
CONV_LAYERS = {
    "conv1 28x28x1->13x13x16": (28, 28, 1, 16),
    "conv2 13x13x16->6x6x16": (13, 13, 16, 16),
}


def sizes(device_kind: str, quick: bool) -> dict:
    if quick:
        return {
            "matmul": 64,
            "dense": (16, 784, 512),
            "conv_batch": 8,
            "xent": (64, 10),
            "elementwise": 1 << 14,
        }
    if device_kind == "cuda":
        return {
            "matmul": 4096,
            "dense": (128, 784, 512),
            "conv_batch": 128,
            "xent": (4096, 1000),
            "elementwise": 1 << 26,
        }
    return {
        "matmul": 512,
        "dense": (128, 784, 512),
        "conv_batch": 128,
        "xent": (1024, 1000),
        "elementwise": 1 << 22,
    }


def _xp_matmul(xp, a, b):
    if xp is np and a.dtype == np.float16:  # as gpuflow's CPU device: float32 GEMM, cast back
        return np.matmul(a.astype(np.float32), b.astype(np.float32)).astype(np.float16)
    return xp.matmul(a, b)


def _windows(xp, x, kh, kw, s):
    n, h, w, c = x.shape
    oh, ow = (h - kh) // s + 1, (w - kw) // s + 1
    sn, sh, sw, sc = x.strides
    return xp.lib.stride_tricks.as_strided(
        x, (n, oh, ow, kh, kw, c), (sn, sh * s, sw * s, sh, sw, sc)
    )


class Builder:
    """Makes the cases of one device and dtype (inputs drawn once, shared by all
    implementations)."""

    def __init__(self, device: str, dtype: str, quick: bool) -> None:
        from gpuflow.backend import get_device

        self.dev = get_device(device)
        self.device, self.dtype, self.quick = device, dtype, quick
        self.xp = self.dev.xp
        self.peer = "numpy" if self.dev.kind == "cpu" else "cupy"
        self.rng = np.random.default_rng(0)
        ok, why = peers.torch_available(device)
        self.torch_name = f"torch-{peers.torch_device(device)}"
        self.torch = None
        self.torch_why = None if ok else why
        if ok:
            import torch

            self.torch = torch
            self.tdev, self.tdtype = peers.torch_device(device), peers.torch_dtype(dtype)
            self.tsync = peers.torch_sync(device)
        self.size = sizes(self.dev.kind, quick)

    # -- inputs -----------------------------------------------------------------------
    def host(self, *shape, scale=1.0):
        return (self.rng.standard_normal(shape, dtype=np.float32) * scale).astype(self.dtype)

    def tensor(self, array, variable=False):
        import gpuflow

        if variable:
            return gpuflow.Variable(self.dev.asarray(array), name="v")
        from gpuflow.tensor import Tensor

        return Tensor._wrap(self.dev.asarray(array), self.dev)

    def tt(self, array, grad=False):
        t = self.torch.from_numpy(np.ascontiguousarray(array)).to(self.tdev)
        t = t.to(self.tdtype) if t.is_floating_point() else t.long()
        return t.requires_grad_(grad) if grad else t

    def case(self, op, shape, flops=None, nbytes=None) -> OpCase:
        c = OpCase(op, shape, flops=flops, bytes=nbytes)
        c.syncs = {"gpuflow": self.dev.synchronize, self.peer: self.dev.synchronize}
        if self.torch is not None:
            c.syncs[self.torch_name] = self.tsync
        else:
            c.skipped[self.torch_name] = self.torch_why
        return c

    def add_torch(self, c: OpCase, fn) -> None:
        if self.torch is not None:
            c.fns[self.torch_name] = fn

    # -- cases ------------------------------------------------------------------------
    def matmul(self) -> OpCase:
        import gpuflow

        n = self.size["matmul"]
        a, b = self.host(n, n), self.host(n, n)
        ga, gb = self.tensor(a), self.tensor(b)
        xa, xb = self.dev.asarray(a), self.dev.asarray(b)
        c = self.case(
            "matmul",
            f"{n}x{n}x{n}",
            flops=2.0 * n**3,
            nbytes=3 * n * n * np.dtype(self.dtype).itemsize,
        )
        c.fns = {
            "gpuflow": lambda: gpuflow.matmul(ga, gb),
            self.peer: lambda: _xp_matmul(self.xp, xa, xb),
        }
        if self.torch is not None:
            ta, tb = self.tt(a), self.tt(b)
            self.add_torch(c, lambda: self.torch.matmul(ta, tb))
        return c

    def dense(self, backward: bool) -> OpCase:
        import gpuflow
        from gpuflow.ops.nn import dense

        m, k, n = self.size["dense"]
        x, w, b, g = self.host(m, k), self.host(k, n, scale=k**-0.5), self.host(n), self.host(m, n)
        flops = 2.0 * m * k * n * (3 if backward else 1)
        c = self.case(
            "dense_relu_fwd_bwd" if backward else "dense_relu_fwd", f"{m}x{k}->{n}", flops=flops
        )
        gx, gw, gb = self.tensor(x), self.tensor(w, True), self.tensor(b, True)
        xx, xw, xb, xg = (self.dev.asarray(a) for a in (x, w, b, g))
        xp = self.xp
        if not backward:

            def ours():
                with gpuflow.no_grad():
                    return dense(gx, gw, gb, "relu")

            c.fns = {"gpuflow": ours, self.peer: lambda: xp.maximum(_xp_matmul(xp, xx, xw) + xb, 0)}
            if self.torch is not None:
                F = self.torch.nn.functional
                tx, tw, tb = self.tt(x), self.tt(np.ascontiguousarray(w.T)), self.tt(b)

                def theirs():
                    with self.torch.no_grad():
                        return self.torch.relu(F.linear(tx, tw, tb))

                self.add_torch(c, theirs)
            return c
        gg = self.dev.asarray(g)

        def ours():
            with gpuflow.GradientTape() as tape:
                tape.watch(gx)
                y = dense(gx, gw, gb, "relu")
            return tape.gradient(y, [gx, gw, gb], output_gradients=gg)

        def by_hand():
            y = xp.maximum(_xp_matmul(xp, xx, xw) + xb, 0)
            gm = xg * (y > 0)
            return _xp_matmul(xp, gm, xw.T), _xp_matmul(xp, xx.T, gm), gm.sum(axis=0)

        c.fns = {"gpuflow": ours, self.peer: by_hand}
        if self.torch is not None:
            F = self.torch.nn.functional
            tx, tw, tb, tg = (
                self.tt(x, True),
                self.tt(np.ascontiguousarray(w.T), True),
                self.tt(b, True),
                self.tt(g),
            )

            def theirs():
                y = self.torch.relu(F.linear(tx, tw, tb))
                return self.torch.autograd.grad(y, (tx, tw, tb), tg)

            self.add_torch(c, theirs)
        return c

    def conv(self, name: str, backward: bool) -> OpCase:
        import gpuflow
        from gpuflow.ops.conv import conv2d

        h, w_, ch, f = CONV_LAYERS[name]
        n = self.size["conv_batch"]
        oh, ow = (h - 3) // 2 + 1, (w_ - 3) // 2 + 1
        x, k, b = (
            self.host(n, h, w_, ch),
            self.host(3, 3, ch, f, scale=(9 * ch) ** -0.5),
            self.host(f),
        )
        g = self.host(n, oh, ow, f)
        flops = 2.0 * n * oh * ow * f * 9 * ch * (3 if backward else 1)
        op = "conv2d_relu_fwd_bwd" if backward else "conv2d_relu_fwd"
        c = self.case(op, f"{name} batch {n}", flops=flops)
        gx, gk, gb = self.tensor(x), self.tensor(k, True), self.tensor(b, True)
        xx, xk, xb, xg = (self.dev.asarray(a) for a in (x, k, b, g))
        xp = self.xp

        def im2col_fwd():
            cols = _windows(xp, xx, 3, 3, 2).reshape(-1, 9 * ch)
            y = xp.maximum(_xp_matmul(xp, cols, xk.reshape(9 * ch, f)) + xb, 0)
            return cols, y

        if not backward:

            def ours():
                with gpuflow.no_grad():
                    return conv2d(gx, gk, 2, "valid", bias=gb, activation="relu")

            c.fns = {"gpuflow": ours, self.peer: lambda: im2col_fwd()[1].reshape(n, oh, ow, f)}
        else:

            def ours():
                with gpuflow.GradientTape() as tape:
                    tape.watch(gx)
                    y = conv2d(gx, gk, 2, "valid", bias=gb, activation="relu")
                return tape.gradient(y, [gx, gk, gb], output_gradients=xg)

            def by_hand():  # im2col backward with a strided scatter-add (col2im)
                cols, y = im2col_fwd()
                gm = xg.reshape(-1, f) * (y > 0)
                dk = _xp_matmul(xp, cols.T, gm).reshape(3, 3, ch, f)
                d6 = _xp_matmul(xp, gm, xk.reshape(9 * ch, f).T).reshape(n, oh, ow, 3, 3, ch)
                dx = xp.zeros_like(xx)
                for i in range(3):
                    for j in range(3):
                        dx[:, i : i + 2 * (oh - 1) + 1 : 2, j : j + 2 * (ow - 1) + 1 : 2, :] += d6[
                            :, :, :, i, j, :
                        ]
                return dx, dk, gm.sum(axis=0)

            c.fns = {"gpuflow": ours, self.peer: by_hand}
        if self.torch is not None:
            F = self.torch.nn.functional
            tx = self.tt(peers.nchw(x), backward)
            tk = self.tt(np.ascontiguousarray(k.transpose(3, 2, 0, 1)), backward)
            tb, tg = self.tt(b, backward), self.tt(peers.nchw(g))
            if self.tdev == "cuda":
                self.torch.backends.cudnn.benchmark = True

            def theirs():
                if not backward:
                    with self.torch.no_grad():
                        return self.torch.relu(F.conv2d(tx, tk, tb, stride=2))
                y = self.torch.relu(F.conv2d(tx, tk, tb, stride=2))
                return self.torch.autograd.grad(y, (tx, tk, tb), tg)

            self.add_torch(c, theirs)
        return c

    def softmax_xent(self) -> OpCase:
        import gpuflow
        from gpuflow.ops.nn import sparse_softmax_cross_entropy_with_logits as xent

        m, k = self.size["xent"]
        z = self.host(m, k)
        labels = self.rng.integers(0, k, m)
        c = self.case(
            "sparse_softmax_xent_fwd_bwd",
            f"{m}x{k}",
            nbytes=2 * m * k * np.dtype(self.dtype).itemsize,
        )
        gz, gy = self.tensor(z), self.tensor(labels)
        xz, xy = self.dev.asarray(z), self.dev.asarray(labels)
        xp = self.xp

        def ours():
            with gpuflow.GradientTape() as tape:
                tape.watch(gz)
                loss = gpuflow.reduce_mean(xent(gy, gz))
            return tape.gradient(loss, gz)

        def by_hand():
            zf = xz.astype(np.float32) if xz.dtype == np.float16 else xz
            e = xp.exp(zf - zf.max(axis=1, keepdims=True))
            p = e / e.sum(axis=1, keepdims=True)
            rows = xp.arange(m)
            loss = -xp.log(p[rows, xy]).mean()
            p[rows, xy] -= 1
            return loss, (p / m).astype(xz.dtype)

        c.fns = {"gpuflow": ours, self.peer: by_hand}
        if self.torch is not None:
            F = self.torch.nn.functional
            tz, ty = self.tt(z, True), self.tt(labels)
            self.add_torch(c, lambda: self.torch.autograd.grad(F.cross_entropy(tz.float(), ty), tz))
        return c

    def elementwise(self) -> OpCase:
        import gpuflow

        n = self.size["elementwise"]
        a, b = self.host(n), self.host(n)
        c = self.case(
            "add_elementwise", f"{n:,} elements", nbytes=3 * n * np.dtype(self.dtype).itemsize
        )
        ga, gb = self.tensor(a), self.tensor(b)
        xa, xb = self.dev.asarray(a), self.dev.asarray(b)
        c.fns = {"gpuflow": lambda: gpuflow.add(ga, gb), self.peer: lambda: self.xp.add(xa, xb)}
        if self.torch is not None:
            ta, tb = self.tt(a), self.tt(b)
            self.add_torch(c, lambda: self.torch.add(ta, tb))
        return c

    def all(self) -> list:
        cases = [self.matmul(), self.dense(False), self.dense(True)]
        for name in CONV_LAYERS:
            cases += [self.conv(name, False), self.conv(name, True)]
        return cases + [self.softmax_xent(), self.elementwise()]


def cases(device: str, dtype: str, quick: bool) -> list:
    """Every op case of ``device`` and ``dtype``."""
    return Builder(device, dtype, quick).all()


def run(device: str, dtype: str, settings: dict, log=print) -> list:
    """Times every case (implementations in turns); a list of records with ratios and rates."""
    records = []
    for c in cases(device, dtype, settings["quick"]):
        res = interleaved(
            c.fns,
            c.syncs,
            warmup=settings["warmup"],
            rounds=settings["rounds"],
            block=settings["block"],
            settle_s=settings["settle_s"] if device == "cpu" else 0.0,
            budget_s=settings["budget_s"],
        )
        rec = {
            "op": c.op,
            "shape": c.shape,
            "device": device,
            "dtype": dtype,
            "results": res,
            "ratios": speed_ratios(res),
            "ratios_of_min": speed_ratios(res, "min_s"),
            "skipped_peers": c.skipped,
        }
        if c.flops:
            rec["gflops"] = {k: c.flops / r["median_s"] / 1e9 for k, r in res.items()}
        if c.bytes:
            rec["gbytes_per_s"] = {k: c.bytes / r["median_s"] / 1e9 for k, r in res.items()}
        records.append(rec)
        log(
            f"  {c.op} {c.shape} {device} {dtype}: "
            + ", ".join(f"{k} {r['median_s'] * 1e3:.3g} ms" for k, r in res.items())
            + " ("
            + ", ".join(f"{k} {v:.2f}x" for k, v in rec["ratios"].items())
            + ")"
        )
    return records


def ceilings(device: str, dtypes: list, quick: bool, log=print) -> list:
    """The GPU's best in this run: device-to-device copy GB/s and cuBLAS GEMM TFLOP/s per dtype."""
    from gpuflow.backend import get_device

    dev = get_device(device)
    if dev.kind != "cuda":
        return []
    xp = dev.xp
    out = []
    nbytes = (1 << 24) if quick else (1 << 30)
    with xp.cuda.Device(getattr(dev, "index", 0)):
        r = _copy_time(xp, nbytes, dev.synchronize)
        out.append(
            {
                "ceiling": "device-to-device copy",
                "device": device,
                "dtype": "float32",
                "size": f"{nbytes / 2**20:.0f} MiB",
                "median_s": r["median_s"],
                "gbytes_per_s": 2 * nbytes / r["median_s"] / 1e9,
            }
        )
        n = 512 if quick else 8192
        for dtype in dtypes:
            a = xp.ones((n, n), dtype=dtype)
            r = measure(lambda a=a: xp.matmul(a, a), dev.synchronize, warmup=2, repeats=10)
            out.append(
                {
                    "ceiling": "cuBLAS GEMM (cupy.matmul)",
                    "device": device,
                    "dtype": dtype,
                    "size": f"{n}^3",
                    "median_s": r["median_s"],
                    "gflops": 2.0 * n**3 / r["median_s"] / 1e9,
                }
            )
    for rec in out:
        rate = (
            f"{rec['gbytes_per_s']:.0f} GB/s"
            if "gbytes_per_s" in rec
            else f"{rec['gflops'] / 1e3:.1f} TFLOP/s"
        )
        log(f"  ceiling {rec['ceiling']} {rec['dtype']} {rec['size']}: {rate}")
    return out


def _copy_time(xp, nbytes: int, sync) -> dict:
    src = xp.ones(nbytes // 4, dtype=xp.float32)
    dst = xp.empty_like(src)
    return measure(lambda: xp.copyto(dst, src), sync, warmup=2, repeats=10)
