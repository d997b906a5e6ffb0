"""Small fake files in the exact formats of the Keras data-set cache (for tests).

Each ``write_*`` function puts the file(s) a loader reads into ``datasets`` (the
``$KERAS_HOME/datasets`` folder) and returns the arrays it wrote.
"""

from __future__ import annotations

import io
import json
import os
import pickle
import tarfile

import numpy as np

from gpuflow.datasets._idx import write_idx


def _cifar_batch(rng, n, label_keys, pattern=False):
    if pattern:  # compressible pixels (full-size batches stay small on disk)
        data = ((np.arange(n)[:, None] * 7 + np.arange(3072)[None, :] * 3) % 256).astype(np.uint8)
    else:
        data = rng.randint(0, 256, size=(n, 3072)).astype(np.uint8)
    d = {b"data": data, b"batch_label": b"x"}
    for key, top in label_keys:
        d[key.encode()] = [int(v) for v in rng.randint(0, top, size=n)]
    return d


def _tar_gz(path, members):
    with tarfile.open(path, "w:gz") as tar:
        for name, obj in members.items():
            raw = pickle.dumps(obj, protocol=4)
            info = tarfile.TarInfo(name)
            info.size = len(raw)
            tar.addfile(info, io.BytesIO(raw))


def write_cifar10_archive(path, seed=0, n=(4, 4, 4, 4, 4, 5), pattern=False):
    """A cifar-10-python.tar.gz with five training batches and a test batch."""
    rng = np.random.RandomState(seed)
    names = [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch"]
    batches = {
        f"cifar-10-batches-py/{name}": _cifar_batch(rng, k, [("labels", 10)], pattern)
        for name, k in zip(names, n)
    }
    _tar_gz(path, batches)
    return batches


def write_cifar100_archive(path, seed=0, n_train=6, n_test=3):
    rng = np.random.RandomState(seed)
    keys = [("fine_labels", 100), ("coarse_labels", 20)]
    batches = {
        "cifar-100-python/train": _cifar_batch(rng, n_train, keys),
        "cifar-100-python/test": _cifar_batch(rng, n_test, keys),
    }
    _tar_gz(path, batches)
    return batches


def write_fashion(folder, seed=0, n_train=7, n_test=3):
    rng = np.random.RandomState(seed)
    os.makedirs(folder, exist_ok=True)
    arrays = {
        "train-labels-idx1-ubyte.gz": rng.randint(0, 10, n_train).astype(np.uint8),
        "train-images-idx3-ubyte.gz": rng.randint(0, 256, (n_train, 28, 28)).astype(np.uint8),
        "t10k-labels-idx1-ubyte.gz": rng.randint(0, 10, n_test).astype(np.uint8),
        "t10k-images-idx3-ubyte.gz": rng.randint(0, 256, (n_test, 28, 28)).astype(np.uint8),
    }
    for name, a in arrays.items():
        write_idx(os.path.join(folder, name), a)
    return arrays


def _ragged(rng, n, vocab, lo=2, hi=12):
    out = np.empty(n, dtype=object)
    out[:] = [[int(w) for w in rng.randint(1, vocab, rng.randint(lo, hi))] for _ in range(n)]
    return out


def write_imdb(path, seed=0, n_train=9, n_test=7, vocab=40):
    rng = np.random.RandomState(seed)
    arrays = {
        "x_train": _ragged(rng, n_train, vocab),
        "y_train": rng.randint(0, 2, n_train).astype(np.int64),
        "x_test": _ragged(rng, n_test, vocab),
        "y_test": rng.randint(0, 2, n_test).astype(np.int64),
    }
    np.savez(path, **arrays)
    return arrays


def write_reuters(path, seed=0, n=13, vocab=50):
    rng = np.random.RandomState(seed)
    arrays = {"x": _ragged(rng, n, vocab), "y": rng.randint(0, 46, n).astype(np.int64)}
    np.savez(path, **arrays)
    return arrays


def write_housing(path, features, seed=0, n=11):
    rng = np.random.RandomState(seed)
    arrays = {"x": rng.rand(n, features) * 10, "y": rng.rand(n) * 50}
    np.savez(path, **arrays)
    return arrays


def write_word_index(path, words=("the", "movie", "great")):
    index = {w: i + 1 for i, w in enumerate(words)}
    with open(path, "w") as f:
        json.dump(index, f)
    return index


def fill_cache(datasets):
    """Writes every fake file into the Keras cache folder ``datasets``; returns their arrays."""
    os.makedirs(datasets, exist_ok=True)
    return {
        "cifar10": write_cifar10_archive(
            os.path.join(datasets, "cifar-10-batches-py-target_archive")
        ),
        "cifar100": write_cifar100_archive(
            os.path.join(datasets, "cifar-100-python-target_archive")
        ),
        "fashion": write_fashion(os.path.join(datasets, "fashion-mnist")),
        "imdb": write_imdb(os.path.join(datasets, "imdb.npz")),
        "reuters": write_reuters(os.path.join(datasets, "reuters.npz")),
        "boston": write_housing(os.path.join(datasets, "boston_housing.npz"), 13),
        "california": write_housing(os.path.join(datasets, "california_housing.npz"), 8, n=700),
        "imdb_word_index": write_word_index(os.path.join(datasets, "imdb_word_index.json")),
        "reuters_word_index": write_word_index(
            os.path.join(datasets, "reuters_word_index.json"), ("said", "mln")
        ),
    }


def makedirs(folder):
    os.makedirs(folder, exist_ok=True)
    return str(folder)
