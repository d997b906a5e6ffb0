"""keras.utils.get_file with extract/untar, hashes and cache paths, as Keras 3 (file:// origins)."""

from __future__ import annotations

import hashlib
import io
import os
import tarfile
import zipfile

import pytest

from gpuflow import keras
from gpuflow.utils.archive_utils import extract_archive

get_file = keras.utils.get_file


def _tree(folder):
    out = []
    for root, dirs, files in os.walk(folder):
        rel = os.path.relpath(root, folder)
        out += [os.path.normpath(os.path.join(rel, f)) for f in files]
    return sorted(out)


def _tgz(path, members):
    with tarfile.open(path, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def _zip(path, members):
    with zipfile.ZipFile(path, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


@pytest.fixture
def src(tmp_path):
    folder = tmp_path / "src"
    folder.mkdir()
    members = {"flowers/roses/a.txt": b"rose", "flowers/tulips/b.txt": b"tulip"}
    _tgz(folder / "flowers.tgz", members)
    _zip(folder / "pets.zip", {"pets/cats/c.txt": b"cat", "pets/dogs/d.txt": b"dog"})
    (folder / "plain.txt").write_bytes(b"just text")
    return folder


@pytest.fixture
def cache(tmp_path):
    folder = tmp_path / "cache"
    folder.mkdir()
    return folder


def test_fname_with_a_dot_keeps_the_archive_and_extracts_into_stem_extracted(src, cache, capsys):
    path = get_file(
        "flowers.tgz", origin=(src / "flowers.tgz").as_uri(), extract=True, cache_dir=str(cache)
    )
    assert path == os.path.join(str(cache), "datasets", "flowers_extracted")
    assert _tree(path) == ["flowers/roses/a.txt", "flowers/tulips/b.txt"]
    assert (cache / "datasets" / "flowers.tgz").is_file()
    assert "Downloading data from file://" in capsys.readouterr().out
    # Cached: no second download, but the archive is extracted again (as Keras does).
    os.remove(os.path.join(path, "flowers", "roses", "a.txt"))
    os.remove(src / "flowers.tgz")
    again = get_file(
        "flowers.tgz", origin="file:///nowhere/flowers.tgz", extract=True, cache_dir=str(cache)
    )
    assert again == path and _tree(path) == ["flowers/roses/a.txt", "flowers/tulips/b.txt"]
    assert "Downloading" not in capsys.readouterr().out


def test_fname_without_a_dot_names_the_folder_and_the_archive_gets_archive_suffix(src, cache):
    path = get_file(
        "flowers", origin=(src / "flowers.tgz").as_uri(), untar=True, cache_dir=str(cache)
    )
    assert path == os.path.join(str(cache), "datasets", "flowers")
    assert (cache / "datasets" / "flowers_archive").is_file()
    assert _tree(path) == ["flowers/roses/a.txt", "flowers/tulips/b.txt"]


def test_without_fname_the_url_name_is_the_folder(src, cache):
    path = get_file(origin=(src / "pets.zip").as_uri(), extract=True, cache_dir=str(cache))
    assert path == os.path.join(str(cache), "datasets", "pets.zip")
    assert os.path.isdir(path) and (cache / "datasets" / "pets.zip_archive").is_file()
    assert _tree(path) == ["pets/cats/c.txt", "pets/dogs/d.txt"]


def test_pre_cached_archive_is_extracted_without_network(src, cache):
    folder = cache / "mine"
    folder.mkdir()
    (folder / "cats_and_dogs.zip").write_bytes((src / "pets.zip").read_bytes())
    path = get_file(
        "cats_and_dogs.zip",
        origin="https://example.invalid/x.zip",
        extract=True,
        cache_dir=str(cache),
        cache_subdir="mine",
    )
    assert path == os.path.join(str(folder), "cats_and_dogs_extracted")
    assert _tree(path) == ["pets/cats/c.txt", "pets/dogs/d.txt"]


def test_not_an_archive_warns_and_returns_the_folder(src, cache):
    with pytest.warns(UserWarning, match="Could not extract archive"):
        path = get_file(
            "notes", origin=(src / "plain.txt").as_uri(), extract=True, cache_dir=str(cache)
        )
    assert path == os.path.join(str(cache), "datasets", "notes") and not os.path.exists(path)
    assert (cache / "datasets" / "notes_archive").read_bytes() == b"just text"
    with pytest.warns(UserWarning, match="Could not extract archive"):  # untar: tar only
        get_file("zipped", origin=(src / "pets.zip").as_uri(), untar=True, cache_dir=str(cache))
    assert not (cache / "datasets" / "zipped").exists()


def test_archive_format_selects_and_rejects(src, tmp_path):
    assert extract_archive(src / "pets.zip", tmp_path / "a", archive_format="tar") is False
    assert extract_archive(src / "pets.zip", tmp_path / "a", archive_format=None) is False
    assert extract_archive(src / "pets.zip", tmp_path / "a", archive_format=["zip"]) is True
    assert _tree(tmp_path / "a") == ["pets/cats/c.txt", "pets/dogs/d.txt"]
    with pytest.raises(NotImplementedError, match="rar"):
        extract_archive(src / "pets.zip", tmp_path / "b", archive_format="rar")


def test_members_outside_the_folder_are_skipped(tmp_path, cache):
    tar_path = tmp_path / "evil.tar"
    with tarfile.open(tar_path, "w") as tar:
        for name, data in {"ok/in.txt": b"in", "../escape.txt": b"x"}.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        link = tarfile.TarInfo("ok/link")
        link.type, link.linkname = tarfile.SYMTYPE, "../../../outside"
        tar.addfile(link)
        inner = tarfile.TarInfo("ok/inner_link")
        inner.type, inner.linkname = tarfile.SYMTYPE, "in.txt"
        tar.addfile(inner)
    with pytest.warns(UserWarning, match="Skipping invalid path") as record:
        path = get_file("evil", origin=tar_path.as_uri(), extract=True, cache_dir=str(cache))
    skipped = sorted(str(w.message) for w in record if "Skipping" in str(w.message))
    assert len(skipped) == 2 and "../escape.txt" in skipped[0] + skipped[1]
    assert sorted(os.listdir(os.path.join(path, "ok"))) == ["in.txt", "inner_link"]
    assert not (cache / "datasets" / "escape.txt").exists()

    zip_path = _zip(tmp_path / "evil.zip", {"good.txt": b"g", "../../zipescape.txt": b"x"})
    with pytest.warns(UserWarning, match="zipescape"):
        path = get_file("z", origin=zip_path.as_uri(), extract=True, cache_dir=str(cache))
    assert _tree(path) == ["good.txt"]
    assert not (cache / "zipescape.txt").exists() and not (tmp_path / "zipescape.txt").exists()


def test_hashes_check_cached_files_and_downloads(src, cache, capsys):
    origin = (src / "plain.txt").as_uri()
    sha = hashlib.sha256(b"just text").hexdigest()
    md5 = hashlib.md5(b"just text").hexdigest()
    path = get_file("p.txt", origin=origin, file_hash=sha, cache_dir=str(cache))
    assert open(path, "rb").read() == b"just text"
    assert get_file("q.txt", origin=origin, md5_hash=md5, cache_dir=str(cache)).endswith("q.txt")
    open(path, "wb").write(b"stale")  # a cached file whose hash differs is fetched again
    capsys.readouterr()
    assert get_file("p.txt", origin=origin, file_hash=sha, cache_dir=str(cache)) == path
    assert "hash does not match" in capsys.readouterr().out
    assert open(path, "rb").read() == b"just text"
    for bad in ("0" * 64, "0" * 32):
        with pytest.raises(ValueError, match="Incomplete or corrupted file detected"):
            get_file("r.txt", origin=origin, file_hash=bad, cache_dir=str(cache))
        assert not (cache / "datasets" / "r.txt").exists()


def test_force_download_replaces_the_cached_copy(src, cache):
    origin = (src / "plain.txt").as_uri()
    path = get_file("f.txt", origin=origin, cache_dir=str(cache))
    (src / "plain.txt").write_bytes(b"new text")
    assert open(get_file("f.txt", origin=origin, cache_dir=str(cache)), "rb").read() == (
        b"just text"
    )
    get_file("f.txt", origin=origin, cache_dir=str(cache), force_download=True)
    assert open(path, "rb").read() == b"new text"


def test_paths_and_argument_errors(src, cache, monkeypatch):
    origin = (src / "plain.txt").as_uri()
    absolute = cache / "abs"
    path = get_file("a.txt", origin=origin, cache_dir=str(cache), cache_subdir=str(absolute))
    assert path == os.path.join(str(absolute), "a.txt")
    monkeypatch.chdir(cache)
    assert get_file("b.txt", origin=origin, cache_dir=".", cache_subdir="") == "./b.txt"
    monkeypatch.setenv("KERAS_HOME", str(cache / "home"))
    assert get_file(origin=origin) == os.path.join(str(cache / "home"), "datasets", "plain.txt")
    with pytest.raises(ValueError, match="Paths are no longer accepted"):
        get_file("a/b.txt", origin=origin, cache_dir=str(cache))
    with pytest.raises(ValueError, match="Can't parse the file name"):
        get_file(origin="file:///tmp/", cache_dir=str(cache))
    with pytest.raises(OSError, match="URL fetch failure on file:///no/such/file.txt"):
        get_file("n.txt", origin="file:///no/such/file.txt", cache_dir=str(cache))
    assert not (cache / "datasets" / "n.txt").exists()
