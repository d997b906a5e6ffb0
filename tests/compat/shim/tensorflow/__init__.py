"""``import tensorflow as tf`` resolves to gpuflow while the compatibility programs run.

Only tests/compat puts this folder on ``sys.path``; it is not part of the package.
"""

import sys

import _alias

import gpuflow

_alias.install()
sys.modules[__name__] = gpuflow
