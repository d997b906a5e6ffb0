"""Metric tracking of layers: ``metrics``, ``metrics_variables`` and the refused
``add_metric``, as Keras 3."""

from __future__ import annotations


class MetricTracking:
    """The metric methods of :class:`gpuflow.layers.Layer` (a mixin kept in its own file)."""

    @property
    def metrics(self) -> list:
        """The Metric objects assigned as attributes of this layer, then its sub-layers'
        (Keras 3's order)."""
        out = self._own_metrics()
        for layer in self._flatten_layers(include_self=False, recursive=False):
            out.extend(layer.metrics)
        return out

    def _own_metrics(self) -> list:
        from ..metrics import Metric

        return [v for v in vars(self).values() if isinstance(v, Metric)]

    @property
    def metrics_variables(self) -> list:
        """The variables of :attr:`metrics` (their totals and counts)."""
        return [v for metric in self.metrics for v in metric.variables]

    def add_metric(self, *args, **kwargs):
        raise NotImplementedError(
            "Layer `add_metric()` method is deprecated. Add your metric in "
            "`Model.compile(metrics=[...])`, or create metric trackers in init() or build() "
            "when subclassing the layer or model, then call `metric.update_state()` whenever "
            "necessary."
        )
