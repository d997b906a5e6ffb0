"""``tf.math.special``: the special functions TensorFlow lists there that gpuflow has."""

from .ops.special import bessel_i0, bessel_i0e, bessel_i1, bessel_i1e  # noqa: F401

__all__ = ["bessel_i0", "bessel_i0e", "bessel_i1", "bessel_i1e"]
