"""keras.datasets loaders (CIFAR, Fashion-MNIST, IMDB, Reuters, housing) on fake cache files.

Every file is a small fake in Keras' exact format (see keras_fakes.py), placed in a
temporary ``KERAS_HOME`` or served by an HTTP server on 127.0.0.1; nothing touches the
network. Results are checked against NumPy references computed here from the fake arrays.
(The same fakes were also loaded with real Keras 3.15 in a side check: identical dtypes,
shapes and values for every loader and option combination used below.)
"""

import hashlib
import http.server
import io
import os
import pickle
import tarfile
import threading

import keras_fakes
import numpy as np
import pytest

import gpuflow as tf
from gpuflow.datasets import (
    CorruptFileError,
    DataUnavailableError,
    boston_housing,
    california_housing,
    cifar10,
    cifar100,
    fashion_mnist,
    imdb,
    reuters,
)

HASHED = (cifar10, cifar100, imdb, reuters, boston_housing, california_housing)


@pytest.fixture
def home(monkeypatch, tmp_path):
    """A private KERAS_HOME, no proxies, and the published hashes off (the files are fakes)."""
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "kh"))
    for var in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    for module in HASHED:
        monkeypatch.setattr(module, "SHA256", None)
    monkeypatch.setattr(imdb, "WORD_INDEX_MD5", None)
    monkeypatch.setattr(reuters, "WORD_INDEX_MD5", None)
    return tmp_path / "kh" / "datasets"


@pytest.fixture
def offline(monkeypatch):
    """Every origin points at a closed port on 127.0.0.1."""
    from gpuflow.datasets import _keras_cache

    dead = "http://127.0.0.1:9/"
    monkeypatch.setattr(_keras_cache, "KERAS_ORIGIN", dead)
    for module in (imdb, reuters, boston_housing, california_housing, fashion_mnist):
        monkeypatch.setattr(module, "KERAS_ORIGIN", dead, raising=False)
    monkeypatch.setattr(cifar10, "ORIGIN", dead + "cifar-10-python.tar.gz")
    monkeypatch.setattr(cifar100, "ORIGIN", dead + "cifar-100-python.tar.gz")


def test_namespace():
    for name in (
        "cifar10",
        "cifar100",
        "fashion_mnist",
        "imdb",
        "reuters",
        "boston_housing",
        "california_housing",
        "mnist",
    ):
        assert hasattr(getattr(tf.keras.datasets, name), "load_data")
    assert tf.keras.datasets.imdb.get_word_index is imdb.get_word_index
    assert tf.keras.datasets.reuters.get_label_names is reuters.get_label_names
    from gpuflow.keras.datasets import cifar10 as c  # noqa: F401


def test_cifar10(home):
    batches = keras_fakes.write_cifar10_archive(
        os.path.join(keras_fakes.makedirs(home), "cifar-10-batches-py-target_archive")
    )
    (x_train, y_train), (x_test, y_test) = cifar10.load_data()
    train = [batches[f"cifar-10-batches-py/data_batch_{i}"] for i in range(1, 6)]
    test = batches["cifar-10-batches-py/test_batch"]
    ref_x = np.concatenate([b[b"data"] for b in train]).reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)
    assert x_train.dtype == np.uint8 and x_train.shape == (20, 32, 32, 3)
    np.testing.assert_array_equal(x_train, ref_x)
    assert y_train.dtype == np.uint8 and y_train.shape == (20, 1)
    np.testing.assert_array_equal(y_train[:, 0], sum((b[b"labels"] for b in train), []))
    assert x_test.shape == (5, 32, 32, 3) and y_test.shape == (5, 1) and y_test.dtype == np.uint8
    np.testing.assert_array_equal(
        x_test, test[b"data"].reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)
    )
    # extracted where Keras extracts; a second load reads the folder, even without the archive
    assert (home / "cifar-10-batches-py-target" / "cifar-10-batches-py" / "test_batch").is_file()
    os.unlink(home / "cifar-10-batches-py-target_archive")
    np.testing.assert_array_equal(cifar10.load_data()[0][0], x_train)


@pytest.mark.parametrize("mode", ["fine", "coarse"])
def test_cifar100(home, mode):
    batches = keras_fakes.write_cifar100_archive(
        os.path.join(keras_fakes.makedirs(home), "cifar-100-python-target_archive")
    )
    (x_train, y_train), (x_test, y_test) = cifar100.load_data(label_mode=mode)
    train, test = batches["cifar-100-python/train"], batches["cifar-100-python/test"]
    np.testing.assert_array_equal(
        x_train, train[b"data"].reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)
    )
    assert y_train.shape == (6, 1) and y_test.shape == (3, 1)
    assert y_train.dtype == np.int64  # Keras reshapes the pickled list: int64, not uint8
    np.testing.assert_array_equal(y_train[:, 0], train[f"{mode}_labels".encode()])
    np.testing.assert_array_equal(y_test[:, 0], test[f"{mode}_labels".encode()])
    assert x_test.dtype == np.uint8


def test_cifar100_label_mode_error():
    with pytest.raises(ValueError, match="label_mode"):
        cifar100.load_data(label_mode="medium")


def test_fashion_mnist(home):
    arrays = keras_fakes.write_fashion(home / "fashion-mnist")
    (x_train, y_train), (x_test, y_test) = tf.keras.datasets.fashion_mnist.load_data()
    np.testing.assert_array_equal(x_train, arrays["train-images-idx3-ubyte.gz"])
    np.testing.assert_array_equal(y_train, arrays["train-labels-idx1-ubyte.gz"])
    np.testing.assert_array_equal(x_test, arrays["t10k-images-idx3-ubyte.gz"])
    np.testing.assert_array_equal(y_test, arrays["t10k-labels-idx1-ubyte.gz"])
    assert x_train.dtype == y_train.dtype == np.uint8 and x_train.shape == (7, 28, 28)


def _ref_words(seqs, start_char, index_from, num_words, skip_top, oov_char, maxlen, labels):
    out, keep = [], []
    for s, y in zip(seqs, labels):
        s = ([start_char] if start_char is not None else []) + [w + index_from for w in s]
        if maxlen and len(s) >= maxlen:
            continue
        out.append(s)
        keep.append(y)
    return out, keep


def _ref_limit(seqs, num_words, skip_top, oov_char):
    top = num_words or max(max(s) for s in seqs)
    if oov_char is None:
        return [[w for w in s if skip_top <= w < top] for s in seqs]
    return [[w if skip_top <= w < top else oov_char for w in s] for s in seqs]


@pytest.mark.parametrize(
    "kw",
    [
        {},
        {"num_words": 20, "skip_top": 3, "maxlen": 9, "seed": 5},
        {"start_char": None, "oov_char": None, "index_from": 0, "num_words": 30},
    ],
)
def test_imdb(home, kw):
    arrays = keras_fakes.write_imdb(os.path.join(keras_fakes.makedirs(home), "imdb.npz"))
    opts = dict(
        num_words=None, skip_top=0, maxlen=None, seed=113, start_char=1, oov_char=2, index_from=3
    )
    opts.update(kw)
    (x_train, y_train), (x_test, y_test) = imdb.load_data(**kw)
    rng = np.random.RandomState(opts["seed"])
    perm_train = rng.permutation(len(arrays["x_train"]))
    perm_test = rng.permutation(len(arrays["x_test"]))
    common = (
        opts["start_char"],
        opts["index_from"],
        opts["num_words"],
        opts["skip_top"],
        opts["oov_char"],
        opts["maxlen"],
    )
    tr, ytr = _ref_words(
        [arrays["x_train"][i] for i in perm_train], *common, arrays["y_train"][perm_train]
    )
    te, yte = _ref_words(
        [arrays["x_test"][i] for i in perm_test], *common, arrays["y_test"][perm_test]
    )
    limited = _ref_limit(tr + te, opts["num_words"], opts["skip_top"], opts["oov_char"])
    assert x_train.dtype == object and x_test.dtype == object
    assert [list(s) for s in x_train] == limited[: len(tr)]
    assert [list(s) for s in x_test] == limited[len(tr) :]
    np.testing.assert_array_equal(y_train, ytr)
    np.testing.assert_array_equal(y_test, yte)
    assert y_train.dtype == np.int64


def test_imdb_maxlen_too_small_and_bad_kwarg(home):
    keras_fakes.write_imdb(os.path.join(keras_fakes.makedirs(home), "imdb.npz"))
    with pytest.raises(ValueError, match="Increase maxlen"):
        imdb.load_data(maxlen=2)
    with pytest.raises(TypeError, match="nb_words"):
        imdb.load_data(nb_words=10)


@pytest.mark.parametrize(
    "kw", [{}, {"num_words": 25, "skip_top": 2, "maxlen": 8, "test_split": 0.3, "seed": 1}]
)
def test_reuters(home, kw):
    arrays = keras_fakes.write_reuters(os.path.join(keras_fakes.makedirs(home), "reuters.npz"))
    opts = dict(num_words=None, skip_top=0, maxlen=None, test_split=0.2, seed=113)
    opts.update(kw)
    (x_train, y_train), (x_test, y_test) = reuters.load_data(**kw)
    perm = np.random.RandomState(opts["seed"]).permutation(len(arrays["x"]))
    seqs, labels = _ref_words(
        [arrays["x"][i] for i in perm], 1, 3, None, 0, 2, opts["maxlen"], arrays["y"][perm]
    )
    seqs = _ref_limit(seqs, opts["num_words"], opts["skip_top"], 2)
    cut = int(len(seqs) * (1 - opts["test_split"]))
    assert [list(s) for s in x_train] == seqs[:cut]
    assert [list(s) for s in x_test] == seqs[cut:]
    np.testing.assert_array_equal(y_train, labels[:cut])
    np.testing.assert_array_equal(y_test, labels[cut:])
    assert len(reuters.get_label_names()) == 46 and reuters.get_label_names()[3] == "earn"


def test_word_indices(home):
    keras_fakes.makedirs(home)
    want = keras_fakes.write_word_index(home / "imdb_word_index.json")
    assert imdb.get_word_index() == want
    want = keras_fakes.write_word_index(home / "reuters_word_index.json", ("said",))
    assert reuters.get_word_index() == want


@pytest.mark.parametrize(
    "module,features,kw",
    [
        (boston_housing, 13, {}),
        (boston_housing, 13, {"test_split": 0.5, "seed": 3}),
        (california_housing, 8, {}),
        (california_housing, 8, {"version": "small", "test_split": 0.1, "seed": 9}),
    ],
)
def test_housing(home, module, features, kw):
    fname = module.__name__.rsplit(".", 1)[1] + ".npz"
    arrays = keras_fakes.write_housing(
        os.path.join(keras_fakes.makedirs(home), fname), features, n=700
    )
    x, y = arrays["x"], arrays["y"]
    if kw.get("version") == "small":
        x, y = x[:600], y[:600]
    split = kw.get("test_split", 0.2)
    perm = np.random.RandomState(kw.get("seed", 113)).permutation(len(x))
    cut = int(len(x) * (1 - split))
    (x_train, y_train), (x_test, y_test) = module.load_data(**kw)
    np.testing.assert_array_equal(x_train, x[perm][:cut])
    np.testing.assert_array_equal(y_train, y[perm][:cut])
    np.testing.assert_array_equal(x_test, x[perm][cut:])
    np.testing.assert_array_equal(y_test, y[perm][cut:])
    assert x_train.dtype == np.float64 and x_train.shape[1] == features


def test_housing_argument_errors():
    with pytest.raises(ValueError, match="test_split"):
        boston_housing.load_data(test_split=1.0)
    with pytest.raises(ValueError, match="test_split"):
        california_housing.load_data(test_split=-0.1)


def test_california_version_error(home):
    keras_fakes.write_housing(os.path.join(keras_fakes.makedirs(home), "california_housing.npz"), 8)
    with pytest.raises(ValueError, match="version"):
        california_housing.load_data(version="medium")


@pytest.mark.parametrize(
    "call,fname",
    [
        (lambda: imdb.load_data(), "imdb.npz"),
        (lambda: reuters.load_data(), "reuters.npz"),
        (lambda: boston_housing.load_data(), "boston_housing.npz"),
        (lambda: fashion_mnist.load_data(), "train-labels-idx1-ubyte.gz"),
        (lambda: cifar10.load_data(), "cifar-10-batches-py-target_archive"),
        (lambda: imdb.get_word_index(), "imdb_word_index.json"),
    ],
)
def test_offline_error_names_the_file(home, offline, call, fname):
    with pytest.raises(DataUnavailableError) as info:
        call()
    assert fname in str(info.value) and str(home) in str(info.value)


class _Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def server(tmp_path):
    root = tmp_path / "www"
    root.mkdir()

    def handler(*args, **kwargs):
        return _Handler(*args, directory=str(root), **kwargs)

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield root, f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


def _sha256(path):
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


def test_download_cifar100_checked_and_cached(home, server, monkeypatch):
    root, url = server
    batches = keras_fakes.write_cifar100_archive(root / "cifar-100-python.tar.gz")
    monkeypatch.setattr(cifar100, "ORIGIN", url + "cifar-100-python.tar.gz")
    monkeypatch.setattr(cifar100, "SHA256", _sha256(root / "cifar-100-python.tar.gz"))
    (x_train, _), _ = cifar100.load_data()
    np.testing.assert_array_equal(
        x_train,
        batches["cifar-100-python/train"][b"data"].reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1),
    )
    assert (home / "cifar-100-python-target_archive").is_file()


def test_download_imdb_hash_mismatch_refused(home, server, monkeypatch):
    from gpuflow.datasets import _keras_cache

    root, url = server
    keras_fakes.write_imdb(root / "imdb.npz")
    monkeypatch.setattr(imdb, "KERAS_ORIGIN", url)
    monkeypatch.setattr(_keras_cache, "KERAS_ORIGIN", url)
    monkeypatch.setattr(imdb, "SHA256", "0" * 64)
    with pytest.raises(DataUnavailableError, match="imdb.npz"):
        imdb.load_data()
    assert not (home / "imdb.npz").exists()  # nothing half-written under the real name
    monkeypatch.setattr(imdb, "SHA256", _sha256(root / "imdb.npz"))
    (x_train, _), _ = imdb.load_data()
    assert len(x_train) == 9 and (home / "imdb.npz").is_file()


def test_download_fashion_into_keras_subfolder(home, server, monkeypatch):
    root, url = server
    arrays = keras_fakes.write_fashion(root)
    monkeypatch.setattr(fashion_mnist, "KERAS_ORIGIN", url)
    (x_train, _), _ = fashion_mnist.load_data()
    np.testing.assert_array_equal(x_train, arrays["train-images-idx3-ubyte.gz"])
    assert sorted(os.listdir(home / "fashion-mnist")) == sorted(fashion_mnist.FILES)


class _Evil:
    def __reduce__(self):
        return (os.system, ("echo pwned",))


def test_hostile_pickle_refused(home):
    keras_fakes.makedirs(home)
    evil = np.empty(2, dtype=object)
    evil[:] = [_Evil(), [1, 2]]
    np.savez(home / "imdb.npz", x_train=evil, y_train=np.zeros(2), x_test=evil, y_test=np.zeros(2))
    with pytest.raises(CorruptFileError, match="posix.system|os.system|refusing"):
        imdb.load_data()


def test_tar_escape_refused(home):
    keras_fakes.makedirs(home)
    with tarfile.open(home / "cifar-10-batches-py-target_archive", "w:gz") as tar:
        raw = pickle.dumps({b"data": np.zeros((1, 3072), np.uint8)}, protocol=4)
        info = tarfile.TarInfo("../escaped")
        info.size = len(raw)
        tar.addfile(info, io.BytesIO(raw))
    with pytest.raises(CorruptFileError, match="escaped"):
        cifar10.load_data()
    assert not (home / "escaped").exists() and not (home.parent / "escaped").exists()


def test_corrupt_files_named(home):
    keras_fakes.makedirs(home)
    np.savez(home / "reuters.npz", x=np.zeros(3))  # no y
    with pytest.raises(CorruptFileError, match="reuters.npz.*missing"):
        reuters.load_data()
    (home / "boston_housing.npz").write_bytes(b"not a zip")
    with pytest.raises(CorruptFileError, match="boston_housing.npz"):
        boston_housing.load_data()
    np.savez(home / "california_housing.npz", x=np.zeros((4, 3)), y=np.zeros(4))
    with pytest.raises(CorruptFileError, match=r"\(n, 8\)"):
        california_housing.load_data()


def test_mnist_still_works(tmp_path, monkeypatch):
    monkeypatch.setenv("GPUFLOW_DATA", str(tmp_path))
    rng = np.random.RandomState(1)
    arrays = {
        "x_train": rng.randint(0, 256, (3, 28, 28)).astype(np.uint8),
        "y_train": np.array([1, 2, 3], np.uint8),
        "x_test": rng.randint(0, 256, (2, 28, 28)).astype(np.uint8),
        "y_test": np.array([4, 5], np.uint8),
    }
    np.savez(tmp_path / "mnist.npz", **arrays)
    (x, y), (xt, yt) = tf.keras.datasets.mnist.load_data()
    np.testing.assert_array_equal(x, arrays["x_train"])
    np.testing.assert_array_equal(yt, arrays["y_test"])
