"""standardize_shape: a shape argument (Input(shape=...), Sequential.build) as Keras 3 reads it."""

from __future__ import annotations


def standardize_shape(shape, where: str = "") -> tuple:
    """Return ``shape`` as a tuple of ints and Nones, with Keras 3's rules and errors.

    A tuple, list, ``TensorShape`` or other iterable of dimensions is accepted; each
    dimension is None or converts with ``int()`` (NumPy integers, 0-d integer tensors).
    A bare int (``shape=784``), a float or a string dimension, a negative dimension or None
    raise ValueError "Cannot convert '...' to a shape.", as in Keras 3.15.
    """
    prefix = f"{where}: " if where else ""
    if shape is None:
        raise ValueError(f"{prefix}Undefined shapes are not supported.")
    if not isinstance(shape, tuple):
        if not hasattr(shape, "__iter__"):
            raise ValueError(
                f"{prefix}Cannot convert '{shape}' to a shape. A shape is a tuple of "
                f"dimensions: write ({shape},) for one dimension"
            )
        as_list = getattr(shape, "as_list", None)
        if as_list is not None and getattr(shape, "rank", 0) is not None:
            shape = as_list()  # a TensorShape
    dims = []
    for d in shape:
        if d is None:
            dims.append(None)
            continue
        if isinstance(d, (str, float, bytes)):  # rejected even when int() would take them
            raise ValueError(
                f"{prefix}Cannot convert '{shape}' to a shape. "
                f"Found invalid dimension '{d}' of type '{type(d)}'. "
            )
        try:
            d = int(d)
        except Exception as e:
            raise ValueError(
                f"{prefix}Cannot convert '{shape}' to a shape. "
                f"Found invalid dimension '{d}' of type '{type(d)}'. "
            ) from e
        if d < 0:
            raise ValueError(
                f"{prefix}Cannot convert '{shape}' to a shape. Negative dimensions are not allowed."
            )
        dims.append(d)
    return tuple(dims)
