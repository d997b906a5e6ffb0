"""``import tensorflow as tf`` resolves to gpuflow while the compatibility programs run.

Only tests/compat puts this folder on ``sys.path``; it is not part of the package.
"""

import sys

import gpuflow

sys.modules[__name__] = gpuflow
