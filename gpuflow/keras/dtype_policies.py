"""``keras.dtype_policies`` (Keras 3): dtype policy classes, ``get``, ``serialize`` and
``deserialize``.

``DTypePolicy`` is gpuflow's layer policy (:mod:`gpuflow.layers.dtype_policy`), so a
policy from here goes straight to ``keras.layers.Dense(..., dtype=policy)`` or
``keras.config.set_dtype_policy``. The quantized policies (``"int8_from_float32"``, ...)
parse, compare and serialize as in Keras; ``Dense`` and ``Embedding`` take the int8 and
int4 ones, ``Dense`` and ``EinsumDense`` the float8 one (``layers/int8_weights.py``,
``int4_weights.py``, ``float8_weights.py``); other layers and modes refuse them. A
:class:`DTypePolicyMap` answers a policy per layer path; given to a layer, its default
policy applies.
"""

from __future__ import annotations

import re
from collections.abc import MutableMapping

from ..layers.dtype_policy import (
    QUANTIZATION_MODES,
    DTypePolicy,
    FloatDTypePolicy,
    QuantizedDTypePolicy,
    global_policy,
)

__all__ = [
    "AWQDTypePolicy",
    "DTypePolicy",
    "DTypePolicyMap",
    "FloatDTypePolicy",
    "GPTQDTypePolicy",
    "Int4DTypePolicy",
    "QuantizedDTypePolicy",
    "QuantizedFloat8DTypePolicy",
    "deserialize",
    "get",
    "serialize",
]


class QuantizedFloat8DTypePolicy(QuantizedDTypePolicy):
    """The float8 quantized policy, with the length of its amax history."""

    default_amax_history_length = 1024

    def __init__(self, mode, source_name=None, amax_history_length=1024) -> None:
        super().__init__(mode=mode, source_name=source_name)
        if isinstance(amax_history_length, bool) or not isinstance(amax_history_length, int):
            raise TypeError(
                "`amax_history_length` must be an integer. "
                f"Received: amax_history_length={amax_history_length}"
            )
        self._amax_history_length = amax_history_length

    @property
    def amax_history_length(self) -> int:
        """How many past amax values the float8 scaling keeps."""
        return self._amax_history_length

    def __eq__(self, other) -> bool:
        return super().__eq__(other) and self._amax_history_length == other._amax_history_length

    __hash__ = DTypePolicy.__hash__

    def get_config(self) -> dict:
        config = super().get_config()
        config["amax_history_length"] = self._amax_history_length
        return config


def _mode_parts(mode, cls: str, expected: str, count: int) -> list:
    parts = str(mode).split("/")
    if len(parts) != count or parts[0] != expected.split("/")[0].strip("'"):
        raise ValueError(f"Invalid mode for {cls}. Expected format {expected}, but got '{mode}'.")
    try:
        return [parts[0]] + [int(p) for p in parts[1:]]
    except ValueError:
        raise ValueError(
            f"Invalid mode for {cls}. The numbers in the mode must be integers. Expected "
            f"format {expected}, but got '{mode}'."
        ) from None


class Int4DTypePolicy(QuantizedDTypePolicy):
    """int4 weights in blocks: ``mode="int4/<block_size>"`` (-1: per channel)."""

    def __init__(self, mode, source_name=None) -> None:
        base, block_size = _mode_parts(mode, "Int4DTypePolicy", "'int4/<block_size>'", 2)
        if block_size < -1 or block_size == 0:
            raise ValueError(
                "Invalid block_size in mode. Supported values are -1 (per-channel) or a "
                f"positive integer (sub-channel), but got {block_size} from '{mode}'."
            )
        super().__init__(mode=base, source_name=source_name)
        self.name = f"{mode}_from_{source_name}"
        self.mode = base
        self.block_size = block_size

    def __eq__(self, other) -> bool:
        return super().__eq__(other) and self.block_size == other.block_size

    __hash__ = DTypePolicy.__hash__

    def get_config(self) -> dict:
        config = super().get_config()
        config["mode"] = f"{self.mode}/{self.block_size}"
        return config


class _BitsGroupPolicy(QuantizedDTypePolicy):
    _prefix = ""

    def __init__(self, mode, source_name=None) -> None:
        cls = type(self).__name__
        expected = f"'{self._prefix}/<weight_bits>/<group_size>'"
        base, weight_bits, group_size = _mode_parts(mode, cls, expected, 3)
        self._check_bits(weight_bits, mode)
        if group_size < -1 or group_size == 0:
            raise ValueError(
                "Invalid group_size in mode. Supported values are -1 (whole-tensor) or a "
                f"positive integer, but got {group_size} from '{mode}'."
            )
        super().__init__(mode=base, source_name=source_name)
        self.name = f"{mode}_from_{source_name}"
        self.mode = base
        self.weight_bits = weight_bits
        self.group_size = group_size

    def _check_bits(self, weight_bits: int, mode) -> None:
        if weight_bits not in (2, 3, 4, 8):
            raise ValueError(
                "Invalid weight_bits in mode. Supported values are 2, 3, 4, and 8, but got "
                f"{weight_bits} from '{mode}'."
            )

    def __eq__(self, other) -> bool:
        return (
            super().__eq__(other)
            and self.weight_bits == other.weight_bits
            and self.group_size == other.group_size
        )

    __hash__ = DTypePolicy.__hash__

    def get_config(self) -> dict:
        config = super().get_config()
        config["mode"] = f"{self.mode}/{self.weight_bits}/{self.group_size}"
        return config


class GPTQDTypePolicy(_BitsGroupPolicy):
    """GPTQ-quantized weights: ``mode="gptq/<weight_bits>/<group_size>"``."""

    _prefix = "gptq"


class AWQDTypePolicy(_BitsGroupPolicy):
    """AWQ-quantized weights: ``mode="awq/<weight_bits>/<group_size>"`` (4 bits)."""

    _prefix = "awq"

    def _check_bits(self, weight_bits: int, mode) -> None:
        if weight_bits != 4:
            raise ValueError(
                f"Invalid weight_bits in mode. AWQ only supports 4-bit quantization, but got "
                f"{weight_bits} from '{mode}'."
            )


def _quantized_by_name(name: str):
    parts = name.split("_from_")
    if len(parts) != 2:
        raise ValueError(
            "Cannot convert `policy` into a valid pair (`mode`, `source_name`) to "
            f"instantiate `QuantizedDTypePolicy`. Received: policy={name}"
        )
    mode, source = parts
    if name.startswith("int4") and "/" in mode:
        return Int4DTypePolicy(mode, source)
    if name.startswith("gptq"):
        return GPTQDTypePolicy(mode, source)
    if name.startswith("awq"):
        return AWQDTypePolicy(mode, source)
    if name.startswith("float8"):
        return QuantizedFloat8DTypePolicy(mode, source)
    return QuantizedDTypePolicy(mode, source)


class DTypePolicyMap(DTypePolicy, MutableMapping):
    """Policies by layer path (exact keys first, then keys as full regex matches), else
    ``default_policy``. Its own dtypes are the default policy's."""

    def __init__(self, default_policy=None, policy_map=None) -> None:
        if isinstance(default_policy, DTypePolicyMap):
            raise ValueError("`default_policy` cannot be a `DTypePolicyMap`.")
        if policy_map is not None and not isinstance(policy_map, dict):
            raise TypeError(
                "If specified, `policy_map` must be a dict. "
                f"Received: policy_map={policy_map} of type {type(policy_map)}"
            )
        self._default_policy_arg = default_policy
        self._default_policy = get(default_policy)
        self._policy_map = dict(policy_map or {})

    @property
    def default_policy(self):
        """The policy of paths that match no key."""
        return self._default_policy

    @property
    def name(self) -> str:  # noqa: D102
        return f"map_{self._default_policy.name}"

    @property
    def compute_dtype(self):  # noqa: D102
        return self._default_policy.compute_dtype

    @property
    def variable_dtype(self):  # noqa: D102
        return self._default_policy.variable_dtype

    @property
    def quantization_mode(self):  # noqa: D102
        return self._default_policy.quantization_mode

    def __getitem__(self, key):
        if key in self._policy_map:
            return self._policy_map[key]
        matches = [pattern for pattern in self._policy_map if re.fullmatch(pattern, key)]
        if len(matches) > 1:
            raise ValueError(
                f"Path '{key}' matches multiple dtype policy specification keys: {matches}. "
                "Please make sure each path only matches at most one dtype policy "
                "specification key in the DTypePolicyMap."
            )
        if matches:
            return self._policy_map[matches[0]]
        return self._default_policy

    def __setitem__(self, key, policy) -> None:
        if key in self._policy_map:
            raise ValueError(
                f"{key} already exist in the DTypePolicyMap with value "
                f"{self._policy_map[key]}. Please make sure to not use duplicated keys."
            )
        try:
            policy = get(policy)
        except Exception:
            raise ValueError(
                "Cannot interpret the assigned value by `keras.dtype_policies.get`. "
                f"Received: {policy} of type {type(policy)}"
            ) from None
        self._policy_map[key] = policy

    def __delitem__(self, key) -> None:
        self._policy_map.pop(key)

    def __contains__(self, key) -> bool:
        return key in self._policy_map

    def __len__(self) -> int:
        return len(self._policy_map)

    def __iter__(self):
        return iter(self._policy_map)

    def __eq__(self, other) -> bool:
        return (
            isinstance(other, DTypePolicyMap)
            and self._default_policy == other._default_policy
            and self._policy_map == other._policy_map
        )

    __hash__ = None

    def get_config(self) -> dict:
        return {
            "default_policy": self._default_policy_arg,
            "policy_map": {k: serialize(v) for k, v in self._policy_map.items()},
        }

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        config["policy_map"] = {
            k: deserialize(v, custom_objects) for k, v in (config.get("policy_map") or {}).items()
        }
        return cls(**config)

    def __repr__(self) -> str:
        mapping = [(k, v.name) for k, v in self._policy_map.items()]
        return (
            f"<DTypePolicyMap at {hex(id(self))} default_policy={self._default_policy.name}, "
            f"mapping={mapping}>"
        )


_CLASSES = {
    cls.__name__: cls
    for cls in (
        AWQDTypePolicy,
        DTypePolicy,
        DTypePolicyMap,
        FloatDTypePolicy,
        GPTQDTypePolicy,
        Int4DTypePolicy,
        QuantizedDTypePolicy,
        QuantizedFloat8DTypePolicy,
    )
}


def serialize(dtype_policy) -> dict:
    """The policy as Keras's serialized object: ``{"module", "class_name", "config",
    "registered_name"}``."""
    if not isinstance(dtype_policy, DTypePolicy):
        raise TypeError(
            f"serialize: expected a DTypePolicy, received {dtype_policy!r} of type "
            f"{type(dtype_policy).__name__}"
        )
    name = type(dtype_policy).__name__
    return {
        "module": "keras"
        if name in ("DTypePolicy", "FloatDTypePolicy")
        else "keras.dtype_policies",
        "class_name": name,
        "config": dtype_policy.get_config(),
        "registered_name": None if name in _CLASSES else name,
    }


def deserialize(config, custom_objects=None):
    """The policy of a :func:`serialize` dict (``custom_objects`` may name more classes)."""
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(
            "deserialize: expected a dict with 'class_name' and 'config' (from "
            f"keras.dtype_policies.serialize), received {config!r}"
        )
    classes = dict(_CLASSES)
    classes.update(custom_objects or {})
    name = config.get("registered_name") or config["class_name"]
    cls = classes.get(name) or classes.get(config["class_name"])
    if cls is None:
        raise ValueError(
            f"deserialize: unknown dtype policy class {config['class_name']!r}; known: "
            f"{sorted(_CLASSES)} (pass custom_objects for others)"
        )
    inner = config.get("config") or {}
    if cls is DTypePolicyMap:
        return DTypePolicyMap.from_config(inner, custom_objects)
    return cls.from_config(inner)


def get(identifier):
    """A policy from ``None`` (the global one), a policy, a :func:`serialize` dict or a name
    (``"mixed_float16"``, ``"float32"``, ``"int8_from_float32"``, ...)."""
    if identifier is None:
        return global_policy()
    if isinstance(identifier, DTypePolicy):
        return identifier
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, str):
        if identifier.startswith(QUANTIZATION_MODES):
            return _quantized_by_name(identifier)
        return DTypePolicy(identifier)
    try:
        return DTypePolicy(identifier)
    except (TypeError, ValueError):
        raise ValueError(
            "Cannot interpret `dtype` argument. Expected a string or an instance of "
            f"DTypePolicy. Received: dtype={identifier}"
        ) from None
