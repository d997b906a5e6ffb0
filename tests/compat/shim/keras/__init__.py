"""``import keras`` resolves to ``gpuflow.keras`` while the compatibility programs run."""

import sys

import _alias

import gpuflow.keras

_alias.install()
sys.modules[__name__] = gpuflow.keras
