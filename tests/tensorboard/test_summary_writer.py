"""gpuflow.summary: what it writes, read back with TensorBoard's own event reader."""

from __future__ import annotations

import numpy as np
import pytest
from tb_helpers import need_tensorboard, read_run, scalars, tensor_values

import gpuflow
from gpuflow import summary
from gpuflow.summary import _state


@pytest.fixture(autouse=True)
def _tensorboard():
    need_tensorboard()
    yield
    _state._local.__dict__.clear()  # no default writer or step leaks into the next test


def test_scalar_histogram_text_round_trip(tmp_path):
    writer = summary.create_file_writer(tmp_path / "run")
    data = np.random.default_rng(0).normal(size=1000).astype("float32")
    with writer.as_default():
        for step in range(3):
            assert summary.scalar("loss", 1.0 / (step + 1), step=step)
        assert summary.scalar("tensor_value", gpuflow.constant(2.5), step=7)
        assert summary.histogram("weights", gpuflow.constant(data), step=4, buckets=12)
        assert summary.text("notes", "**bold** text", step=2)
    writer.close()

    acc = read_run(tmp_path / "run")
    assert acc.PluginTagToContent("scalars").keys() == {"loss", "tensor_value"}
    assert scalars(acc, "loss") == pytest.approx({0: 1.0, 1: 0.5, 2: 1 / 3}, rel=1e-6)
    assert scalars(acc, "tensor_value") == {7: 2.5}

    assert set(acc.PluginTagToContent("histograms")) == {"weights"}
    ((step, buckets),) = tensor_values(acc, "weights").items()
    assert step == 4 and buckets.shape == (12, 3)  # rows: left edge, right edge, count
    assert buckets[:, 2].sum() == 1000
    np.testing.assert_allclose([buckets[0, 0], buckets[-1, 1]], [data.min(), data.max()], rtol=1e-6)
    expected, _ = np.histogram(data.astype(np.float64), bins=12, range=(data.min(), data.max()))
    np.testing.assert_array_equal(buckets[:, 2], expected)

    assert set(acc.PluginTagToContent("text")) == {"notes"}
    assert tensor_values(acc, "notes")[2].item() == b"**bold** text"


def test_default_step_from_set_step_and_as_default(tmp_path):
    writer = summary.create_file_writer(tmp_path)
    summary.experimental.set_step(5)
    assert summary.experimental.get_step() == 5
    with writer.as_default():
        summary.scalar("a", 1.0)
        with writer.as_default(step=9):
            assert summary.experimental.get_step() == 9
            summary.scalar("b", 2.0)
        summary.scalar("c", 3.0)
    writer.close()
    acc = read_run(tmp_path)
    assert (scalars(acc, "a"), scalars(acc, "b"), scalars(acc, "c")) == (
        {5: 1.0},
        {9: 2.0},
        {5: 3.0},
    )


def test_set_as_default_stays_until_replaced(tmp_path):
    first = summary.create_file_writer(tmp_path / "first")
    second = summary.create_file_writer(tmp_path / "second")
    first.set_as_default(step=1)
    summary.scalar("x", 1.0)
    second.set_as_default(step=2)
    summary.scalar("x", 2.0)
    with first.as_default():
        summary.scalar("y", 3.0)
    summary.scalar("z", 4.0)
    first.close()
    second.close()
    assert set(read_run(tmp_path / "first").PluginTagToContent("scalars")) == {"x", "y"}
    assert scalars(read_run(tmp_path / "second"), "x") == {2: 2.0}
    assert scalars(read_run(tmp_path / "second"), "z") == {2: 4.0}


def test_flush_puts_everything_on_disk_before_close(tmp_path):
    writer = summary.create_file_writer(tmp_path, max_queue=1000, flush_millis=10**9)
    with writer.as_default():
        for step in range(50):
            summary.scalar("loss", float(step), step=step)
        summary.flush()
    assert len(scalars(read_run(tmp_path), "loss")) == 50
    writer.close()


def test_without_a_default_writer_nothing_is_written():
    assert summary.scalar("loss", 1.0, step=0) is False
    assert summary.histogram("w", [1.0, 2.0], step=0) is False
    assert summary.text("t", "x", step=0) is False


def test_errors_are_clear(tmp_path):
    writer = summary.create_file_writer(tmp_path)
    with writer.as_default():
        with pytest.raises(ValueError, match="no step given.*set_step"):
            summary.scalar("loss", 1.0)
        with pytest.raises(
            ValueError, match=r"'loss': expected one number, received float64 data of shape \(2,\)"
        ):
            summary.scalar("loss", [1.0, 2.0], step=0)
    writer.close()
    writer.close()  # closing twice is fine
    with writer.as_default(), pytest.raises(RuntimeError, match="is closed; make a new one"):
        summary.scalar("loss", 1.0, step=0)


def test_histogram_leaves_out_non_finite_values(tmp_path):
    writer = summary.create_file_writer(tmp_path)
    with writer.as_default(step=0):
        summary.histogram("h", np.array([1.0, 2.0, np.nan, np.inf, 3.0]))
    writer.close()
    buckets = tensor_values(read_run(tmp_path), "h")[0]
    assert buckets[:, 2].sum() == 3 and buckets[0, 0] == 1.0 and buckets[-1, 1] == 3.0


def test_hparams_are_a_session_start(tmp_path):
    from tensorboard.plugins.hparams import metadata

    writer = summary.create_file_writer(tmp_path)
    with writer.as_default():
        summary.hparams(
            {"optimizer": "sgd", "learning_rate": 0.1, "batch_size": 32, "nesterov": True},
            trial_id="run-1",
        )
    writer.close()
    content = read_run(tmp_path).PluginTagToContent("hparams")[metadata.SESSION_START_INFO_TAG]
    info = metadata.parse_session_start_info_plugin_data(content)
    assert info.group_name == "run-1"
    assert info.hparams["optimizer"].string_value == "sgd"
    assert info.hparams["learning_rate"].number_value == 0.1
    assert info.hparams["batch_size"].number_value == 32
    assert info.hparams["nesterov"].bool_value is True


def test_summaries_inside_a_function_write_each_run(tmp_path):
    # pix2pix's train step: `with summary_writer.as_default(): tf.summary.scalar(...,
    # step=step // 1000)` inside @tf.function, with tensor values and steps
    writer = summary.create_file_writer(tmp_path / "run")
    images = gpuflow.zeros([1, 2, 2, 1])

    @gpuflow.function
    def step_fn(x, step):
        loss = gpuflow.reduce_sum(x) * 2.0
        with writer.as_default():
            summary.scalar("loss", loss, step=step // 10)
            summary.histogram("x", x, step=step)
            summary.image("images", images + x[0], step=step)
        return loss

    for i in range(3):
        step_fn(gpuflow.constant([float(i), 1.0]), gpuflow.constant(10 * i, dtype="int64"))
    writer.close()
    run = read_run(tmp_path / "run")
    assert scalars(run, "loss") == {0: 2.0, 1: 4.0, 2: 6.0}
    assert sorted(tensor_values(run, "x")) == [0, 10, 20]
    assert len(run.Tensors("images")) == 3
