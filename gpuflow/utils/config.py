"""``keras.utils.Config``: a dict of named values that also reads and writes as attributes,
can be frozen against changes, and serializes to JSON, as Keras 3's."""

from __future__ import annotations

import copy
import difflib
import json

# The names Config itself defines: attributes, never config entries.
_OWN = frozenset({"_config", "_frozen"})


class Config:
    """``Config(learning_rate=0.1)``; then ``config.seed = 1``, ``config["seed"]``,
    ``config.items()``, ``config.as_dict()``, ``config.to_json()``, ``config.freeze()``.

    Raises:
        ValueError: when a frozen config is changed.
        AttributeError: for an unknown name (suggesting the closest entry).
    """

    def __init__(self, **kwargs) -> None:
        object.__setattr__(self, "_config", kwargs)
        object.__setattr__(self, "_frozen", False)

    @property
    def frozen(self) -> bool:
        """Whether the config is frozen."""
        return self._frozen

    def freeze(self) -> None:
        """Mark the config as frozen: any later change raises a ValueError."""
        object.__setattr__(self, "_frozen", True)

    def unfreeze(self) -> None:
        object.__setattr__(self, "_frozen", False)

    def _raise_if_frozen(self) -> None:
        if self._frozen:
            raise ValueError("Config: cannot mutate attribute(s) because the config is frozen.")

    def as_dict(self) -> dict:
        return copy.copy(self._config)

    def to_json(self) -> str:
        return json.dumps(self._config)

    def keys(self):
        return self._config.keys()

    def values(self):
        return self._config.values()

    def items(self):
        return self._config.items()

    def pop(self, *args):
        self._raise_if_frozen()
        return self._config.pop(*args)

    def update(self, *args, **kwargs):
        self._raise_if_frozen()
        return self._config.update(*args, **kwargs)

    def get(self, keyname, value=None):
        return self._config.get(keyname, value)

    def __setattr__(self, name, value) -> None:
        if name in _OWN or hasattr(type(self), name):
            return object.__setattr__(self, name, value)
        self._raise_if_frozen()
        self._config[name] = value

    def __getattr__(self, name):
        # only called for names that are not attributes of the object
        config = self.__dict__.get("_config", {})
        if name in config:
            return config[name]
        message = f"Config: unknown attribute: '{name}'."
        closest = difflib.get_close_matches(name, list(config), n=1, cutoff=0.7)
        if closest:
            message += f" Did you mean '{closest[0]}'?"
        raise AttributeError(message)

    def __setitem__(self, key, item) -> None:
        self._raise_if_frozen()
        self._config[key] = item

    def __getitem__(self, key):
        return self._config[key]

    def __delitem__(self, key) -> None:
        self._raise_if_frozen()
        del self._config[key]

    def __contains__(self, item) -> bool:
        return item in self._config

    def __iter__(self):
        yield from sorted(self._config)

    def __len__(self) -> int:
        return len(self._config)

    def __repr__(self) -> str:
        return f"<Config {self._config}>"
