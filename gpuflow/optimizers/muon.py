"""Muon (MomentUm Orthogonalized by Newton-Schulz), Keras 3's update rule: 2-D weights take
an orthogonalized momentum step; the others (and embeddings, and ``exclude_layers``) take
AdamW steps."""

from __future__ import annotations

import math
import re

from .base import Optimizer


class Muon(Optimizer):
    """Muon, as ``keras.optimizers.Muon``.

    For a 2-D weight (not an embedding unless ``exclude_embeddings=False``, not matching
    ``exclude_layers``)::

        m += g + m * (momentum - 1);  g' = g + momentum * m if nesterov else m
        w -= lr * NS5(g') * sqrt(max(rows, cols)) * rms_rate

    where NS5 is ``ns_steps`` quintic Newton-Schulz iterations (``muon_a``, ``muon_b``,
    ``muon_c``) towards the orthogonal factor of ``g'``. Other weights take Adam steps with
    ``adam_beta_1``, ``adam_beta_2``, ``epsilon`` and ``learning_rate * adam_lr_ratio``.
    Decoupled weight decay: ``weight_decay`` for Muon weights, ``adam_weight_decay`` for
    the others.

    Raises:
        ValueError: for ``ns_steps`` below 1 or a momentum outside [0, 1).
    """

    def __init__(
        self,
        learning_rate=0.001,
        adam_beta_1=0.9,
        adam_beta_2=0.999,
        adam_weight_decay=0.004,
        epsilon=1e-7,
        weight_decay=0.004,
        name=None,
        exclude_layers=None,
        exclude_embeddings=True,
        muon_a=3.4445,
        muon_b=-4.7750,
        muon_c=2.0315,
        adam_lr_ratio=1,
        momentum=0.95,
        ns_steps=5,
        nesterov=True,
        rms_rate=0.2,
        **kwargs,
    ) -> None:
        super().__init__(
            learning_rate=learning_rate, name=name, weight_decay=weight_decay, **kwargs
        )
        if not 0.0 <= momentum < 1.0:
            raise ValueError(f"Muon: momentum must be in [0, 1), received momentum={momentum}")
        if isinstance(ns_steps, bool) or not isinstance(ns_steps, int) or ns_steps < 1:
            raise ValueError(f"Muon: ns_steps must be a positive int, received {ns_steps!r}")
        self.adam_beta_1, self.adam_beta_2 = adam_beta_1, adam_beta_2
        self.epsilon = epsilon
        self.muon_a, self.muon_b, self.muon_c = muon_a, muon_b, muon_c
        self.adam_lr_ratio = adam_lr_ratio
        self.momentum = momentum
        self.ns_steps = ns_steps
        self.nesterov = nesterov
        self.exclude_embeddings = exclude_embeddings
        self.exclude_layers = list(exclude_layers or [])
        self.adam_weight_decay = adam_weight_decay
        self.rms_rate = rms_rate
        self._adam_now = False  # whether the variable being updated takes an Adam step

    def _should_use_adamw(self, var) -> bool:
        if len(var.shape) != 2:
            return True
        path = getattr(var, "path", None) or var.name or ""
        if self.exclude_embeddings and "embedding" in path.lower():
            return True
        return any(re.search(keyword, path) for keyword in self.exclude_layers)

    def _keras_layout(self):
        # Keras keeps a velocity only for the variables that take Adam steps
        variables = self._trainable_variables or []
        return [
            (kind, key)
            for kind, key in super()._keras_layout()
            if not (
                kind == "slot"
                and key[1] == "velocity"
                and not self._should_use_adamw(variables[key[0]])
            )
        ]

    def _slot_names(self):
        return ("momentum", "velocity")

    def _decay_weights(self, updated, var, lr: float) -> None:
        # called once per variable right before _update: picks the rule and its decay
        self._adam_now = self._should_use_adamw(var)
        decay = self.adam_weight_decay if self._adam_now else self.weight_decay
        if decay is None or not self._use_weight_decay(var):
            return
        updated -= updated * (decay * lr)

    def _update(self, xp, var, grad, slots, lr):
        m = slots["momentum"]
        if self._adam_now:
            t = self._steps + 1
            lr = lr * self.adam_lr_ratio
            alpha = lr * math.sqrt(1.0 - self.adam_beta_2**t) / (1.0 - self.adam_beta_1**t)
            v = slots["velocity"]
            m += (grad - m) * (1.0 - self.adam_beta_1)
            v += (grad * grad - v) * (1.0 - self.adam_beta_2)
            var -= m * alpha / (xp.sqrt(v) + self.epsilon)
            return
        m += grad + m * (self.momentum - 1.0)
        direction = grad + self.momentum * m if self.nesterov else m
        update = self._newton_schulz(xp, direction) * lr
        if self.rms_rate is not None:
            update = update * math.sqrt(max(update.shape[0], update.shape[1])) * self.rms_rate
        var -= update

    def _newton_schulz(self, xp, x):
        """``ns_steps`` quintic Newton-Schulz iterations from ``x / |x|`` (Keras' form)."""
        tall = x.shape[-2] > x.shape[-1]
        if tall:
            x = x.T
        x = x / (xp.linalg.norm(x) + 1e-7)
        a, b, c = self.muon_a, self.muon_b, self.muon_c
        for _ in range(self.ns_steps):
            gram = x @ x.T
            x = a * x + (b * gram + c * gram @ gram) @ x
        return x.T if tall else x

    def _hyper_config(self):
        return {
            "adam_beta_1": self.adam_beta_1,
            "adam_beta_2": self.adam_beta_2,
            "epsilon": self.epsilon,
            "exclude_layers": self.exclude_layers,
            "muon_a": self.muon_a,
            "muon_b": self.muon_b,
            "muon_c": self.muon_c,
            "adam_lr_ratio": self.adam_lr_ratio,
            "momentum": self.momentum,
            "ns_steps": self.ns_steps,
            "nesterov": self.nesterov,
            "exclude_embeddings": self.exclude_embeddings,
            "adam_weight_decay": self.adam_weight_decay,
            "rms_rate": self.rms_rate,
        }
