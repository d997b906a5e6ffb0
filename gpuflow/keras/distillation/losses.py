"""Keras 3's distillation losses: how a teacher's outputs (or an inner layer's features) are
compared with the student's. Each ``compute_loss`` returns a scalar."""

from __future__ import annotations

from ... import losses as losses_mod
from ...ops._common import as_tensor
from ...ops.nn import softmax
from ...ops.reduce import reduce_mean, reduce_sum
from ...ops.shape import stack
from ...saving.keras_objects import serialize_keras_object
from .. import tree


def _loss_function(item):
    """A loss name as Keras's ``losses.get`` gives it (a function for ``"mse"`` and
    ``"kl_divergence"``, an instance for a class name); anything else as given."""
    if item is None or not isinstance(item, str):
        return item
    return losses_mod.get(item)


def _losses(loss, owner: str):
    structure = tree.map_structure(_loss_function, loss)
    if all(fn is None for fn in tree.flatten(structure)):
        raise ValueError(f"{owner}: the `loss` argument must contain at least one non-None loss")
    return structure


def _scalar_sum(values) -> object:
    flat = [as_tensor(v, dtype="float32") if not hasattr(v, "dtype") else v for v in values]
    return reduce_sum(stack(flat))


class DistillationLoss:
    """Base class: subclasses implement ``compute_loss(teacher_outputs, student_outputs)``
    returning a scalar."""

    def compute_loss(self, teacher_outputs, student_outputs, **kwargs):
        raise NotImplementedError("Subclasses must implement compute_loss")

    def validate_outputs(self, teacher_outputs, student_outputs):
        """Raise when the teacher's and student's outputs differ in structure."""
        tree.assert_same_structure(teacher_outputs, student_outputs)

    def validate_model_compatibility(self, teacher, student):
        """Raise when this loss cannot apply to these models (nothing to check here)."""


class FeatureDistillation(DistillationLoss):
    """``loss`` (default ``"mse"``) between the teacher's and the student's features: their
    final outputs, or the outputs of ``teacher_layer_name`` / ``student_layer_name`` (which
    needs Functional or Sequential models). ``loss`` may be a structure matching the outputs,
    with None to skip an output."""

    def __init__(self, loss="mse", teacher_layer_name=None, student_layer_name=None):
        self.teacher_layer_name = teacher_layer_name
        self.student_layer_name = student_layer_name
        self.loss = _losses(loss, "FeatureDistillation")

    def validate_model_compatibility(self, teacher, student):
        if self.teacher_layer_name is not None or self.student_layer_name is not None:
            subclassed = [
                role
                for role, model in (("teacher", teacher), ("student", student))
                if getattr(model, "inputs", None) is None
            ]
            if subclassed:
                raise ValueError(
                    "FeatureDistillation with specific layer names requires Functional or "
                    f"Sequential models. The {' and '.join(subclassed)} model(s) appear to be "
                    "subclassed (no symbolic inputs/outputs). Either use Functional/Sequential "
                    "models, or use FeatureDistillation without layer names (to distill final "
                    "outputs only), or use LogitsDistillation instead."
                )
        for role, model, name in (
            ("teacher", teacher, self.teacher_layer_name),
            ("student", student, self.student_layer_name),
        ):
            if name is not None:
                try:
                    model.get_layer(name=name)
                except ValueError as error:
                    raise ValueError(f"In {role} model: {error}") from None

    def validate_outputs(self, teacher_outputs, student_outputs):
        super().validate_outputs(teacher_outputs, student_outputs)
        try:
            tree.assert_same_structure(self.loss, teacher_outputs)
        except (ValueError, TypeError) as error:
            raise ValueError(
                f"FeatureDistillation: the loss structure does not match the outputs' "
                f"structure: {error}"
            ) from None

    def compute_loss(self, teacher_outputs, student_outputs, **kwargs):
        def apply(fn, teacher, student):
            return 0.0 if fn is None else reduce_mean(fn(teacher, student))

        values = tree.map_structure(apply, self.loss, teacher_outputs, student_outputs)
        return _scalar_sum(tree.flatten(values))

    def get_config(self) -> dict:
        return {
            "loss": serialize_keras_object(self.loss),
            "teacher_layer_name": self.teacher_layer_name,
            "student_layer_name": self.student_layer_name,
        }

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config["loss"] = _deserialize_loss(config["loss"])
        return cls(**config)


class LogitsDistillation(DistillationLoss):
    """``loss`` (default ``"kl_divergence"``) between the teacher's and the student's final
    outputs divided by ``temperature``. As Keras: a ``KLDivergence`` instance compares the
    softmax of the scaled logits and is multiplied by ``temperature ** 2``; any other loss
    (the ``"kl_divergence"`` function included) sees the scaled logits themselves."""

    def __init__(self, temperature=3.0, loss="kl_divergence"):
        self.temperature = temperature
        self.loss = _losses(loss, "LogitsDistillation")
        if isinstance(temperature, bool) or not isinstance(temperature, (int, float)):
            raise ValueError(
                f"LogitsDistillation: temperature must be a number, got {type(temperature)}"
            )
        if temperature <= 0.0:
            raise ValueError(f"LogitsDistillation: temperature must be positive, got {temperature}")

    def compute_loss(self, teacher_outputs, student_outputs, **kwargs):
        t = self.temperature

        def apply(fn, teacher, student):
            if fn is None:
                return 0.0
            teacher, student = as_tensor(teacher) / t, as_tensor(student) / t
            if isinstance(fn, losses_mod.KLDivergence):
                value = reduce_mean(fn(softmax(teacher, -1), softmax(student, -1)))
                return value * (t**2)
            return reduce_mean(fn(teacher, student))

        values = tree.map_structure(apply, self.loss, teacher_outputs, student_outputs)
        return _scalar_sum(tree.flatten(values))

    def get_config(self) -> dict:
        return {"temperature": self.temperature, "loss": serialize_keras_object(self.loss)}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config["loss"] = _deserialize_loss(config["loss"])
        return cls(**config)


def _deserialize_loss(config):
    """A loss (or a structure of them) from :func:`serialize_keras_object`'s output."""
    if config is None or isinstance(config, str):
        return config
    if isinstance(config, (list, tuple)):
        return [_deserialize_loss(item) for item in config]
    if isinstance(config, dict) and config.get("class_name") == "function":
        return losses_mod.get(config["config"])
    if isinstance(config, dict) and "class_name" in config:
        return losses_mod.deserialize(config)
    if isinstance(config, dict):
        return {key: _deserialize_loss(value) for key, value in config.items()}
    return config
