"""get_file as the tutorials use it (flowers .tgz, cats-and-dogs .zip, IMDB untar), offline:
the archives are built here and served through file:// URLs; Keras 3's cache layout."""

import hashlib
import io
import os
import tarfile
import tempfile
import warnings
import zipfile

import tensorflow as tf

work = tempfile.mkdtemp()
cache = os.path.join(work, "cache")
os.makedirs(cache)


def tree(folder):
    found = []
    for root, _, files in os.walk(folder):
        found += [os.path.relpath(os.path.join(root, f), folder) for f in files]
    return sorted(found)


def add(tar, name, data):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    tar.addfile(info, io.BytesIO(data))


photos = os.path.join(work, "photos.tgz")
with tarfile.open(photos, "w:gz") as tar:
    add(tar, "photos/roses/r1.jpg", b"r1")
    add(tar, "photos/tulips/t1.jpg", b"t1")
pets = os.path.join(work, "pets.zip")
with zipfile.ZipFile(pets, "w") as z:
    z.writestr("pets_filtered/train/cats/c.jpg", b"c")
    z.writestr("pets_filtered/validation/dogs/d.jpg", b"d")
url = "file://" + photos

# fname with an extension: the archive keeps that name, the files go to <stem>_extracted.
got = tf.keras.utils.get_file("photos.tgz", origin=url, extract=True, cache_dir=cache)
datasets = os.path.join(cache, "datasets")
assert got == os.path.join(datasets, "photos_extracted"), got
assert tree(got) == ["photos/roses/r1.jpg", "photos/tulips/t1.jpg"], tree(got)
assert os.path.isfile(os.path.join(datasets, "photos.tgz"))

# fname without a dot names the folder; the archive is kept as <fname>_archive (untar=True).
got = tf.keras.utils.get_file("imdb_like", url, untar=True, cache_dir=cache, cache_subdir="")
assert got == os.path.join(cache, "imdb_like"), got
assert os.path.isfile(os.path.join(cache, "imdb_like_archive"))
assert tree(os.path.join(got, "photos")) == ["roses/r1.jpg", "tulips/t1.jpg"]

# No fname: the URL's file name is the folder.
got = tf.keras.utils.get_file(origin="file://" + pets, extract=True, cache_dir=cache)
assert got == os.path.join(datasets, "pets.zip") and os.path.isdir(got), got
assert tree(got) == ["pets_filtered/train/cats/c.jpg", "pets_filtered/validation/dogs/d.jpg"]

# An archive already in the cache is used (and extracted) without going to the network.
os.makedirs(os.path.join(cache, "mine"))
with open(pets, "rb") as src, open(os.path.join(cache, "mine", "cd.zip"), "wb") as dst:
    dst.write(src.read())
got = tf.keras.utils.get_file(
    "cd.zip", "https://example.invalid/cd.zip", extract=True, cache_dir=cache, cache_subdir="mine"
)
assert got == os.path.join(cache, "mine", "cd_extracted")
assert os.path.isdir(os.path.join(got, "pets_filtered", "train", "cats"))

# A plain file with extract=True: a warning, and the (absent) folder's path.
text = os.path.join(work, "notes.txt")
with open(text, "w") as f:
    f.write("hello")
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    got = tf.keras.utils.get_file("notes", "file://" + text, extract=True, cache_dir=cache)
assert any("Could not extract archive" in str(w.message) for w in caught)
assert got == os.path.join(datasets, "notes") and not os.path.exists(got)

# Members that would land outside the folder are skipped with a warning.
evil = os.path.join(work, "evil.tar")
with tarfile.open(evil, "w") as tar:
    add(tar, "inside/ok.txt", b"ok")
    add(tar, "../outside.txt", b"no")
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    got = tf.keras.utils.get_file("evil", "file://" + evil, extract=True, cache_dir=cache)
assert any("Skipping invalid path" in str(w.message) for w in caught)
assert tree(got) == ["inside/ok.txt"] and not os.path.exists(os.path.join(datasets, "outside.txt"))

# Hashes: a right one passes, a wrong one after the download is a ValueError.
sha = hashlib.sha256(open(text, "rb").read()).hexdigest()
got = tf.keras.utils.get_file("n.txt", "file://" + text, file_hash=sha, cache_dir=cache)
assert open(got).read() == "hello"
try:
    tf.keras.utils.get_file("m.txt", "file://" + text, file_hash="0" * 64, cache_dir=cache)
    raise AssertionError("a wrong hash was accepted")
except ValueError as e:
    assert "Incomplete or corrupted file detected" in str(e)

# Bad arguments.
for kwargs in ({"fname": "a/b.txt", "origin": "file://" + text}, {"fname": "x.txt"}):
    try:
        tf.keras.utils.get_file(cache_dir=cache, **kwargs)
        raise AssertionError(f"accepted {kwargs}")
    except ValueError:
        pass
print("ok")
