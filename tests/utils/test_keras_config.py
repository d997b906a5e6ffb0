"""keras.utils.Config: attribute and item access, iteration, JSON, freezing, errors."""

import copy
import json

import pytest

import gpuflow as tf


def test_attribute_and_item_access():
    c = tf.keras.utils.Config(learning_rate=0.1, momentum=0.9)
    c.use_ema = True
    c["seed"] = 123
    assert c.seed == 123 and c["learning_rate"] == 0.1 and "use_ema" in c and len(c) == 4
    assert list(c) == ["learning_rate", "momentum", "seed", "use_ema"]  # sorted, as Keras
    assert dict(c.items()) == c.as_dict() and c.as_dict() is not c.as_dict()
    assert json.loads(c.to_json()) == c.as_dict()
    assert c.get("nope", 5) == 5 and c.pop("seed") == 123
    del c["use_ema"]
    assert sorted(c.keys()) == ["learning_rate", "momentum"]
    assert copy.deepcopy(c).as_dict() == c.as_dict()


def test_freeze_and_errors():
    c = tf.keras.utils.Config(a=1)
    c.freeze()
    assert c.frozen
    for change in (
        lambda: setattr(c, "b", 2),
        lambda: c.__setitem__("b", 2),
        lambda: c.update(b=2),
        lambda: c.pop("a"),
        lambda: c.__delitem__("a"),
    ):
        with pytest.raises(ValueError, match="config is frozen"):
            change()
    c.unfreeze()
    c.seed = 2
    assert c.seed == 2
    with pytest.raises(AttributeError, match="Did you mean 'seed'"):
        c.sed  # noqa: B018
    with pytest.raises(AttributeError, match="unknown attribute: 'zzz'"):
        c.zzz  # noqa: B018
