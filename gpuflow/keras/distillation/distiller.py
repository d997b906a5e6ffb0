"""Keras 3's ``Distiller``: a Model that trains a student from a frozen teacher. Its loss is
``student_loss_weight * student_loss + (1 - student_loss_weight) * distillation_loss``, the
student loss from ``compile(loss=...)`` on the labels, the distillation loss a weighted sum
of :mod:`.losses` terms; ``call`` is the student's."""

from __future__ import annotations

from ... import losses as losses_mod
from ... import metrics as metrics_mod
from ...models import Model, Sequential
from ...ops.reduce import reduce_mean, reduce_sum
from ...ops.shape import stack
from ...saving.keras_objects import deserialize_keras_object, serialize_keras_object
from .. import tree


def _loss_function(item):
    return losses_mod.get(item) if isinstance(item, str) else item


def _check_shapes(teacher_shape, student_shape, what: str) -> None:
    teacher_shape, student_shape = tuple(teacher_shape), tuple(student_shape)
    if len(teacher_shape) != len(student_shape):
        raise ValueError(
            f"Distiller: teacher and student {what} shapes have different dimensions. "
            f"Teacher: {teacher_shape}, Student: {student_shape}."
        )
    for a, b in zip(teacher_shape, student_shape):
        if a is not None and b is not None and a != b:
            raise ValueError(
                f"Distiller: teacher and student {what} shapes are incompatible. "
                f"Teacher: {teacher_shape}, Student: {student_shape}. All dimensions must match."
            )


def _check_dtypes(teacher_dtype, student_dtype, what: str) -> None:
    if teacher_dtype != student_dtype:
        raise ValueError(
            f"Distiller: teacher and student {what} dtypes must match. "
            f"Teacher: {teacher_dtype}, Student: {student_dtype}."
        )


class Distiller(Model):
    """Knowledge distillation from ``teacher`` (frozen) to ``student``.

    Args:
        teacher, student: keras Models with matching input and output shapes and dtypes.
        distillation_losses: a :class:`DistillationLoss` or a list of them.
        distillation_loss_weights: one weight per distillation loss (default all 1.0).
        student_loss_weight: in [0, 1], the share of the student (label) loss.
        name: the model's name.
    """

    def __init__(
        self,
        teacher,
        student,
        distillation_losses,
        distillation_loss_weights=None,
        student_loss_weight=0.5,
        name="distiller",
        **kwargs,
    ):
        super().__init__(name=name, **kwargs)
        self._validate_models(teacher, student)
        self.teacher = teacher
        self.student = student
        if isinstance(student_loss_weight, bool) or not isinstance(
            student_loss_weight, (int, float)
        ):
            raise ValueError(
                f"Distiller: student_loss_weight must be a number, got {type(student_loss_weight)}"
            )
        if not 0.0 <= student_loss_weight <= 1.0:
            raise ValueError(
                f"Distiller: student_loss_weight must be between 0.0 and 1.0, got "
                f"{student_loss_weight}"
            )
        self.student_loss_weight = student_loss_weight
        if distillation_losses is None:
            raise ValueError(
                "Distiller: 'distillation_losses' cannot be None. Provide a distillation loss "
                "(e.g. LogitsDistillation or FeatureDistillation) or a list of them."
            )
        if not isinstance(distillation_losses, (list, tuple)):
            distillation_losses, weights = [distillation_losses], [1.0]
        elif distillation_loss_weights is None:
            weights = [1.0] * len(distillation_losses)
        else:
            if len(distillation_loss_weights) != len(distillation_losses):
                raise ValueError(
                    f"Distiller: number of distillation_loss_weights "
                    f"({len(distillation_loss_weights)}) must match number of "
                    f"distillation_losses ({len(distillation_losses)})"
                )
            weights = list(distillation_loss_weights)
        self.distillation_losses = list(distillation_losses)
        self.distillation_loss_weights = weights
        for loss in self.distillation_losses:
            loss.validate_model_compatibility(teacher, student)
        self._teacher_features = self._feature_extractor(teacher, "teacher_layer_name")
        self._student_features = self._feature_extractor(student, "student_layer_name")
        self.teacher.trainable = False
        self.student_loss_tracker = metrics_mod.Mean(name="student_loss")
        self.distillation_loss_tracker = metrics_mod.Mean(name="distillation_loss")
        self.total_loss_tracker = metrics_mod.Mean(name="total_loss")

    # -- checks and feature extraction ------------------------------------------------------
    def _validate_models(self, teacher, student) -> None:
        for role, model in (("Teacher", teacher), ("Student", student)):
            if not isinstance(model, Model):
                raise ValueError(f"Distiller: {role} must be a keras.Model, got {type(model)}")
        t_in, s_in = getattr(teacher, "inputs", None), getattr(student, "inputs", None)
        if t_in is None or s_in is None:
            return
        tree.map_structure(lambda a, b: _check_shapes(a.shape, b.shape, "input"), t_in, s_in)
        t_out, s_out = getattr(teacher, "outputs", None), getattr(student, "outputs", None)
        if t_out is not None and s_out is not None:
            tree.map_structure(lambda a, b: _check_shapes(a.shape, b.shape, "output"), t_out, s_out)
        tree.map_structure(lambda a, b: _check_dtypes(a.dtype, b.dtype, "input"), t_in, s_in)
        if t_out is not None and s_out is not None:
            tree.map_structure(lambda a, b: _check_dtypes(a.dtype, b.dtype, "output"), t_out, s_out)

    def _feature_extractor(self, model, attribute: str):
        """A Model from ``model``'s inputs to its final output and the layers the losses
        name, or None when no loss names a layer."""
        names = []
        for loss in self.distillation_losses:
            name = getattr(loss, attribute, None)
            if name and name not in names:
                names.append(name)
        if not names:
            return None
        if getattr(model, "inputs", None) is None:
            raise ValueError(
                f"Distiller: cannot create a feature extractor for {model.name}: the model "
                "has no symbolic inputs."
            )
        final = model.layers[-1].output if isinstance(model, Sequential) else model.output
        outputs = {"final_output": final}
        for name in names:
            outputs[name] = model.get_layer(name=name).output
        return Model(
            inputs=model.inputs, outputs=outputs, name=f"{model.name}_multi_feature_extractor"
        )

    def _features(self, loss, features: dict, role: str):
        name = getattr(loss, f"{role}_layer_name", None) or "final_output"
        if name not in features:
            raise ValueError(
                f"Layer '{name}' not found in extracted features. Available: {list(features)}"
            )
        return features[name]

    # -- training ----------------------------------------------------------------------------
    def compile(self, optimizer="adam", loss=None, metrics=None, **kwargs):
        """As Model.compile; ``loss`` (required) is the student's loss on the labels."""
        if loss is None:
            raise ValueError("Distiller.compile: 'loss' cannot be None.")
        self._student_loss = tree.map_structure(_loss_function, loss)
        self._student_loss_for_serialization = loss
        if metrics is not None and not isinstance(metrics, (list, tuple)):
            raise ValueError(
                f"Distiller.compile: metrics must be a list or tuple, got {type(metrics)}"
            )
        super().compile(optimizer=optimizer, loss=None, metrics=metrics, **kwargs)

    def call(self, inputs, training=None, **kwargs):
        return self.student(inputs, training=training, **kwargs)

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        if y_pred is None:
            y_pred = self(x, training=training)
        student_loss = 0.0
        if self.student_loss_weight > 0.0 and y is not None:
            values = tree.flatten(
                tree.map_structure(lambda fn, t, p: fn(t, p), self._student_loss, y, y_pred)
            )
            student_loss = reduce_sum(stack(values)) if len(values) > 1 else values[0]
            if getattr(student_loss, "ndim", 0):
                student_loss = reduce_mean(student_loss)
        distillation_loss = 0.0
        if self.student_loss_weight < 1.0:
            teacher = (
                self._teacher_features(x, training=False)
                if self._teacher_features is not None
                else {"final_output": self.teacher(x, training=False)}
            )
            student = (
                self._student_features(x, training=True)
                if self._student_features is not None
                else {"final_output": y_pred}
            )
            for loss, weight in zip(self.distillation_losses, self.distillation_loss_weights):
                if getattr(loss, "teacher_layer_name", None) is not None:
                    t_out = self._features(loss, teacher, "teacher")
                    s_out = self._features(loss, student, "student")
                else:
                    t_out, s_out = teacher["final_output"], y_pred
                loss.validate_outputs(t_out, s_out)
                value = loss.compute_loss(t_out, s_out)
                if getattr(value, "ndim", 0):
                    raise ValueError(
                        f"Distillation loss {type(loss).__name__} returned a non-scalar loss "
                        f"with shape {tuple(value.shape)}. The compute_loss method must "
                        "return a scalar tensor."
                    )
                distillation_loss = distillation_loss + weight * value
        total = (
            self.student_loss_weight * student_loss
            + (1.0 - self.student_loss_weight) * distillation_loss
        )
        self.student_loss_tracker.update_state(student_loss)
        self.distillation_loss_tracker.update_state(distillation_loss)
        self.total_loss_tracker.update_state(total)
        return total

    def reset_metrics(self):
        super().reset_metrics()
        self.student_loss_tracker.reset_state()
        self.distillation_loss_tracker.reset_state()
        self.total_loss_tracker.reset_state()

    # -- config ------------------------------------------------------------------------------
    def get_config(self) -> dict:
        return {
            "name": self.name,
            "trainable": self.trainable,
            "dtype": serialize_keras_object(self.dtype_policy)
            if hasattr(self, "dtype_policy")
            else None,
            "teacher": serialize_keras_object(self.teacher),
            "student": serialize_keras_object(self.student),
            "distillation_losses": [serialize_keras_object(x) for x in self.distillation_losses],
            "distillation_loss_weights": self.distillation_loss_weights,
            "student_loss_weight": self.student_loss_weight,
        }

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from .losses import FeatureDistillation, LogitsDistillation

        config = dict(config)
        config.pop("dtype", None)
        config["teacher"] = deserialize_keras_object(config["teacher"], custom_objects)
        config["student"] = deserialize_keras_object(config["student"], custom_objects)
        known = {"LogitsDistillation": LogitsDistillation, **(custom_objects or {})}
        known["FeatureDistillation"] = FeatureDistillation
        config["distillation_losses"] = [
            known[item["class_name"]].from_config(item["config"])
            if isinstance(item, dict) and item.get("class_name") in known
            else deserialize_keras_object(item, custom_objects)
            for item in config["distillation_losses"]
        ]
        return cls(**config)
