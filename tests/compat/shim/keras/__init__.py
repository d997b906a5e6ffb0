"""``import keras`` resolves to ``gpuflow.keras`` while the compatibility programs run."""

import sys

import gpuflow.keras

sys.modules[__name__] = gpuflow.keras
