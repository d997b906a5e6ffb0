"""keras.utils data helpers: PyDataset, timeseries_dataset_from_array, split_dataset,
image_dataset_from_directory."""

from __future__ import annotations

import math
import sys

import numpy as np
import pytest

import gpuflow as gf
from gpuflow.keras import utils


class Batches(utils.PyDataset):
    def __init__(self, n, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.x = np.arange(n, dtype=np.float32)[:, None]
        self.batch_size = batch_size
        self.epochs_ended = 0

    def __len__(self):
        return math.ceil(len(self.x) / self.batch_size)

    def __getitem__(self, i):
        s = slice(i * self.batch_size, (i + 1) * self.batch_size)
        return self.x[s], self.x[s] * 2

    def on_epoch_end(self):
        self.epochs_ended += 1


def test_py_dataset_defaults_and_iteration():
    ds = Batches(10, 4)
    assert (ds.workers, ds.use_multiprocessing, ds.max_queue_size) == (1, False, 10)
    assert ds.num_batches == 3 and utils.Sequence is utils.PyDataset
    assert [len(x) for x, _ in ds] == [4, 4, 2]


def test_py_dataset_without_super_init_warns():
    class NoSuper(utils.PyDataset):
        def __init__(self):
            pass

        def __len__(self):
            return 1

    with pytest.warns(UserWarning, match="super"):
        assert NoSuper().workers == 1


def test_timeseries_windows_and_targets():
    data = np.arange(100)
    ds = utils.timeseries_dataset_from_array(
        data[:-10], data[10:], sequence_length=10, batch_size=16
    )
    batches = list(ds.as_numpy_iterator())
    x, y = batches[0]
    assert x.shape == (16, 10) and y.shape == (16,)
    assert x[0].tolist() == list(range(10)) and y[0] == 10
    assert sum(len(b[0]) for b in batches) == 81


def test_timeseries_stride_rate_start_end_and_shuffle():
    data = np.arange(50, dtype=np.float32).reshape(50, 1)
    ds = utils.timeseries_dataset_from_array(
        data,
        None,
        sequence_length=3,
        sequence_stride=5,
        sampling_rate=2,
        batch_size=None,
        start_index=4,
        end_index=40,
    )
    windows = [w[:, 0].tolist() for w in ds.as_numpy_iterator()]
    assert windows[:2] == [[4.0, 6.0, 8.0], [9.0, 11.0, 13.0]]
    assert all(w[-1] < 40 for w in windows)
    shuffled = utils.timeseries_dataset_from_array(
        data, None, sequence_length=3, batch_size=4, shuffle=True, seed=1
    )
    firsts = sorted(float(w[0, 0]) for b in shuffled.as_numpy_iterator() for w in b[:, :, :1])
    assert firsts == [float(i) for i in range(48)]
    with pytest.raises(ValueError, match="sampling_rate"):
        utils.timeseries_dataset_from_array(data, None, 3, sampling_rate=0)


def test_split_dataset_arrays_and_datasets():
    x, y = np.arange(10), np.arange(10) * 10
    left, right = utils.split_dataset((x, y), left_size=0.8)
    assert len(left) == 8 and len(right) == 2
    assert [int(a) for a, _ in right] == [8, 9]
    left, right = utils.split_dataset(
        gf.data.Dataset.range(10).batch(3), right_size=4, shuffle=True, seed=2
    )
    got = sorted(int(v) for d in (left, right) for b in d for v in b.numpy())
    assert got == list(range(10)) and next(iter(left)).shape == (3,)
    with pytest.raises(ValueError, match="at least one"):
        utils.split_dataset(x)
    with pytest.raises(ValueError, match="left_size"):
        utils.split_dataset(x, left_size=10)


def _write_images(root):
    from PIL import Image

    colors = {"cats": (255, 0, 0), "dogs": (0, 0, 255)}
    for label, color in colors.items():
        (root / label).mkdir(parents=True)
        for i in range(3):
            image = Image.new("RGB", (8, 6), color)
            image.save(root / label / f"{i}.{'png' if i % 2 else 'jpg'}")
    (root / "cats" / "notes.txt").write_text("not an image")


def test_image_dataset_from_directory(tmp_path, capsys):
    _write_images(tmp_path)
    ds = utils.image_dataset_from_directory(
        tmp_path, image_size=(6, 8), batch_size=4, shuffle=False
    )
    assert "Found 6 files belonging to 2 classes." in capsys.readouterr().out
    assert ds.class_names == ["cats", "dogs"]
    images, labels = next(iter(ds))
    assert images.shape == (4, 6, 8, 3) and images.dtype == gf.float32
    assert labels.numpy().tolist() == [0, 0, 0, 1] and labels.dtype == gf.int32
    np.testing.assert_allclose(images.numpy()[0, 0, 0], [255, 0, 0], atol=2)  # jpeg is lossy
    cat = utils.image_dataset_from_directory(
        tmp_path,
        image_size=(3, 3),
        label_mode="categorical",
        color_mode="grayscale",
        batch_size=None,
        seed=1,
        verbose=False,
    )
    image, label = next(iter(cat))
    assert image.shape == (3, 3, 1) and label.shape == (2,)
    train, val = utils.image_dataset_from_directory(
        tmp_path,
        image_size=(4, 4),
        seed=3,
        validation_split=0.5,
        subset="both",
        label_mode="binary",
        verbose=False,
    )
    assert len(train.file_paths) == 3 and len(val.file_paths) == 3
    assert not set(train.file_paths) & set(val.file_paths)
    assert next(iter(val))[1].shape == (3, 1)
    with pytest.raises(ValueError, match="seed"):
        utils.image_dataset_from_directory(tmp_path, validation_split=0.2, subset="training")


def test_image_dataset_without_pillow_says_how_to_install(tmp_path, monkeypatch):
    _write_images(tmp_path)
    monkeypatch.setitem(sys.modules, "PIL", None)
    with pytest.raises(ImportError, match="pip install Pillow"):
        utils.image_dataset_from_directory(tmp_path)


def test_image_dataset_from_directory_loads_as_keras_3(tmp_path):
    # Keras 3 decodes with tf.io.decode_image and resizes in float with tf.image.resize:
    # upsampled pixels keep their fractions (Pillow's uint8 resize rounded them)
    from PIL import Image

    folder = tmp_path / "only"
    folder.mkdir()
    pixels = np.random.default_rng(5).integers(0, 256, (5, 7, 3), dtype=np.uint8)
    Image.fromarray(pixels).save(folder / "a.jpg", quality=90)
    Image.fromarray(pixels).save(folder / "b.png")
    ds = utils.image_dataset_from_directory(
        tmp_path, image_size=(9, 11), batch_size=None, shuffle=False, verbose=False
    )
    for (image, _), name in zip(ds, ["a.jpg", "b.png"]):
        raw = gf.io.decode_image(gf.io.read_file(str(folder / name)), channels=3)
        expected = gf.image.resize(raw, (9, 11)).numpy()
        np.testing.assert_array_equal(image.numpy(), expected)
        assert np.any(image.numpy() % 1 != 0)
    cropped = utils.image_dataset_from_directory(
        tmp_path,
        image_size=(4, 4),
        batch_size=None,
        shuffle=False,
        verbose=False,
        crop_to_aspect_ratio=True,
    )
    image, _ = next(iter(cropped))
    raw = gf.io.decode_image(gf.io.read_file(str(folder / "a.jpg")), channels=3)
    expected = gf.keras.preprocessing.image.smart_resize(raw, (4, 4)).numpy()
    np.testing.assert_array_equal(image.numpy(), expected)
