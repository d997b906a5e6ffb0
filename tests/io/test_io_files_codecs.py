"""tf.io read_file/write_file, the PNG/JPEG/GIF/BMP codecs (through Pillow) and gfile; PNG
round trips are exact, grayscale uses TensorFlow's luma (values from TensorFlow 2.21)."""

from __future__ import annotations

import io
import os

import numpy as np
import pytest

import gpuflow as gf

pytest.importorskip("PIL")
RGB = (np.arange(2 * 3 * 3).reshape(2, 3, 3) * 10).astype(np.uint8)


def test_png_round_trip_through_files(tmp_path):
    path = str(tmp_path / "sub" / "a.png")
    gf.io.write_file(path, gf.io.encode_png(RGB))
    data = gf.io.read_file(path)
    assert data.dtype == gf.string and data.shape == ()  # a scalar string tensor, as TF's
    assert data.numpy()[:4] == b"\x89PNG"
    image = gf.io.decode_png(data)
    assert image.dtype == gf.uint8 and image.shape == (2, 3, 3)
    np.testing.assert_array_equal(image.numpy(), RGB)
    np.testing.assert_array_equal(gf.io.decode_image(np.bytes_(data.numpy())).numpy(), RGB)
    as_float = gf.io.decode_image(data, dtype=gf.float32).numpy()
    np.testing.assert_allclose(as_float, RGB / 255.0, rtol=1e-6)


def test_image_loader_decorated_with_tf_function(tmp_path):
    # the common tf.function loader: read_file + decode inside the function; the decoders
    # read bytes on the host, so the function runs eagerly (with a warning), each call
    # decoding its own file
    small, large = str(tmp_path / "small.png"), str(tmp_path / "large.png")
    gf.io.write_file(small, gf.io.encode_png(RGB))
    gf.io.write_file(large, gf.io.encode_png(np.full((4, 5, 3), 9, np.uint8)))

    @gf.function
    def load(filename):
        image = gf.io.decode_image(gf.io.read_file(filename), channels=3, expand_animations=False)
        return gf.image.convert_image_dtype(image, gf.float32)

    with pytest.warns(RuntimeWarning, match="runs eagerly"):
        first = load(gf.constant(small))
    np.testing.assert_allclose(first.numpy(), RGB / 255.0, rtol=1e-6)
    second = load(gf.constant(large))
    assert second.shape == (4, 5, 3) and second.dtype == gf.float32
    np.testing.assert_allclose(second.numpy(), np.full((4, 5, 3), 9 / 255.0), rtol=1e-6)
    png = gf.function(lambda f: gf.image.decode_png(gf.io.read_file(f)))
    with pytest.warns(RuntimeWarning, match="decode_png"):
        np.testing.assert_array_equal(png(gf.constant(small)).numpy(), RGB)


def test_png_channel_conversions_match_tensorflow():
    data = gf.io.encode_png(RGB)
    # TensorFlow 2.21: decode_png(encode_png(RGB), channels=1)[..., 0]
    gray = gf.io.decode_png(data, channels=1).numpy()[..., 0]
    np.testing.assert_array_equal(gray, [[8, 38, 68], [98, 128, 158]])
    primaries = np.array([[[255, 0, 0], [0, 255, 0], [0, 0, 255], [200, 100, 50]]], np.uint8)
    luma = gf.io.decode_png(gf.io.encode_png(primaries), channels=1).numpy()[..., 0]
    np.testing.assert_array_equal(luma, [[76, 149, 29, 124]])  # TensorFlow 2.21's values
    rgba = gf.io.decode_png(data, channels=4).numpy()
    np.testing.assert_array_equal(rgba[0, 0], [0, 10, 20, 255])
    single = gf.io.encode_png(RGB[..., :1])
    np.testing.assert_array_equal(gf.io.decode_png(single, channels=3).numpy()[0, 1], [30, 30, 30])
    assert gf.io.decode_png(single).shape == (2, 3, 1)


def test_jpeg_gif_bmp():
    flat = np.full((8, 8, 3), 120, np.uint8)
    data = gf.io.encode_jpeg(flat, quality=90)
    assert gf.io.is_jpeg(data) and not gf.io.is_jpeg(gf.io.encode_png(flat))
    assert isinstance(gf.io.is_jpeg(data), gf.Tensor) and gf.io.is_jpeg(data).dtype == gf.bool
    np.testing.assert_allclose(gf.io.decode_jpeg(data).numpy().astype(int), 120, atol=2)
    assert gf.image.decode_image(data, channels=1).shape == (8, 8, 1)
    from PIL import Image

    frames = [Image.fromarray(np.full((4, 5, 3), v, np.uint8)) for v in (0, 255)]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="GIF", save_all=True, append_images=frames[1:])
    gif = buffer.getvalue()
    assert gf.io.decode_gif(gif).shape == (2, 4, 5, 3)
    assert gf.io.decode_image(gif).shape == (2, 4, 5, 3)
    assert gf.io.decode_image(gif, expand_animations=False).shape == (4, 5, 3)
    buffer = io.BytesIO()
    Image.fromarray(RGB).save(buffer, format="BMP")
    np.testing.assert_array_equal(gf.io.decode_bmp(buffer.getvalue()).numpy(), RGB)


def test_codec_errors(tmp_path):
    with pytest.raises(gf.errors.InvalidArgumentError, match="Unknown image file format"):
        gf.io.decode_image(b"abcdefgh")
    with pytest.raises(gf.errors.InvalidArgumentError, match="Unknown image file format"):
        gf.io.decode_png(b"abc")
    with pytest.raises(gf.errors.InvalidArgumentError, match="uint8 image"):
        gf.io.encode_png(np.zeros((2, 2, 3), np.float32))
    with pytest.raises(gf.errors.InvalidArgumentError, match=r"\[height, width, channels\]"):
        gf.io.encode_png(np.zeros((1, 2, 2, 3), np.uint8))
    with pytest.raises(gf.errors.NotFoundError, match="No such file"):
        gf.io.read_file(str(tmp_path / "missing.png"))
    with pytest.raises(TypeError, match="must be bytes"):
        gf.io.decode_png(3)


def test_missing_pillow_names_the_extra(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_pil(name, *args, **kwargs):
        if name == "PIL" or name.startswith("PIL."):
            raise ImportError("No module named 'PIL'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pil)
    with pytest.raises(ImportError, match=r"gpuflow\[image\]"):
        gf.io.encode_png(RGB)


def test_gfile(tmp_path):
    root = str(tmp_path / "a" / "b")
    gf.io.gfile.makedirs(root)
    assert gf.io.gfile.isdir(root) and gf.io.gfile.exists(root)
    with gf.io.gfile.GFile(root + "/x.txt", "w") as f:
        f.write("hello\nworld\n")
    with gf.io.gfile.GFile(root + "/x.txt") as f:
        assert f.readlines() == ["hello\n", "world\n"]
    gf.io.gfile.copy(root + "/x.txt", root + "/y.txt")
    with pytest.raises(gf.errors.AlreadyExistsError):
        gf.io.gfile.copy(root + "/x.txt", root + "/y.txt")
    assert gf.io.gfile.listdir(root) == ["x.txt", "y.txt"]
    assert gf.io.gfile.glob(root + "/*.txt") == [root + "/x.txt", root + "/y.txt"]
    gf.io.gfile.remove(root + "/y.txt")
    assert not gf.io.gfile.exists(root + "/y.txt")
    with pytest.raises(gf.errors.NotFoundError):
        gf.io.gfile.remove(root + "/y.txt")
    with pytest.raises(gf.errors.NotFoundError):
        gf.io.gfile.GFile(root + "/nope.txt", "r")
    with pytest.raises(gf.errors.NotFoundError):
        gf.io.gfile.listdir(root + "/nope")
    # as TensorFlow 2.21: mkdir of an existing path is no error; makedirs through a file is
    gf.io.gfile.mkdir(root)
    gf.io.gfile.mkdir(root + "/x.txt")
    with pytest.raises(gf.errors.NotFoundError):
        gf.io.gfile.mkdir(root + "/no/parent")
    with pytest.raises(gf.errors.FailedPreconditionError, match="is not a directory"):
        gf.io.gfile.makedirs(root + "/x.txt/sub")
    gf.io.gfile.rmtree(str(tmp_path / "a"))
    assert not gf.io.gfile.exists(root)


def test_gfile_file_uris_and_pattern_lists(tmp_path):
    root = str(tmp_path)
    with gf.io.gfile.GFile("file://" + root + "/x.txt", "w") as f:
        f.write("qwert")
    assert gf.io.gfile.exists("file://" + root + "/x.txt")
    assert gf.io.gfile.GFile(root + "/x.txt").read() == "qwert"
    gf.io.gfile.copy(root + "/x.txt", "file://" + root + "/y.py")
    assert gf.io.read_file("file://" + root + "/y.py").numpy() == b"qwert"
    assert gf.io.gfile.glob([root + "/*.txt", root + "/*.py"]) == [
        root + "/x.txt",
        root + "/y.py",
    ]
    assert gf.io.gfile.glob(p for p in [root + "/*.py"]) == [root + "/y.py"]
    with pytest.raises(gf.errors.UnimplementedError, match="scheme 's3' not implemented"):
        gf.io.gfile.exists("s3://bucket/x")
    with pytest.raises(TypeError, match="gfile.exists: path must be a str, bytes, os.PathLike"):
        gf.io.gfile.exists(3)
    with pytest.raises(TypeError, match="gfile.glob: pattern must be a path or an iterable"):
        gf.io.gfile.glob(3)


def test_gfile_join_joins_urls_with_slashes_and_local_paths_as_os_path():
    # TF 2.21's values (its docstring examples first)
    assert gf.io.gfile.join("gcs://folder", "file.py") == "gcs://folder/file.py"
    assert gf.io.gfile.join("ram://folder", "file.py") == "ram://folder/file.py"
    assert gf.io.gfile.join("folder", "file.py") == os.path.join("folder", "file.py")
    assert gf.io.gfile.join("gs://a/", "b", "c") == "gs://a/b/c"
    assert gf.io.gfile.join("gs://a/x", "/b") == "/b"


def test_gfile_stat(tmp_path):
    path = tmp_path / "f.txt"
    path.write_text("abc")
    info = gf.io.gfile.stat(str(path))
    assert (info.length, info.is_directory) == (3, False)
    assert info.mtime_nsec == path.stat().st_mtime_ns
    assert gf.io.gfile.stat(str(tmp_path).encode()).is_directory
    with pytest.raises(gf.errors.NotFoundError, match="No such file or directory"):
        gf.io.gfile.stat(str(tmp_path / "missing"))
