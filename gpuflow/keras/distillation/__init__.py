"""``keras.distillation`` (Keras 3.12+): a Distiller model training a student from a frozen
teacher, with logits and feature distillation losses."""

from .distiller import Distiller
from .losses import DistillationLoss, FeatureDistillation, LogitsDistillation

__all__ = ["DistillationLoss", "Distiller", "FeatureDistillation", "LogitsDistillation"]
