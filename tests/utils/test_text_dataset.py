"""keras.utils.text_dataset_from_directory and pad_sequences (expected values from Keras 3
on TensorFlow 2.21, pasted in)."""

import numpy as np
import pytest

import gpuflow as tf

keras = tf.keras


def _write(root, classes):
    for name, texts in classes.items():
        folder = root / name
        folder.mkdir()
        for i, text in enumerate(texts):
            (folder / f"{i}.txt").write_text(text)
        (folder / "skip.md").write_text("not a .txt file")


def _all(ds):
    texts, labels = [], []
    for x, y in ds:
        texts += x.numpy().tolist()
        labels += y.numpy().tolist()
    return texts, labels


def test_labels_inferred_from_subfolders(tmp_path):
    _write(tmp_path, {"neg": ["bad", "awful"], "pos": ["good", "great", "fine"]})
    ds = keras.utils.text_dataset_from_directory(tmp_path, batch_size=2, shuffle=False)
    assert ds.class_names == ["neg", "pos"]
    texts, labels = _all(ds)
    assert texts == [b"bad", b"awful", b"good", b"great", b"fine"]
    assert labels == [0, 0, 1, 1, 1]
    first = next(iter(ds))
    assert first[0].dtype == tf.string and first[1].dtype == tf.int32


def test_validation_split_subsets_do_not_overlap(tmp_path):
    _write(tmp_path, {"a": [f"a{i}" for i in range(6)], "b": [f"b{i}" for i in range(4)]})
    train = keras.utils.text_dataset_from_directory(
        tmp_path, batch_size=3, validation_split=0.2, subset="training", seed=7
    )
    val = keras.utils.text_dataset_from_directory(
        tmp_path, batch_size=3, validation_split=0.2, subset="validation", seed=7
    )
    train_texts, _ = _all(train)
    val_texts, _ = _all(val)
    assert len(train_texts) == 8 and len(val_texts) == 2
    assert not set(train_texts) & set(val_texts)
    both = keras.utils.text_dataset_from_directory(
        tmp_path, validation_split=0.2, subset="both", seed=7
    )
    assert sorted(_all(both[1])[0]) == sorted(val_texts)


def test_label_modes_and_max_length(tmp_path):
    _write(tmp_path, {"x": ["hello world"], "y": ["bye"]})
    binary = keras.utils.text_dataset_from_directory(
        tmp_path, label_mode="binary", shuffle=False, max_length=4
    )
    texts, labels = next(iter(binary))
    assert texts.numpy().tolist() == [b"hell", b"bye"] and labels.numpy().tolist() == [[0.0], [1.0]]
    categorical = keras.utils.text_dataset_from_directory(
        tmp_path, label_mode="categorical", shuffle=False
    )
    assert next(iter(categorical))[1].numpy().tolist() == [[1.0, 0.0], [0.0, 1.0]]
    unlabelled = keras.utils.text_dataset_from_directory(tmp_path, labels=None, shuffle=False)
    assert next(iter(unlabelled)).numpy().tolist() == [b"hello world", b"bye"]


@pytest.mark.parametrize(
    "kwargs, words",
    [
        ({"label_mode": "sparse"}, "label_mode must be"),
        ({"validation_split": 0.2}, "subset"),
        ({"validation_split": 0.2, "subset": "training"}, "pass a seed"),
        ({"labels": "folders"}, "labels must be"),
    ],
)
def test_argument_errors(tmp_path, kwargs, words):
    _write(tmp_path, {"x": ["a"], "y": ["b"]})
    with pytest.raises(ValueError, match=words):
        keras.utils.text_dataset_from_directory(tmp_path, **kwargs)


def test_pad_sequences_as_keras():
    pad = keras.utils.pad_sequences
    assert pad([[1, 2, 3], [4]], maxlen=2).tolist() == [[2, 3], [0, 4]]
    post = pad([[1, 2, 3], [4]], padding="post", truncating="post", value=-1)
    assert post.tolist() == [[1, 2, 3], [4, -1, -1]] and post.dtype == np.int32
    assert pad([[1.5, 2.5], [4]], dtype="float32").tolist() == [[1.5, 2.5], [0.0, 4.0]]
    assert pad([["a", "b"], ["c"]], dtype=object, value="").tolist() == [["a", "b"], ["", "c"]]
    assert pad([[[1, 2], [3, 4]], [[5, 6]]]).tolist() == [[[1, 2], [3, 4]], [[0, 0], [5, 6]]]
    assert pad([[], [1]]).tolist() == [[0], [1]]
    alias = keras.preprocessing.sequence.pad_sequences
    assert alias([[1]], maxlen=3).tolist() == [[0, 0, 1]]


@pytest.mark.parametrize(
    "args, kwargs, words",
    [
        ([[1]], {"padding": "mid"}, 'Padding type "mid" not understood'),
        ([[1]], {"truncating": "x"}, 'Truncating type "x" not understood'),
        ([[1], 3], {}, "must be a list of iterables"),
        ([["a"]], {"value": "x"}, "not compatible with `value`"),
        ([[[1, 2]], [[1]]], {}, "different from expected shape"),
    ],
)
def test_pad_sequences_errors(args, kwargs, words):
    with pytest.raises(ValueError, match=words):
        keras.utils.pad_sequences(args, **kwargs)
