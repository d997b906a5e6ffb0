"""CompileLoss and CompileMetrics: ``compile(loss=..., metrics=...)`` for one or many outputs.

A model's output ``y_pred`` is a Tensor, a list/tuple of Tensors, or a dict of them. The
loss may be one loss (applied to every output), a list (one per output), or a dict keyed
by output name; ``loss_weights`` a float, list or dict. Metrics are a list (applied to a
single output), a list of lists, or a dict keyed by output name. Names follow Keras 3:
``out1_loss``, ``out1_accuracy``; for a single output plain ``accuracy``.
"""

from __future__ import annotations

from .. import losses as losses_module
from .. import metrics as metrics_module
from ..ops.math import add, cast, multiply
from ..tensor import Tensor


def flat_outputs(y_pred, output_names):
    """``(names, tensors)`` of ``y_pred``'s outputs in the model's order.

    Dict outputs use the model's ``output_names`` order when the keys match, else sorted
    keys; list outputs take ``output_names`` when the count matches (else None names).
    """
    if isinstance(y_pred, dict):
        keys = (
            list(output_names)
            if output_names and set(output_names) == set(y_pred)
            else sorted(y_pred)
        )
        return keys, [y_pred[k] for k in keys]
    flat = list(y_pred) if isinstance(y_pred, (list, tuple)) else [y_pred]
    if output_names and len(output_names) == len(flat):
        return list(output_names), flat
    return [None] * len(flat), flat


def match_targets(y_true, names, count: int, what: str = "y"):
    """``y_true`` as a list aligned with the outputs ``names`` (``count`` of them).

    Raises:
        ValueError: when a dict key matches no output, or the number of targets differs
            from the number of outputs.
    """
    if isinstance(y_true, dict):
        known = [n for n in names if n is not None]
        unknown = sorted(set(y_true) - set(known), key=str)
        if unknown or not known:
            raise ValueError(
                f"{what} has key(s) {unknown or sorted(y_true, key=str)} that match "
                f"no output of the model; its outputs are {known or count}"
            )
        return [y_true.get(n) for n in names]
    if isinstance(y_true, (list, tuple)) and (count > 1 or len(y_true) == 1):
        if len(y_true) != count:
            raise ValueError(
                f"{what} is a list of {len(y_true)} arrays, but the model has "
                f"{count} output(s)" + (f" {names}" if names[0] else "")
            )
        return list(y_true)
    if count != 1:
        raise ValueError(
            f"{what} is one array, but the model has {count} outputs"
            + (f" {names}" if names[0] else "")
            + "; pass a list or a dict of "
            "targets, one per output"
        )
    return [y_true]


def _spread(spec, names, what: str, allow_missing: bool):
    """``spec`` (one value, a list, or a dict keyed by output name) as a list per output."""
    count = len(names)
    if isinstance(spec, dict):
        known = [n for n in names if n is not None]
        unknown = sorted(set(spec) - set(known), key=str)
        missing = [n for n in known if n not in spec]
        if unknown or (missing and not allow_missing) or not known:
            raise ValueError(
                f"Expected keys {known} in {what} dict, but found {what}.keys()={list(spec)}"
            )
        return [spec.get(n) for n in names]
    if isinstance(spec, (list, tuple)):
        if len(spec) != count:
            raise ValueError(
                f"{what} is a list of {len(spec)} entries, but the model has "
                f"{count} output(s); pass one entry per output"
            )
        return list(spec)
    return [spec] * count


class CompileLoss:
    """The total training loss: the (weighted) sum of each output's loss.

    Args:
        loss: one loss (name, function or Loss), a list (one per output), or a dict keyed
            by output name (None entries: no loss for that output).
        loss_weights: a float, or a list/dict as ``loss``.
        output_names: the model's output names, or None.

    With more than one loss, each output's unweighted loss is tracked by a
    ``Mean(name=f"{output}_loss")`` metric, listed in :attr:`metrics`.
    """

    def __init__(self, loss, loss_weights=None, output_names=None) -> None:
        if loss_weights is not None and not isinstance(
            loss_weights, (list, tuple, dict, float, int)
        ):
            raise ValueError(
                "Expected `loss_weights` argument to be a float (single output "
                "case) or a list, tuple, or dict (multiple output case). Received "
                f"instead: loss_weights={loss_weights} of type {type(loss_weights)}"
            )
        # As Keras 3, the losses are resolved when first used (fit / evaluate): compile()
        # accepts an unknown name, predict() still works, fit() raises.
        self._user_loss = loss
        self._user_loss_weights = loss_weights
        self.output_names = list(output_names) if output_names else None
        self.built = False
        self.metrics: list = []
        self._names = None
        self._losses = None
        self._weights = None

    def build(self, y_true, y_pred) -> None:
        self._user_loss = _map_spec(self._user_loss, losses_module.get)
        names, flat = flat_outputs(y_pred, self.output_names)
        if (
            isinstance(self._user_loss, dict)
            and not isinstance(y_pred, dict)
            and self.output_names is None
            and len(flat) == 1
        ):
            names = list(self._user_loss)[:1]
        losses = _spread(self._user_loss, names, "loss", allow_missing=isinstance(y_pred, dict))
        weights = self._user_loss_weights
        weights = (
            [None] * len(flat) if weights is None else _spread(weights, names, "loss_weights", True)
        )
        self._names = names
        self._losses = [None if spec is None else losses_module.as_loss(spec) for spec in losses]
        self._weights = [None if w is None else float(w) for w in weights]
        used = [i for i, fn in enumerate(self._losses) if fn is not None]
        if len(used) > 1:
            labels = [_label(names[i], self._losses[i]) for i in used]
            # unnamed outputs with the same loss: number them, so History keeps each
            labels = [
                f"{label}_{k}" if labels.count(label) > 1 else label
                for k, label in enumerate(labels)
            ]
            self.metrics = [metrics_module.Mean(name=f"{label}_loss") for label in labels]
        self._trackers = dict(zip(used, self.metrics)) if self.metrics else {}
        self.built = True

    def __call__(self, y_true, y_pred, sample_weight=None):
        """The total loss as a scalar Tensor (None when no output has a loss)."""
        if not self.built:
            self.build(y_true, y_pred)
        if isinstance(y_pred, dict):
            names, flat = flat_outputs(y_pred, self.output_names)
        else:
            names, flat = self._names, flat_outputs(y_pred, None)[1]
        targets = self._targets(y_true, names, len(flat))
        weights = _sample_weights(sample_weight, names, len(flat))
        total = None
        for i, fn in enumerate(self._losses):
            if fn is None:
                continue
            if targets[i] is None:
                raise ValueError(
                    f"the loss for output {names[i]!r} needs its targets, but y has no entry for it"
                )
            value = fn(targets[i], flat[i], weights[i])
            tracker = self._trackers.get(i)
            if tracker is not None:
                tracker.update_state(value, sample_weight=_batch_size(flat[i]))
            if self._weights[i] is not None:
                value = multiply(value, self._weights[i])
            total = (
                value
                if total is None
                else add(total, cast(value, total.dtype) if value.dtype != total.dtype else value)
            )
        return total

    def _targets(self, y_true, names, count: int):
        """``y_true`` per output; as Keras, when the loss is partially defined (None for
        some outputs), targets with one entry per loss go to the outputs that have one."""
        used = [i for i, fn in enumerate(self._losses) if fn is not None]
        if not isinstance(y_true, dict) and 0 < len(used) < count:
            flat_true = list(y_true) if isinstance(y_true, (list, tuple)) else [y_true]
            if len(flat_true) == len(used) != count:
                targets = [None] * count
                for i, target in zip(used, flat_true):
                    targets[i] = target
                return targets
        return match_targets(y_true, names, count)


def _map_spec(spec, fn):
    """``fn`` applied to each loss or metric of a specification (one, list, dict)."""
    if isinstance(spec, dict) and "class_name" not in spec:
        return {key: _map_spec(value, fn) for key, value in spec.items()}
    if isinstance(spec, (list, tuple)):
        return type(spec)(_map_spec(value, fn) for value in spec)
    return None if spec is None else fn(spec)


def _label(name, loss) -> str:
    return name if name is not None else loss.name


def _batch_size(y_pred) -> int:
    return int(y_pred.shape[0]) if getattr(y_pred, "ndim", 0) else 1


def _sample_weights(sample_weight, names, count: int) -> list:
    if sample_weight is None:
        return [None] * count
    if isinstance(sample_weight, dict) or (isinstance(sample_weight, (list, tuple)) and count > 1):
        return match_targets(sample_weight, names, count, "sample_weight")
    return [sample_weight] * count


class MetricsList(metrics_module.Metric):
    """The metrics of one output, updated together."""

    def __init__(self, metrics, output_name=None, name: str = "metrics_list") -> None:
        super().__init__(name=name)
        self.metrics = metrics
        self.output_name = output_name

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        for m in self.metrics:
            m.update_state(y_true, y_pred, sample_weight=sample_weight)

    def reset_state(self) -> None:
        for m in self.metrics:
            m.reset_state()

    def result(self) -> dict:
        return {m.name: m.result() for m in self.metrics}


class CompileMetrics(metrics_module.Metric):
    """The metrics and weighted metrics of ``compile``, per output.

    Its :meth:`result` is a dict: ``{"accuracy": ...}`` for one output,
    ``{"out1_accuracy": ..., "out2_mae": ...}`` for several (``weighted_`` is prefixed
    when a weighted metric's name collides with an unweighted one).
    """

    def __init__(self, metrics, weighted_metrics, output_names=None, losses=None) -> None:
        super().__init__(name="compile_metrics")
        for value, arg in ((metrics, "metrics"), (weighted_metrics, "weighted_metrics")):
            if value and not isinstance(value, (list, tuple, dict)):
                raise ValueError(
                    f"Expected `{arg}` argument to be a list, tuple, or dict. "
                    f"Received instead: {arg}={value} of type {type(value)}"
                )
        # As Keras 3, an unknown metric name fails when the metrics are built (fit /
        # evaluate), not here.
        self._user_metrics = metrics
        self._user_weighted_metrics = weighted_metrics
        self._user_losses = losses
        self.output_names = list(output_names) if output_names else None
        self.built = False
        self._flat_metrics: list = []
        self._flat_weighted: list = []

    @property
    def metrics(self) -> list:
        """Every metric object, flat (empty before the first update)."""
        return [m for ml in self._flat_metrics + self._flat_weighted if ml for m in ml.metrics]

    @property
    def variables(self) -> list:
        """Its metrics' variables (what ``model.metrics_variables`` lists), as Keras 3."""
        return [v for metric in self.metrics for v in metric.variables]

    def build(self, y_true, y_pred) -> None:
        names, flat = flat_outputs(y_pred, self.output_names)
        try:
            losses = _spread(self._user_losses, names, "loss", True)
        except ValueError:
            losses = [None] * len(flat)
        self._names = names
        self._flat_metrics = self._build_set(self._user_metrics, names, losses, "metrics")
        self._flat_weighted = self._build_set(
            self._user_weighted_metrics, names, losses, "weighted_metrics"
        )
        self.built = True

    def _build_set(self, spec, names, losses, argument: str) -> list:
        count = len(names)
        if not spec:
            return [None] * count
        if count == 1:
            return [MetricsList(_metric_objects(_flat_specs(spec), losses[0]))]
        if isinstance(spec, dict):
            per_output = _spread(spec, names, argument, allow_missing=True)
        elif isinstance(spec, (list, tuple)) and len(spec) == count:
            per_output = list(spec)
        else:
            raise ValueError(
                f"Invalid `{argument}`: for a model with {count} outputs "
                f"{[n for n in names if n]} it must be a list with one entry (a "
                f"metric or a list of metrics) per output, or a dict keyed by "
                f"output name. Received: {argument}={spec}"
            )
        return [
            None
            if m is None
            else MetricsList(
                _metric_objects(m if isinstance(m, (list, tuple)) else [m], loss), output_name=name
            )
            for m, loss, name in zip(per_output, losses, names)
        ]

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        if not self.built:
            self.build(y_true, y_pred)
        names, flat = flat_outputs(y_pred, self.output_names)
        targets = match_targets(y_true, names, len(flat))
        weights = _sample_weights(sample_weight, names, len(flat))
        for ml, y_t, y_p in zip(self._flat_metrics, targets, flat):
            if ml is not None:
                ml.update_state(y_t, y_p)
        for ml, y_t, y_p, w in zip(self._flat_weighted, targets, flat, weights):
            if ml is not None:
                ml.update_state(y_t, y_p, sample_weight=w)

    def reset_state(self) -> None:
        for ml in self._flat_metrics + self._flat_weighted:
            if ml is not None:
                ml.reset_state()

    def result(self) -> dict:
        return {name: metric.result() for name, metric in self.named_metrics()}

    def named_metrics(self) -> list:
        """``(log name, metric)`` pairs, in order, with Keras 3's names."""
        if not self.built:
            return []
        out, seen = [], {}
        for ml in self._flat_metrics:
            if ml is None:
                continue
            for m in ml.metrics:
                name = f"{ml.output_name}_{m.name}" if ml.output_name else m.name
                if name in seen:
                    seen[name] += 1
                    name = f"{name}_{seen[name] - 1}"
                else:
                    seen[name] = 1
                out.append((name, m))
        for ml in self._flat_weighted:
            if ml is None:
                continue
            for m in ml.metrics:
                prefix = f"{ml.output_name}_" if ml.output_name else ""
                name = prefix + m.name
                if name in seen:
                    name = f"{prefix}weighted_{m.name}"
                seen[name] = seen.get(name, 0) + 1
                out.append((name, m))
        return out


def _flat_specs(spec) -> list:
    """A single output's metrics given as one, a list, a nested list or a name-keyed dict."""
    if isinstance(spec, dict) and "class_name" not in spec:  # keyed by the output's name
        return [m for value in spec.values() for m in _flat_specs(value)]
    if isinstance(spec, (list, tuple)):
        return [m for value in spec for m in _flat_specs(value)]
    return [spec]


def _metric_objects(specs, loss) -> list:
    out = []
    for spec in specs:
        if spec is None:
            continue
        metric = metrics_module.resolve(spec, loss=loss)
        if isinstance(spec, str):
            metric.name = spec
        out.append(metric)
    return out


def as_scalar_tensor(value) -> Tensor:
    """A loss from a custom ``compute_loss`` or ``add_loss``: a float scalar Tensor."""
    return value if isinstance(value, Tensor) else Tensor(value)
