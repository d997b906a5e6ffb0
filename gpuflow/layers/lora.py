"""LoRA (low-rank adaptation), as Keras 3's ``layer.enable_lora(rank)``.

Enabling LoRA on a built ``Dense``, ``EinsumDense`` or ``Embedding`` freezes its weight
``W`` (the Variable ``_kernel`` / ``_embeddings``; ``layer.kernel`` then reads the merged
weight, as Keras 3's) and adds two trainable float32 factors ``A``
(``W.shape[:-1] + (rank,)``, He-uniform) and ``B`` (``(rank, W.shape[-1])``, zeros); the
layer then computes with ``W + (lora_alpha / rank) * A @ B``, equal to ``W`` until training
moves ``B``. Keras files store the merged weight in ``W``'s place and not the factors (a
loaded layer with ``lora_rank`` in its config starts again from zero factors), as Keras 3
does.

:class:`LoRAWeight` is what a layer mixes in; each layer names its weight and factors.
"""

from __future__ import annotations

import numpy as np

from .. import initializers
from ..ops.cast import cast
from ..ops.linalg import matmul
from ..ops.math import add, multiply
from ..ops.shape import reshape


def adapted_weight(name: str) -> property:
    """The ``kernel`` / ``embeddings`` property of a LoRA-capable layer, as Keras 3's: the
    weight with the LoRA correction merged in (a Tensor in the compute dtype) while LoRA
    is enabled, else the Variable itself; the Variable is always ``layer._<name>``.
    Reading it before ``build`` raises AttributeError, as Keras."""
    private = f"_{name}"

    def fget(self):
        weight = self.__dict__.get(private)
        if weight is None:
            if not self.built:
                raise AttributeError(f"You must build the layer before accessing `{name}`.")
            return None
        if self.__dict__.get("lora_enabled"):
            return self._lora_adapted(self._read(weight))
        if self.__dict__.get("_quantization_mode") == "int4":  # Keras: the unpacked int4
            return self._int4_unpacked()
        return weight

    def fset(self, value) -> None:
        self.__dict__[private] = value

    return property(fget, fset, doc=fget.__doc__)


class LoRAWeight:
    """The LoRA half of a layer: ``_lora_weight`` names the adapted weight's attribute,
    ``_lora_names`` the two factors' attributes (Keras' ``lora_kernel_a``/``_b``)."""

    _lora_weight = "kernel"
    _lora_names = ("lora_kernel_a", "lora_kernel_b")

    def _init_lora(self, lora_rank, lora_alpha) -> None:
        """The ``lora_rank`` / ``lora_alpha`` constructor arguments (LoRA is enabled in
        ``build`` when ``lora_rank`` is set)."""
        if lora_rank is not None and (
            isinstance(lora_rank, bool) or not isinstance(lora_rank, (int, np.integer))
        ):
            raise ValueError(
                f"{self._where()}: lora_rank must be a positive integer or None, "
                f"received {lora_rank!r}"
            )
        self.lora_rank = None if lora_rank is None else int(lora_rank)
        self.lora_alpha = lora_alpha if lora_alpha is not None else self.lora_rank
        self.lora_enabled = False

    def _build_lora(self) -> None:
        """End of ``build``: enable LoRA when the layer was made with ``lora_rank``."""
        if self.lora_rank:
            self.enable_lora(self.lora_rank, lora_alpha=self.lora_alpha)

    def enable_lora(
        self, rank, lora_alpha=None, a_initializer="he_uniform", b_initializer="zeros"
    ) -> None:
        """Freeze the weight and train a rank-``rank`` correction ``A @ B`` in its place.

        Args:
            rank: the rank of the correction (a positive integer).
            lora_alpha: scales the correction by ``lora_alpha / rank`` (default ``rank``).
            a_initializer, b_initializer: initializers of the factors.

        Raises:
            ValueError: the layer is not built, has a constraint on the weight, or has
                LoRA enabled already.
        """
        name = self._lora_weight
        if getattr(self, f"{name}_constraint", None) is not None:
            raise ValueError(
                f"{self._where()}: Lora is incompatible with {name} constraints. In order to "
                f"enable lora on this layer, remove the `{name}_constraint` argument."
            )
        if not self.built:
            raise ValueError(
                f"{self._where()}: Cannot enable lora on a layer that isn't yet built."
            )
        if self.lora_enabled:
            raise ValueError(
                f"{self._where()}: lora is already enabled. This can only be done once per layer."
            )
        if isinstance(rank, bool) or not isinstance(rank, (int, np.integer)) or rank < 1:
            raise ValueError(
                f"{self._where()}.enable_lora: rank must be a positive integer, received {rank!r}"
            )
        weight = getattr(self, f"_{name}")
        shape = tuple(weight.shape)
        regularizer = getattr(self, f"{name}_regularizer", None)
        a_name, b_name = self._lora_names
        factor_a = self._add_weight(
            a_name,
            shape[:-1] + (int(rank),),
            initializers.get(a_initializer),
            dtype="float32",
            regularizer=regularizer,
        )
        factor_b = self._add_weight(
            b_name,
            (int(rank), shape[-1]),
            initializers.get(b_initializer),
            dtype="float32",
            regularizer=regularizer,
        )
        setattr(self, a_name, factor_a)
        setattr(self, b_name, factor_b)
        weight.trainable = False
        # Keras lists a weight frozen after its creation with the trainable ones
        self.__dict__.setdefault("_listed_trainable", set()).add(id(weight))
        self.lora_enabled = True
        self.lora_rank = int(rank)
        self.lora_alpha = lora_alpha if lora_alpha is not None else int(rank)

    def _lora_delta(self):
        """``(lora_alpha / rank) * A @ B``, shaped as the weight (float32)."""
        a_name, b_name = self._lora_names
        factor_a, factor_b = getattr(self, a_name), getattr(self, b_name)
        shape = tuple(factor_a.shape)
        product = matmul(reshape(factor_a, (-1, shape[-1])), factor_b)
        delta = reshape(product, shape[:-1] + (int(factor_b.shape[-1]),))
        return multiply(delta, self.lora_alpha / self.lora_rank)

    def _lora_adapted(self, weight):
        """``weight`` (the layer's read of its weight) with the LoRA correction added, in
        the compute dtype; ``weight`` itself while LoRA is off."""
        if not self.lora_enabled:
            return weight
        return cast(add(cast(weight, "float32"), self._lora_delta()), self.compute_dtype)

    def _lora_output(self, inputs):
        """The correction applied to ``inputs`` rather than merged into the weight
        (``(lora_alpha / rank) * (inputs @ A) @ B``), for a Dense whose weight is int8."""
        a_name, b_name = self._lora_names
        x = matmul(cast(inputs, "float32"), getattr(self, a_name))
        y = multiply(matmul(x, getattr(self, b_name)), self.lora_alpha / self.lora_rank)
        return cast(y, self.compute_dtype)

    def _lora_config(self) -> dict:
        return (
            {"lora_rank": self.lora_rank, "lora_alpha": self.lora_alpha} if self.lora_rank else {}
        )

    # -- what Keras files hold (gpuflow/saving/keras_h5.py) -----------------------------------
    def _keras_saved_order(self) -> list:
        return list(self.weights)

    def _keras_file_weights(self) -> list:
        """The weights a Keras file stores: the factors are merged into the weight."""
        order = self._keras_saved_order()
        if not self.lora_enabled:
            return order
        factors = {id(getattr(self, n)) for n in self._lora_names}
        return [v for v in order if id(v) not in factors]

    def _keras_file_value(self, variable) -> np.ndarray:
        if self.lora_enabled and variable is getattr(self, f"_{self._lora_weight}"):
            merged = self._lora_adapted(self._read(variable))
            return np.asarray(merged.numpy()).astype(variable.numpy().dtype, copy=False)
        return variable.numpy()

    def _keras_file_unsaved(self) -> dict:
        """``{id(variable): value}`` of the weights a Keras file does not hold: zero
        factors (the loaded weight is the merged one)."""
        if not self.lora_enabled:
            return {}
        out = {}
        for n in self._lora_names:
            factor = getattr(self, n)
            out[id(factor)] = np.zeros(tuple(factor.shape), factor.numpy().dtype)
        return out
