"""The optimizer's state in Keras 3's order, for ``optimizer.variables`` and for the
``save_own_variables`` / ``load_own_variables`` store that ``.keras`` files use.

Keras's order: ``iteration``, ``learning_rate`` (when it is a float), then what ``build``
adds: the EMA averages (one per variable), the gradient accumulators, and the optimizer's
own slots; slots made together are interleaved per variable (Adam: momentum and velocity
of the first variable, then of the second, ...). Optimizers list theirs in
``_keras_slot_groups``; scalars such as Nadam's ``u_product`` come last.
"""

from __future__ import annotations

import warnings

import numpy as np

from .. import dtypes
from ..tensor import Variable


class KerasVariables:
    """``variables``, ``save_own_variables`` and ``load_own_variables`` in Keras's order."""

    def _keras_slot_groups(self) -> tuple[tuple[str, ...], ...]:
        """Groups of slot names Keras creates together (interleaved per variable)."""
        return tuple((name,) for name in self._slot_names())

    def _keras_layout(self) -> list[tuple]:
        """``(kind, key)`` per Keras variable: ("scalar", name) or ("slot", (index, slot))."""
        layout = [("scalar", "iterations")]
        if self._has_plain_rate():
            layout.append(("scalar", "learning_rate"))
        groups = tuple((g,) for g in self._feature_slot_names()) + self._keras_slot_groups()
        variables = self._trainable_variables or []
        for group in groups:
            for index in range(len(variables)):
                layout.extend(("slot", (index, slot)) for slot in group)
        layout.extend(("scalar", key) for key in self._extra_state())
        return layout

    def _keras_arrays(self) -> list[np.ndarray]:
        state = self.get_state(self._trainable_variables or [])
        out = []
        variables = self._trainable_variables or []
        extra = self._extra_state()
        for kind, key in self._keras_layout():
            if kind == "scalar" and key in extra and np.asarray(state[key]).dtype.kind == "f":
                # Keras builds such a scalar (Nadam's u_product) in the first variable's
                # dtype (floatx without variables); gpuflow keeps it in float64 on the host
                dtype = variables[0].dtype if variables else dtypes.floatx()
                dtype = dtypes.as_dtype(dtype).as_numpy_dtype
                out.append(np.asarray(state[key], dtype=dtype))
            elif kind == "scalar":
                out.append(np.asarray(state[key]))
            else:
                index, slot = key
                var = self._trainable_variables[index]
                shape = self._slot_shape(slot, tuple(var.shape))
                array = state.get(f"{index}/{slot}", np.zeros(shape, _np_dtype(var)))
                dtype = self._keras_slot_dtype(slot, var)
                out.append(array if dtype is None else np.asarray(array, dtype=dtype))
        return out

    def _keras_slot_dtype(self, slot: str, var):
        """The dtype Keras gives ``slot``'s variable of ``var`` where it is not the slot's
        own (Adafactor's int32 placeholders), else None."""
        return None

    #: gpuflow slot name -> the name Keras gives that slot's variables (default: the same)
    _KERAS_SLOT_NAMES: dict = {}

    def _keras_variable_name(self, var, slot: str) -> tuple[str, str]:
        """``(name, path)`` of the Keras variable holding ``slot`` of ``var``, as Keras'
        ``add_variable_from_reference``: ``"dense_kernel_momentum"`` and
        ``"adam/dense_kernel_momentum"``."""
        own = self._KERAS_SLOT_NAMES.get(slot, slot)
        ref = getattr(var, "path", None) or str(var.name).replace(":", "_")
        name = f"{ref.replace('/', '_')}_{own}"
        return name, f"{self.name}/{name}"

    def _unnamed_variable_name(self, key: str) -> str:
        """The automatic name (``"variable"``, ``"variable_1"``, ...) of an extra scalar,
        chosen once per optimizer as Keras names a Variable made without a name."""
        from ..layers.naming import unique_name  # gpuflow.layers imports the optimizers

        names = self.__dict__.setdefault("_unnamed_variable_names", {})
        if key not in names:
            names[key] = unique_name("variable")
        return names[key]

    @property
    def variables(self) -> list:
        """The state in Keras's order, named as Keras names it (``v.name``
        ``"dense_kernel_momentum"``, ``v.path`` ``"adam/dense_kernel_momentum"``).

        ``learning_rate`` is the optimizer's own Variable; ``iteration`` (the calls to
        apply, as Keras counts them) and the slots are copies (to change the state use
        :meth:`load_own_variables` or :meth:`set_state`). Empty slots are zeros until the
        optimizer is built (by :meth:`build` or the first apply). A Keras 3 style
        subclass's own variables (``add_variable``) follow, as themselves."""
        out = []
        for (kind, key), array in zip(self._keras_layout(), self._keras_arrays()):
            if kind == "scalar" and key == "iterations":
                # a copy: Keras's variable counts every call, gradient accumulation too
                name, path = "iteration", f"{self.name}/iteration"
            elif kind == "scalar" and key == "learning_rate":
                out.append(self._learning_rate)
                continue
            elif kind == "scalar":  # e.g. Nadam's u_product: Keras makes it unnamed, unscoped
                name = path = self._unnamed_variable_name(key)
            else:
                name, path = self._keras_variable_name(self._trainable_variables[key[0]], key[1])
            copy = Variable(array, trainable=False, name=name)
            copy._path = path
            out.append(copy)
        return out + list(self.__dict__.get("_added_variables", ()))

    def save_own_variables(self, store) -> None:
        """Write the state into ``store`` as ``store["0"], store["1"], ...`` (Keras's layout)."""
        for i, array in enumerate(self._keras_arrays()):
            store[str(i)] = array

    def load_own_variables(self, store) -> None:
        """Restore :meth:`save_own_variables`'s output (from gpuflow or Keras 3).

        Like Keras, a store with a different number of entries is skipped with a warning
        (e.g. the optimizer was not built on the model's variables yet).
        """
        layout = self._keras_layout()
        if len(store.keys()) != len(layout):
            warnings.warn(
                f"{self.name}: skipping optimizer variable loading: {len(layout)} "
                f"variables here, {len(store.keys())} in the store",
                stacklevel=2,
            )
            return
        state = {}
        for i, (kind, key) in enumerate(layout):
            value = np.asarray(store[str(i)])
            if kind == "scalar":
                state[key] = value
            else:
                state[f"{key[0]}/{key[1]}"] = value
        # slots Keras does not keep for some variables (Muon's velocity of the variables
        # it updates by its own rule) start at zero
        variables = self._trainable_variables or []
        for index, var in enumerate(variables):
            for slot in self._all_slot_names():
                state.setdefault(
                    f"{index}/{slot}",
                    np.zeros(self._slot_shape(slot, tuple(var.shape)), _np_dtype(var)),
                )
        self.set_state(self._trainable_variables or [], state)


def _np_dtype(var):
    """The slots' dtype: float32 for float16 variables (as the update rules keep them)."""
    return np.dtype("float32") if np.dtype(var.dtype) == np.float16 else np.dtype(var.dtype)
