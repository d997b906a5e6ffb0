"""gpuflow.summary.image: written as TensorFlow writes it ([width, height, png...] with the
image plugin's metadata), read back with TensorBoard's reader, PNGs decoded by Pillow."""

from __future__ import annotations

import io

import numpy as np
import pytest
from tb_helpers import need_tensorboard, read_run, tensor_values

import gpuflow
from gpuflow import summary
from gpuflow.summary import _state
from gpuflow.summary.image import encode_png


@pytest.fixture(autouse=True)
def _tensorboard():
    need_tensorboard()
    yield
    _state._local.__dict__.clear()


def _decode(png: bytes) -> np.ndarray:
    pil = pytest.importorskip("PIL.Image")
    return np.asarray(pil.open(io.BytesIO(png)))


@pytest.mark.parametrize("channels", [1, 2, 3, 4])
def test_png_encoder_round_trips(channels):
    image = np.random.default_rng(channels).integers(0, 256, (5, 7, channels), dtype=np.uint8)
    decoded = _decode(encode_png(image))
    np.testing.assert_array_equal(decoded.reshape(5, 7, channels), image)


def test_image_summary_round_trip(tmp_path):
    writer = summary.create_file_writer(tmp_path / "run")
    floats = np.linspace(-0.5, 1.5, 4 * 3 * 2 * 3).reshape(4, 3, 2, 3).astype(np.float32)
    with writer.as_default():
        assert summary.image("pictures", gpuflow.constant(floats), step=5, max_outputs=2)
        assert summary.image("gray", np.full((1, 2, 2, 1), 200, np.uint8), step=1)
    writer.close()
    acc = read_run(tmp_path / "run")
    values = tensor_values(acc, "pictures")[5]
    assert values[0] == b"2" and values[1] == b"3" and len(values) == 4  # width, height, 2 PNGs
    expected = np.clip(floats * 255.5, 0, 255).astype(np.uint8)  # convert_image_dtype rule
    np.testing.assert_array_equal(_decode(values[2]), expected[0])
    np.testing.assert_array_equal(_decode(values[3]), expected[1])
    meta = acc.SummaryMetadata("pictures")
    assert meta.plugin_data.plugin_name == "images"
    np.testing.assert_array_equal(_decode(tensor_values(acc, "gray")[1][2]), np.full((2, 2), 200))


def test_image_errors(tmp_path):
    writer = summary.create_file_writer(tmp_path / "run")
    with writer.as_default():
        with pytest.raises(ValueError, match="expected data of shape \\[k, height, width"):
            summary.image("bad", np.zeros((2, 2, 3)), step=0)
    writer.close()
    assert summary.image("no_writer", np.zeros((1, 2, 2, 1)), step=0) is False
