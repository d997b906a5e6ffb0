"""Data sets, Keras style: ``load_data()`` returns ``((x_train, y_train), (x_test, y_test))``.

- :mod:`gpuflow.datasets.digits`: 1,797 real handwritten 8x8 digits shipped in
  the package (UCI, CC BY 4.0); ``load_data(image_size=28)`` gives MNIST shapes.
- :mod:`gpuflow.datasets.mnist`: MNIST from a local folder, downloaded once
  (SHA-256 checked) when absent.
- ``cifar10``, ``cifar100``, ``fashion_mnist``, ``imdb``, ``reuters``, ``boston_housing``,
  ``california_housing``: as ``keras.datasets``, from the Keras cache
  (``$KERAS_HOME/datasets``, ``~/.keras/datasets``) under Keras' file names, downloaded
  once from Keras' origins when absent.

These modules need only NumPy and the standard library, and import nothing
else from gpuflow.
"""

from . import (
    boston_housing,
    california_housing,
    cifar10,
    cifar100,
    digits,
    fashion_mnist,
    imdb,
    mnist,
    reuters,
)
from ._fetch import ChecksumError, DownloadError
from ._idx import CorruptFileError
from .mnist import DataUnavailableError

__all__ = [
    "ChecksumError",
    "CorruptFileError",
    "DataUnavailableError",
    "DownloadError",
    "boston_housing",
    "california_housing",
    "cifar10",
    "cifar100",
    "digits",
    "fashion_mnist",
    "imdb",
    "mnist",
    "reuters",
]
