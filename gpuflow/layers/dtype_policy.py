"""The dtype policy of a layer: the dtype it computes in and the dtype of its variables.

Kept in one place so that mixed precision (compute float16, variables float32) changes
only this module and the defaults it reads.

Which policy a new layer takes without ``dtype=``: the innermost ``policy_scope`` of the
calling thread, else the process-wide global policy (``set_global_policy``: set once,
seen by every thread, as tf.keras 2 and ``set_floatx`` / ``set_seed`` behave), else
``config.floatx()``. Scopes are thread-local, so two threads building models under
different scopes never see each other's policy. (Keras 3 keeps even the global policy per
thread, so a worker thread there starts at float32; here it starts at the policy the
program set, the behaviour that code setting a policy once at startup expects.)
"""

from __future__ import annotations

import contextlib
import threading

from .. import config, dtypes


class DTypePolicy:
    """A named pair ``(compute_dtype, variable_dtype)``, as Keras 3's ``DTypePolicy``.

    Args:
        name: a float dtype name (``"float32"``: both the same), ``"mixed_float16"``
            (compute float16, variables float32) or ``"mixed_bfloat16"`` (compute
            bfloat16, variables float32); None takes the global policy's name.

    Raises:
        ValueError: for any other name.
    """

    #: Keras's quantized policies (``keras.dtype_policies``) set a mode here.
    quantization_mode = None

    def __init__(self, name=None) -> None:
        if name is None:
            name = global_policy().name
        if isinstance(name, DTypePolicy):
            name = name.name
        if isinstance(name, dict) and isinstance(name.get("config"), dict):
            name = name["config"].get("name")  # Keras' serialized DTypePolicy
        text = str(getattr(name, "name", name))
        if text in ("mixed_float16", "mixed_bfloat16"):
            compute, variable = text[len("mixed_") :], "float32"
        else:
            try:
                dt = dtypes.as_dtype(text, "dtype policy")
            except TypeError:
                dt = None
            if dt is None:
                raise ValueError(
                    "dtype policy: expected 'mixed_float16', 'mixed_bfloat16' or a dtype "
                    f"name such as 'float16', 'bfloat16', 'float32', received {name!r}"
                )
            compute = variable = dt.name
        self.name = text
        self.compute_dtype = compute
        self.variable_dtype = variable

    def get_config(self) -> dict:
        """``{"name": ...}``, what :meth:`from_config` takes."""
        return {"name": self.name}

    @classmethod
    def from_config(cls, config):
        """The policy of :meth:`get_config`'s dict."""
        return cls(**config)

    def convert_input(self, x, autocast, dtype):
        """``x`` as a tensor, float tensors cast to ``dtype`` when ``autocast``."""
        from ..ops._convert import as_tensor
        from ..ops.cast import cast

        if x is None or not (hasattr(x, "dtype") or hasattr(x, "__array__")):
            return x
        t = as_tensor(x)
        target = dtypes.as_dtype(dtype).name
        if autocast and t.dtype.is_floating and t.dtype.name != target:
            return cast(t, target)
        return t

    def _family(self):
        return DTypePolicy if type(self).__name__ == "FloatDTypePolicy" else type(self)

    def __eq__(self, other) -> bool:
        if not isinstance(other, DTypePolicy):
            return False
        return self._family() is other._family() and other.name == self.name

    def __hash__(self) -> int:
        return hash(self.name)

    def __repr__(self) -> str:
        return f'<{self._family().__name__} "{self.name}">'


QUANTIZATION_MODES = ("int8", "float8", "int4", "gptq", "awq")


def check_quantization_mode(mode) -> None:
    """Keras' error for a quantization mode it does not know (policies, ``quantize``)."""
    if mode not in QUANTIZATION_MODES:
        raise ValueError(
            f"Invalid quantization mode. Expected one of {QUANTIZATION_MODES}. "
            f"Received: mode={mode}"
        )


class FloatDTypePolicy(DTypePolicy):
    """Keras's former name of :class:`DTypePolicy` (equal to it, shown as it)."""


class QuantizedDTypePolicy(DTypePolicy):
    """A policy of quantized weights: ``mode`` (``"int8"``, ``"int4"``, ``"float8"``, ...)
    from the float policy ``source_name`` (default: the global policy); its name is
    ``"{mode}_from_{source_name}"``."""

    def __init__(self, mode, source_name=None) -> None:
        if source_name is None:
            source_name = global_policy().name
        DTypePolicy.__init__(self, source_name)
        self._check_quantization_mode(mode, self.compute_dtype)
        self.name = f"{mode}_from_{source_name}"
        self._source_name = source_name
        self._quantization_mode = mode

    @property
    def quantization_mode(self):  # noqa: D102 - Keras's property
        return self._quantization_mode

    def _check_quantization_mode(self, mode, compute_dtype) -> None:
        check_quantization_mode(mode)
        if compute_dtype == "float16" and mode == "int8":
            raise ValueError(
                f"Quantization mode='{mode}' doesn't work well with compute_dtype='float16'."
            )

    def __eq__(self, other) -> bool:
        return (
            DTypePolicy.__eq__(self, other)
            and self._quantization_mode == other._quantization_mode
            and self._source_name == other._source_name
        )

    __hash__ = DTypePolicy.__hash__

    def get_config(self) -> dict:
        return {"mode": self._quantization_mode, "source_name": self._source_name}


def quantized_parts(dtype):
    """``(mode, source policy name)`` when ``dtype`` is a quantized policy (an object, its
    Keras config dict or its name ``"int8_from_float32"``), else None."""
    mode = getattr(dtype, "quantization_mode", None)
    if mode is not None:
        return mode, dtype._source_name
    if isinstance(dtype, dict) and isinstance(dtype.get("config"), dict):
        config = dtype["config"]
        if "mode" in config:
            return config["mode"], config.get("source_name") or global_policy().name
        dtype = config.get("name")
    if isinstance(dtype, str) and "_from_" in dtype:
        mode, _, source = dtype.partition("_from_")
        if mode.split("/")[0] in QUANTIZATION_MODES:
            return mode, source
    return None


class _Policies(threading.local):
    """The process-wide policy (a class attribute) and this thread's scopes."""

    process_policy: DTypePolicy | None = None  # set by gpuflow.mixed_precision.set_global_policy

    def __init__(self) -> None:
        self.scopes: list = []  # this thread's policy_scope policies, innermost last


_policies = _Policies()


def set_global_policy(policy) -> None:
    """Set the policy of layers created from now on without ``dtype=`` (None: back to
    floatx), in every thread; a thread's ``policy_scope`` still takes precedence there."""
    _Policies.process_policy = None if policy is None else as_policy(policy)


def global_policy() -> DTypePolicy:
    """The policy of layers created without ``dtype=`` on this thread: the innermost
    :func:`policy_scope`, else the one set by :func:`set_global_policy`, else the default
    float type (``config.floatx()``)."""
    scopes = _policies.scopes
    policy = scopes[-1] if scopes else _Policies.process_policy  # a scope of None: floatx
    return policy if policy is not None else DTypePolicy(config.floatx())


@contextlib.contextmanager
def policy_scope(policy):
    """Layers created in the block, on this thread, take ``policy`` (other threads don't)."""
    scopes = _policies.scopes
    scopes.append(None if policy is None else as_policy(policy))
    try:
        yield global_policy()
    finally:
        scopes.pop()


def serialized_policy(name) -> dict:
    """The policy named ``name`` as Keras 3 writes it in a layer's config (``get_config()
    ["dtype"]``): ``{"module", "class_name", "config", "registered_name"}``; a dict (already
    written so) is returned as it is."""
    if isinstance(name, dict):
        return name
    parts = quantized_parts(name)
    if parts is not None:
        config = {"mode": parts[0], "source_name": parts[1]}
        class_name = "QuantizedDTypePolicy"
        if parts[0].startswith("int4/"):
            class_name = "Int4DTypePolicy"
        elif parts[0] == "float8":
            class_name = "QuantizedFloat8DTypePolicy"
            config["amax_history_length"] = 1024
        return {
            "module": "keras.dtype_policies",
            "class_name": class_name,
            "config": config,
            "registered_name": None,
        }
    return {
        "module": "keras",
        "class_name": "DTypePolicy",
        "config": {"name": name},
        "registered_name": None,
    }


def as_policy(dtype) -> DTypePolicy:
    """``dtype`` (None, a name, a dtype or a DTypePolicy) as a DTypePolicy. A
    ``keras.dtype_policies.DTypePolicyMap`` gives its default policy; quantized policies
    are refused (gpuflow quantizes trained models with ``gpuflow.quantization``)."""
    if dtype is None:
        return global_policy()
    policy = dtype if isinstance(dtype, DTypePolicy) else DTypePolicy(dtype)
    default = getattr(policy, "default_policy", None)
    if default is not None:  # a DTypePolicyMap
        policy = default
    if policy.quantization_mode is not None:
        raise NotImplementedError(
            f"dtype policy {policy.name!r}: layers here do not take quantized dtype policies "
            f"(mode {policy.quantization_mode!r}); build the float model and quantize it with "
            "gpuflow.quantization.quantize_model"
        )
    return policy
