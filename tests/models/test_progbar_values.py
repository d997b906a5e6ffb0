"""keras.utils.Progbar's (name, value) pairs, as Keras 3: averaged over the steps unless
listed stateful, shown as given at the end; written to sys.stdout as it is at write time."""

import contextlib
import io

import pytest

import gpuflow as gf


def test_stateless_values_are_averaged_over_steps_and_stateful_shown_as_given():
    bar = gf.keras.utils.Progbar(target=4, stateful_metrics=["acc"], verbose=1, interval=0)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        bar.update(1, [("loss", 1.0), ("acc", 0.5)])
        bar.update(3, [("loss", gf.constant(4.0)), ("acc", 0.75)])
        assert bar._values == {"loss": [9.0, 3], "acc": [0.75, 1]}  # (1*1 + 4*2) / 3 = 3
        bar.add(1, values={"loss": 2.0}.items())  # the last update shows the value given
    assert bar._values == {"loss": [2.0, 1], "acc": [0.75, 1]}
    assert bar._values_order == ["loss", "acc"] and bar._seen_so_far == 4
    assert "4/4" in out.getvalue() and "loss: 2.0000 - acc: 0.7500" in out.getvalue()


def test_stateless_metrics_lists_the_averaged_ones():
    bar = gf.keras.utils.Progbar(target=None, stateless_metrics={"loss"}, verbose=0)
    bar.update(2, [("loss", 1.0), ("lr", 0.1)])
    bar.update(4, [("loss", 3.0), ("lr", 0.2)])
    assert bar._values == {"loss": [8.0, 4], "lr": [0.2, 1]}


def test_both_lists_are_refused():
    with pytest.raises(ValueError, match="only one of `stateful_metrics` or `stateless_metrics`"):
        gf.keras.utils.Progbar(3, stateful_metrics=[], stateless_metrics=[])


def test_a_tensor_value_in_a_dict_prints_as_a_number():
    bar = gf.keras.utils.Progbar(target=1, verbose=1)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        bar.update(1, {"loss": gf.constant(0.25)})
    assert "loss: 0.2500" in out.getvalue() and "tf.Tensor" not in out.getvalue()
