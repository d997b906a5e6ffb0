"""AdamW: Adam with decoupled weight decay (on by default), as Keras 3."""

from __future__ import annotations

from .adam import Adam


class AdamW(Adam):
    """AdamW, as ``tf.keras.optimizers.AdamW``: each step first decays the weights,
    ``w -= w * weight_decay * lr``, then takes Adam's step (see :class:`Adam`).

    Args:
        learning_rate: float, schedule or callable (default 0.001).
        weight_decay: the decay rate (default 0.004; required).
        beta_1, beta_2, epsilon, amsgrad: as :class:`Adam`.
        name, clipnorm, clipvalue, global_clipnorm, use_ema, ...: see :class:`Optimizer`.

    Raises:
        ValueError: when ``weight_decay`` is None.
    """

    def __init__(
        self,
        learning_rate=0.001,
        weight_decay=0.004,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-7,
        amsgrad: bool = False,
        name: str | None = None,
        **kwargs,
    ) -> None:
        if weight_decay is None:
            raise ValueError("AdamW: weight_decay must be a float, received weight_decay=None")
        super().__init__(
            learning_rate=learning_rate,
            beta_1=beta_1,
            beta_2=beta_2,
            epsilon=epsilon,
            amsgrad=amsgrad,
            name=name,
            weight_decay=weight_decay,
            **kwargs,
        )
