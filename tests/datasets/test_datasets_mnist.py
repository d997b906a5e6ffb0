"""Tests for gpuflow.datasets.mnist: local IDX / npz files and the download path.

Every download goes to an HTTP server the test starts on 127.0.0.1; the real
mirrors are replaced for the whole module, so no test touches the network.
"""

import gzip
import hashlib
import http.server
import io
import os
import socket
import struct
import threading

import numpy as np
import pytest

from gpuflow.datasets import (
    ChecksumError,
    CorruptFileError,
    DataUnavailableError,
    DownloadError,
    mnist,
)
from gpuflow.datasets._fetch import fetch
from gpuflow.datasets._idx import read_idx, write_idx

REAL_MIRRORS = mnist.MIRRORS  # before the autouse fixture replaces it
IDX_NAMES = [
    "train-images-idx3-ubyte",
    "train-labels-idx1-ubyte",
    "t10k-images-idx3-ubyte",
    "t10k-labels-idx1-ubyte",
]


@pytest.fixture(autouse=True)
def _isolated(monkeypatch, tmp_path):
    """No real mirrors, no proxy for 127.0.0.1, and a private default data root."""
    monkeypatch.setattr(mnist, "MIRRORS", ())
    for var in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    monkeypatch.setenv("GPUFLOW_DATA", str(tmp_path / "gpuflow-data"))


@pytest.fixture
def arrays():
    rng = np.random.RandomState(0)
    return {
        "x_train": rng.randint(0, 256, size=(12, 28, 28)).astype(np.uint8),
        "y_train": rng.randint(0, 10, size=12).astype(np.uint8),
        "x_test": rng.randint(0, 256, size=(5, 28, 28)).astype(np.uint8),
        "y_test": rng.randint(0, 10, size=5).astype(np.uint8),
    }


def write_idx_set(folder, arrays, gz=True):
    os.makedirs(folder, exist_ok=True)
    for key, name in zip(("x_train", "y_train", "x_test", "y_test"), IDX_NAMES):
        use_gz = gz if isinstance(gz, bool) else gz[key]
        write_idx(os.path.join(folder, name + (".gz" if use_gz else "")), arrays[key])


def idx_bytes(array, gz=True):
    buf = io.BytesIO()
    payload = (
        struct.pack(">I", 0x0800 | array.ndim)
        + struct.pack(f">{array.ndim}I", *array.shape)
        + array.tobytes()
    )
    if not gz:
        return payload
    with gzip.GzipFile(fileobj=buf, mode="wb") as f:
        f.write(payload)
    return buf.getvalue()


def npz_bytes(arrays):
    buf = io.BytesIO()
    np.savez_compressed(buf, **arrays)
    return buf.getvalue()


def sha(data):
    return hashlib.sha256(data).hexdigest()


def assert_same(result, arrays):
    (x_train, y_train), (x_test, y_test) = result
    for got, key in (
        (x_train, "x_train"),
        (y_train, "y_train"),
        (x_test, "x_test"),
        (y_test, "y_test"),
    ):
        assert got.dtype == np.uint8
        np.testing.assert_array_equal(got, arrays[key])


# ---------------------------------------------------------------- a real HTTP server


class Server:
    """A threaded HTTP server on 127.0.0.1 serving ``routes`` (path -> bytes) and logging
    requests."""

    def __init__(self, routes, short_by=0):
        self.routes = routes
        self.requests = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                outer.requests.append(self.path)
                body = outer.routes.get(self.path)
                if body is None:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/octet-stream")
                self.send_header("Content-Length", str(len(body) + short_by))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(5)


def closed_port_url():
    """An http URL on 127.0.0.1 where nothing listens (connection refused)."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return f"http://127.0.0.1:{port}/mnist/"


def listing(folder):
    return sorted(os.listdir(folder)) if os.path.isdir(folder) else []


# ---------------------------------------------------------------- local files


@pytest.mark.parametrize(
    "gz", [True, False, {"x_train": True, "y_train": False, "x_test": False, "y_test": True}]
)
def test_idx_folder(tmp_path, arrays, gz):
    write_idx_set(tmp_path, arrays, gz)
    assert_same(mnist.load_data(tmp_path, download=False), arrays)


def test_npz_folder_and_file(tmp_path, arrays):
    np.savez(tmp_path / "mnist.npz", **arrays)
    assert_same(mnist.load_data(tmp_path, download=False), arrays)
    assert_same(mnist.load_data(str(tmp_path / "mnist.npz"), download=False), arrays)
    np.savez(tmp_path / "other.npz", **arrays)
    assert_same(mnist.load_data(tmp_path / "other.npz", download=False), arrays)


def test_default_folder_from_env(tmp_path, arrays, monkeypatch):
    root = tmp_path / "root"
    monkeypatch.setenv("GPUFLOW_DATA", str(root))
    assert mnist.default_folder() == str(root / "mnist")
    write_idx_set(root / "mnist", arrays)
    assert_same(mnist.load_data(), arrays)
    # Keras' default argument: a bare file name is relative to the cache folder.
    np.savez(root / "mnist" / "mnist.npz", **arrays)
    assert_same(mnist.load_data("mnist.npz"), arrays)


def test_files_directly_in_data_root(tmp_path, arrays, monkeypatch):
    monkeypatch.setenv("GPUFLOW_DATA", str(tmp_path))
    np.savez(tmp_path / "mnist.npz", **arrays)
    assert_same(mnist.load_data(), arrays)


def test_default_folder_in_home(monkeypatch, tmp_path):
    monkeypatch.delenv("GPUFLOW_DATA")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert mnist.default_folder() == str(tmp_path / ".gpuflow" / "datasets" / "mnist")


def test_bad_magic_names_file(tmp_path, arrays):
    write_idx_set(tmp_path, arrays, gz=False)
    # Swap images and labels: each file has the other's magic number.
    os.replace(tmp_path / IDX_NAMES[1], tmp_path / "tmp")
    os.replace(tmp_path / IDX_NAMES[0], tmp_path / IDX_NAMES[1])
    os.replace(tmp_path / "tmp", tmp_path / IDX_NAMES[0])
    with pytest.raises(
        CorruptFileError, match=r"train-images-idx3-ubyte: expected IDX magic number 2051"
    ):
        mnist.load_data(tmp_path, download=False)


def test_truncated_idx_names_file(tmp_path, arrays):
    write_idx_set(tmp_path, arrays, gz=False)
    path = tmp_path / IDX_NAMES[2]
    path.write_bytes(path.read_bytes()[:-10])
    with pytest.raises(
        CorruptFileError, match=r"t10k-images-idx3-ubyte: header says shape \(5, 28, 28\)"
    ):
        mnist.load_data(tmp_path, download=False)
    path.write_bytes(b"\x00\x00")
    with pytest.raises(
        CorruptFileError, match="t10k-images-idx3-ubyte: expected an IDX file with a 16-byte header"
    ):
        mnist.load_data(tmp_path, download=False)


def test_bad_gzip_names_file(tmp_path, arrays):
    write_idx_set(tmp_path, arrays, gz=True)
    (tmp_path / (IDX_NAMES[3] + ".gz")).write_bytes(b"this is not gzip")
    with pytest.raises(
        CorruptFileError, match=r"t10k-labels-idx1-ubyte\.gz: not a valid gzip file"
    ):
        mnist.load_data(tmp_path, download=False)


def test_wrong_image_shape_names_file(tmp_path, arrays):
    arrays["x_test"] = np.zeros((5, 27, 27), np.uint8)
    write_idx_set(tmp_path, arrays, gz=False)
    with pytest.raises(
        CorruptFileError, match=r"t10k-images-idx3-ubyte: expected shape \(n, 28, 28\), header says"
    ):
        mnist.load_data(tmp_path, download=False)


def test_label_count_mismatch(tmp_path, arrays):
    arrays["y_train"] = arrays["y_train"][:-1]
    write_idx_set(tmp_path, arrays)
    with pytest.raises(CorruptFileError, match="12 images and 11 labels"):
        mnist.load_data(tmp_path, download=False)


def test_bad_npz(tmp_path, arrays):
    (tmp_path / "mnist.npz").write_bytes(b"garbage")
    with pytest.raises(CorruptFileError, match=r"mnist\.npz: not a readable Keras mnist\.npz"):
        mnist.load_data(tmp_path, download=False)
    np.savez(tmp_path / "mnist.npz", x_train=arrays["x_train"])
    with pytest.raises(
        CorruptFileError, match=r"mnist\.npz: expected arrays x_train, y_train, x_test, y_test"
    ):
        mnist.load_data(tmp_path, download=False)
    arrays["y_test"] = np.array([1, 2, 3, 4, 12])
    np.savez(tmp_path / "mnist.npz", **arrays)
    with pytest.raises(CorruptFileError, match=r"y_test as integers 0..9"):
        mnist.load_data(tmp_path, download=False)


def test_npz_int64_labels_become_uint8(tmp_path, arrays):
    expected = dict(arrays)
    arrays = dict(arrays, y_train=arrays["y_train"].astype(np.int64))
    np.savez(tmp_path / "mnist.npz", **arrays)
    assert_same(mnist.load_data(tmp_path, download=False), expected)


def test_read_idx_roundtrip(tmp_path):
    a = np.arange(24, dtype=np.uint8).reshape(2, 3, 4)
    write_idx(tmp_path / "a.gz", a)
    np.testing.assert_array_equal(read_idx(tmp_path / "a.gz", ndim=3), a)


# ---------------------------------------------------------------- offline


def test_offline_message_names_folder_and_files(tmp_path):
    folder = tmp_path / "nothing-here"
    with pytest.raises(DataUnavailableError) as info:
        mnist.load_data(folder, download=False)
    message = str(info.value)
    assert str(folder) in message and "mnist.npz" in message
    for name in IDX_NAMES:
        assert name + ".gz" in message
    assert "\n" not in message
    assert isinstance(info.value, FileNotFoundError)
    assert info.value.folder == str(folder)


def test_offline_all_mirrors_unreachable(tmp_path, monkeypatch):
    dead = closed_port_url()
    monkeypatch.setattr(mnist, "MIRRORS", ((dead, mnist.NPZ_SHA256), (dead, mnist.IDX_SHA256)))
    folder = tmp_path / "data"
    with pytest.raises(DataUnavailableError) as info:
        mnist.load_data(folder, timeout=5)
    message = str(info.value)
    assert str(folder) in message and dead + "mnist.npz" in message
    assert dead + "train-images-idx3-ubyte.gz" in message
    assert len(info.value.errors) == 2
    assert not folder.exists()  # created for the download, removed again when empty


def test_default_folder_named_when_offline(tmp_path):
    with pytest.raises(DataUnavailableError, match=str(tmp_path / "gpuflow-data" / "mnist")):
        mnist.load_data()


# ------------------------------------------------------------- downloads from a local HTTP server


def test_download_npz(tmp_path, arrays):
    body = npz_bytes(arrays)
    folder = tmp_path / "dl"
    with Server({"/keras/mnist.npz": body}) as srv:
        mirrors = [(srv.url + "/keras/", {"mnist.npz": sha(body)})]
        assert_same(mnist.load_data(folder, mirrors=mirrors), arrays)
        assert listing(folder) == ["mnist.npz"]
        # Second call reads the file; no new request.
        assert_same(mnist.load_data(folder, mirrors=mirrors), arrays)
        assert srv.requests == ["/keras/mnist.npz"]


def test_download_idx_into_default_folder(tmp_path, arrays, monkeypatch):
    routes = {
        f"/mnist/{n}.gz": idx_bytes(arrays[k])
        for k, n in zip(("x_train", "y_train", "x_test", "y_test"), IDX_NAMES)
    }
    with Server(routes) as srv:
        monkeypatch.setattr(
            mnist,
            "MIRRORS",
            ((srv.url + "/mnist", {n[len("/mnist/") :]: sha(b) for n, b in routes.items()}),),
        )
        assert_same(mnist.load_data(), arrays)
        assert sorted(srv.requests) == sorted(routes)
    assert listing(tmp_path / "gpuflow-data" / "mnist") == sorted(n + ".gz" for n in IDX_NAMES)


def test_corrupt_download_leaves_nothing(tmp_path, arrays):
    body = npz_bytes(arrays)
    folder = tmp_path / "dl"
    with (
        Server({"/mnist.npz": body[:-7] + b"corrupt"}) as srv,
        pytest.raises(DataUnavailableError, match="SHA-256 mismatch") as info,
    ):
        mnist.load_data(folder, mirrors=[(srv.url, {"mnist.npz": sha(body)})])
    assert str(folder) in str(info.value)
    assert listing(folder) == []


def test_fetch_checksum_error_leaves_nothing(tmp_path):
    with Server({"/f": b"hello"}) as srv:
        with pytest.raises(
            ChecksumError, match=f"expected {sha(b'other')}, received {sha(b'hello')}"
        ):
            fetch(srv.url + "/f", tmp_path / "f", sha(b"other"))
        assert listing(tmp_path) == []
        assert fetch(srv.url + "/f", tmp_path / "f", sha(b"hello")) == str(tmp_path / "f")
        assert (tmp_path / "f").read_bytes() == b"hello"
        fetch(srv.url + "/f", tmp_path / "g", None)  # no checksum: any content
        assert listing(tmp_path) == ["f", "g"]


def test_short_transfer_leaves_nothing(tmp_path):
    with Server({"/f": b"x" * 1000}, short_by=500) as srv, pytest.raises(DownloadError):
        fetch(srv.url + "/f", tmp_path / "f", None, timeout=5)
    assert listing(tmp_path) == []


def test_http_error_is_a_download_error(tmp_path):
    with Server({}) as srv, pytest.raises(DownloadError, match="HTTP 404"):
        fetch(srv.url + "/missing", tmp_path / "f", None)
    assert listing(tmp_path) == []


def test_silent_server_times_out(tmp_path):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)  # accepts connections, never answers
    try:
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/f"
        with pytest.raises(DownloadError, match="timed out"):
            fetch(url, tmp_path / "f", None, timeout=0.3)
    finally:
        listener.close()
    assert listing(tmp_path) == []


def test_unreachable_then_bad_then_good_mirror(tmp_path, arrays):
    body = npz_bytes(arrays)
    folder = tmp_path / "dl"
    with Server({"/bad/mnist.npz": b"not the file", "/good/mnist.npz": body}) as srv:
        mirrors = [
            (closed_port_url(), {"mnist.npz": sha(body)}),
            (srv.url + "/missing/", {"mnist.npz": sha(body)}),
            (srv.url + "/bad/", {"mnist.npz": sha(body)}),
            (srv.url + "/good/", {"mnist.npz": sha(body)}),
        ]
        assert_same(mnist.load_data(folder, mirrors=mirrors, timeout=5), arrays)
        assert srv.requests == ["/missing/mnist.npz", "/bad/mnist.npz", "/good/mnist.npz"]
    assert listing(folder) == ["mnist.npz"]


def test_partial_idx_set_fetches_only_missing(tmp_path, arrays):
    write_idx_set(tmp_path, arrays, gz=False)
    os.remove(tmp_path / IDX_NAMES[3])
    routes = {
        f"/{n}.gz": idx_bytes(arrays[k])
        for k, n in zip(("x_train", "y_train", "x_test", "y_test"), IDX_NAMES)
    }
    with Server(routes) as srv:
        mirrors = [(srv.url + "/", {n[1:]: sha(b) for n, b in routes.items()})]
        assert_same(mnist.load_data(tmp_path, mirrors=mirrors), arrays)
        assert srv.requests == [f"/{IDX_NAMES[3]}.gz"]


def test_default_mirrors_are_pinned():
    assert [base for base, _ in REAL_MIRRORS] == [
        "https://storage.googleapis.com/tensorflow/tf-keras-datasets/",
        "https://ossci-datasets.s3.amazonaws.com/mnist/",
        "https://storage.googleapis.com/cvdf-datasets/mnist/",
    ]
    assert (
        mnist.NPZ_SHA256["mnist.npz"]
        == "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"
    )
    assert sorted(mnist.IDX_SHA256) == sorted(n + ".gz" for n in IDX_NAMES)
    assert all(len(v) == 64 for v in mnist.IDX_SHA256.values())
