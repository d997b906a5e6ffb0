"""KernelSet: the protocol every device implements, and the one dispatch point of the ops.

An op never asks which device it runs on: it calls ``device.kernels.<method>`` and gets
the device's implementation. ``"cpu"`` implements this class with NumPy and BLAS
(:mod:`.cpu_kernels`); ``"cuda"`` and ``"cuda-emu"`` implement it with gpuflow's CUDA
sources in ``kernels/`` (:mod:`.kernel_ops`, launched by CuPy or by the emulator).
Adding a device means subclassing :class:`~gpuflow.backend.device.Device` and
implementing every method below.

Conventions shared by all methods:

- Arrays are arrays of the device's array module (``kernels.xp``: NumPy or CuPy). Inputs
  may be non-contiguous views; outputs are new arrays the caller owns.
- Float methods take float16, float32 or float64 and return the input dtype; float16
  accumulates in float32. All float inputs of one call share one dtype (the ops cast
  first), except where a method says otherwise.
- Shapes use ``M`` rows (batch), ``K`` inputs and ``N`` outputs: ``x [M,K] @ w [K,N]``.
- Convolution is channels-last: input ``[N,H,W,C]``, kernel ``[KH,KW,C,F]``; the window
  arithmetic comes in a :class:`~gpuflow.backend.geometry.WindowGeometry` or as its
  numbers ``(kh, kw, stride_h, stride_w, pad_top, pad_left, out_h, out_w)``.
- Bad arguments raise ``ValueError`` / ``TypeError`` naming the method and the shapes or
  dtypes received.
"""

from __future__ import annotations


class KernelSet:
    """The methods every device's kernel set provides (see the module docstring).

    Attributes:
        xp: the array module of the arrays taken and returned.
    """

    xp = None

    # -- GEMM ------------------------------------------------------------------------
    def matmul(self, a, b):
        """``a @ b`` (NumPy broadcasting rules), float16 accumulated in float32.

        Args:
            a: ``[..., M, K]``. b: ``[..., K, N]``; both one float dtype.

        Returns:
            ``[..., M, N]`` in the inputs' dtype.
        """
        raise NotImplementedError

    # -- fused dense -----------------------------------------------------------------
    def dense_forward(self, x, w, b, relu: bool):
        """``act(x @ w + b)`` with act ReLU when ``relu``, else identity.

        Args:
            x: ``[M,K]``. w: ``[K,N]``. b: ``[N]`` or ``None``. relu: apply ReLU.

        Returns:
            ``[M,N]``, the output (keep it: :meth:`dense_backward` reads its ReLU mask).
        """
        raise NotImplementedError

    def dense_backward(self, x, w, out, g, relu: bool, need_dx: bool = True, need_db: bool = True):
        """Gradients of :meth:`dense_forward`.

        Args:
            x: the forward input ``[M,K]``. w: ``[K,N]``. out: the forward output ``[M,N]``
                (read only when ``relu``: the mask ``out > 0``). g: ``dL/dout`` ``[M,N]``.
            relu: whether the forward applied ReLU. need_dx / need_db: compute dx / db.

        Returns:
            ``(dx [M,K] or None, dw [K,N], db [N] or None)``.
        """
        raise NotImplementedError

    def dense_backward_update(
        self, x, w, out, g, relu: bool, need_dx: bool, need_db: bool, rate: float, target
    ):
        """:meth:`dense_backward` with plain SGD's step for the weights fused in:
        ``target -= rate * dw`` in place (``target`` is the weights' array or the copy an
        optimizer swaps in), dw itself never returned. A compiled step uses it where
        nothing else reads the gradient (``gpuflow/graph/fused_update.py``).

        Returns:
            ``(dx [M,K] or None, db [N] or None)``.
        """
        raise NotImplementedError

    # -- convolution -----------------------------------------------------------------
    def im2col(self, x, kh, kw, stride_h, stride_w, pad_top, pad_left, out_h, out_w):
        """Patches of ``x [N,H,W,C]`` as ``[N*out_h*out_w, kh*kw*C]``, columns ordered (kh, kw, c).

        ``cols @ kernel.reshape(kh*kw*C, F)`` is the convolution; taps in the padding read 0.
        """
        raise NotImplementedError

    def col2im(self, cols, x_shape, kh, kw, stride_h, stride_w, pad_top, pad_left, out_h, out_w):
        """The adjoint of :meth:`im2col`: sums each patch entry of ``cols`` back into an
        array of shape ``x_shape`` ``(N,H,W,C)``; taps in the padding are dropped."""
        raise NotImplementedError

    def conv2d_forward(self, x, kernel, bias, relu: bool, geo):
        """``act(conv2d(x, kernel) + bias)``: the convolution, its bias and ReLU in one call.

        Args:
            x: ``[N,H,W,C]``. kernel: ``[KH,KW,C,F]``. bias: ``[F]`` or ``None``.
            relu: apply ReLU. geo: the ``WindowGeometry`` of ``x`` and the kernel.

        Returns:
            ``(y, saved)``: ``y [N,OH,OW,F]`` and an opaque object to hand to
            :meth:`conv2d_backward` (whatever this kernel set needs: patches, output).
        """
        raise NotImplementedError

    def conv2d_backward(self, saved, g, need_dx: bool = True):
        """Gradients of :meth:`conv2d_forward`.

        Args:
            saved: the second value :meth:`conv2d_forward` returned.
            g: ``dL/dy`` ``[N,OH,OW,F]`` (may be a non-contiguous view). need_dx: compute dx.

        Returns:
            ``(dx [N,H,W,C] or None, dkernel [KH,KW,C,F], dbias [F] or None)``; dbias is None
            when the forward had no bias.
        """
        raise NotImplementedError

    # -- int8 inference --------------------------------------------------------------
    def int8_matmul(self, x, wt):
        """``x @ wt.T`` with exact int32 sums.

        Args:
            x: int8 ``[M,K]``. wt: int8 ``[N,K]`` (one row per output channel).

        Returns:
            int32 ``[M,N]``, equal to NumPy's int32 matmul bit for bit.
        """
        raise NotImplementedError

    def int8_dense(self, x, wt, x_scale: float, w_scale, bias, relu: bool):
        """Dequantized int8 dense: ``act(int8_matmul(x, wt) * (x_scale * w_scale) + bias)``.

        Args:
            x: int8 ``[M,K]``. wt: int8 ``[N,K]``. x_scale: the input's scale (a float).
            w_scale: float32 ``[N]``. bias: float32 ``[N]`` or ``None``. relu: apply ReLU.

        Returns:
            float32 ``[M,N]``.
        """
        raise NotImplementedError

    # -- compilation -----------------------------------------------------------------
    def precompile(self, files) -> list[str]:
        """Compile the kernel source ``files`` now; returns those compiled.

        Raises:
            ValueError: this kernel set compiles nothing (the CPU's NumPy kernels).
        """
        raise NotImplementedError

    def compiled(self) -> list[str]:
        """The kernel source files compiled so far (``[]`` where nothing compiles)."""
        raise NotImplementedError
