"""Conv3DTranspose: transposed 3-D convolution over ``[batch, depth, height, width,
channels]``, as the sum over the kernel's depth taps of 2-D transposed convolutions placed
at their (strided, dilated) depths."""

from __future__ import annotations

from ..backend.geometry import conv_geometry
from ..ops.conv_general import conv2d_transpose
from ..ops.creation import zeros
from ..ops.shape import concat, reshape, stack
from ..ops.spatial import pad
from .conv_transpose import _ConvTranspose


class Conv3DTranspose(_ConvTranspose):
    """Transposed 3-D convolution ("deconvolution"), e.g. to upsample volumes in a 3-D U-Net.

    Args: ``filters``, ``kernel_size``, ``strides``, ``padding`` (``"valid"``/``"same"``),
    ``output_padding``, ``dilation_rate`` and the rest as :class:`Conv2DTranspose`.
    Kernel ``[KD, KH, KW, filters, in_channels]``, as Keras.
    """

    rank = 3

    def _layout(self) -> str:
        return "[batch, depth, height, width, channels]"

    def call(self, inputs):
        self._check_call(inputs)
        n, depth, h, w, c = inputs.shape
        out_d, out_h, out_w = self._out_sizes(inputs.shape[1:4])
        kernel = self._read(self.kernel)
        sd, dd = self.strides[0], self.dilation_rate[0]
        k_eff = (self.kernel_size[0] - 1) * dd + 1
        forward, before, after = conv_geometry(out_d, k_eff, sd, self.padding)
        if forward != depth:
            raise ValueError(
                f"{self._where()}: output depth {out_d} does not map back to the input's "
                f"depth {depth} under strides {sd} and '{self.padding}' padding"
            )
        length = out_d + before + after  # the output depth before cropping the padding
        frames = reshape(inputs, (n * depth, h, w, c))
        placed = (depth - 1) * sd + 1
        total = None
        for tap in range(self.kernel_size[0]):
            y = conv2d_transpose(
                frames,
                kernel[tap],
                (out_h, out_w),
                self.strides[1:],
                self.padding,
                self.dilation_rate[1:],
            )
            y = reshape(y, (n, depth) + tuple(y.shape[1:]))
            if sd > 1:  # input depth i lands at output depth i * sd (zeros between)
                gap = zeros((n, depth, sd - 1) + tuple(y.shape[2:]), dtype=y.dtype)
                y = reshape(
                    concat([stack([y], axis=2), gap], axis=2), (n, depth * sd) + tuple(y.shape[2:])
                )
                y = y[:, :placed]
            front = tap * dd
            y = pad(y, [[0, 0], [front, length - front - placed], [0, 0], [0, 0], [0, 0]])
            total = y if total is None else total + y
        return self._finish(total[:, before : before + out_d])


Convolution3DTranspose = Conv3DTranspose
