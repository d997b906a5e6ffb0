"""Data sets, Keras style: ``load_data()`` returns ``((x_train, y_train), (x_test, y_test))``.

- :mod:`gpuflow.datasets.digits`: 1,797 real handwritten 8x8 digits shipped in
  the package (UCI, CC BY 4.0); ``load_data(image_size=28)`` gives MNIST shapes.
- :mod:`gpuflow.datasets.mnist`: MNIST from a local folder, downloaded once
  (SHA-256 checked) when absent.

These modules need only NumPy and the standard library, and import nothing
else from gpuflow.
"""

from . import digits, mnist
from ._fetch import ChecksumError, DownloadError
from ._idx import CorruptFileError
from .mnist import DataUnavailableError

__all__ = [
    "ChecksumError",
    "CorruptFileError",
    "DataUnavailableError",
    "DownloadError",
    "digits",
    "mnist",
]
