"""Image file codecs of ``tf.io`` (and ``tf.image``): ``decode_png``, ``decode_jpeg``,
``decode_gif``, ``decode_bmp``, ``decode_image``, ``encode_png``, ``encode_jpeg``, ``is_jpeg``.

Decoding and encoding go through Pillow (an optional dependency: ``gpuflow[image]``).
Contents are ``bytes`` (see :mod:`gpuflow.io.files`); decoded images are uint8 tensors
``[height, width, channels]`` (GIF: ``[frames, height, width, 3]``). PNG grayscale uses
TensorFlow's luma weights, so PNG results equal TensorFlow's; JPEG is lossy and decoders
differ, so a decoded JPEG can differ from TensorFlow's by a few levels per pixel.
"""

from __future__ import annotations

import io

import numpy as np

from .. import dtypes
from ..errors import invalid_argument
from ..ops._common import as_tensor
from ..ops.image_color import convert_image_dtype
from ..tensor import Tensor
from ._pillow import pillow
from .files import as_bytes, contents_tensor
from .jpeg_fancy import fancy_rgb

_FORMATS = "Unknown image file format. One of JPEG, PNG, GIF, BMP required."
_LUMA = np.array([0.2989, 0.587, 0.114])


def _kind(data: bytes) -> str | None:
    if data[:3] == b"\xff\xd8\xff":
        return "jpeg"
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "png"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if data[:2] == b"BM":
        return "bmp"
    return None


def _open(data: bytes, op: str, dct_method="", fancy_upscaling=True):
    """The decoded Pillow image. A JPEG is decoded as TensorFlow's libjpeg settings make it
    where Pillow can match them exactly (see _fast_dct)."""
    image_module = pillow(op)
    try:
        image = image_module.open(io.BytesIO(data))
        how = _jpeg_decoding(image, dct_method, fancy_upscaling)
        if how == "fancy":
            decoded = image_module.fromarray(fancy_rgb(image, how_sampling(image)))
            decoded.format = "JPEG"
            return decoded
        if how == "fast":
            image.decoderconfig = (1, 1)  # libjpeg's fast integer DCT, plain chroma upsampling
        image.load()
    except Exception as exc:  # Pillow raises several classes for corrupt data
        raise invalid_argument(op, f"could not decode the image ({exc})") from None
    return image


def _jpeg_decoding(image, dct_method, fancy_upscaling) -> str | None:
    """How to decode ``image`` for the pixels TensorFlow's decoder gives: "fast" (Pillow's
    draft decode: libjpeg's fast integer DCT, plain chroma upsampling), "fancy" (the fast
    DCT with libjpeg's fancy upsampling, jpeg_fancy.py) or None (Pillow's default: the
    accurate DCT with fancy upsampling). TF uses the fast DCT unless
    ``dct_method="INTEGER_ACCURATE"``; fancy upsampling only changes subsampled chroma.
    The accurate DCT without fancy upsampling has no exact path and decodes as None."""
    if image.format != "JPEG" or dct_method == "INTEGER_ACCURATE":
        return None
    if not fancy_upscaling or image.mode == "L":
        return "fast"
    if image.mode != "RGB":
        return None
    sampling = how_sampling(image)
    return "fast" if sampling == 0 else "fancy" if sampling in (1, 2) else None


def how_sampling(image) -> int:
    """Pillow's chroma subsampling code of a JPEG: 0 4:4:4, 1 4:2:2, 2 4:2:0, -1 other."""
    from PIL.JpegImagePlugin import get_sampling

    return get_sampling(image)


def _native(image) -> np.ndarray:
    """``[H, W, C]`` uint8 in the image's own channel count (palette images expanded)."""
    mode = image.mode
    if mode == "P":
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
    elif mode in ("1", "I", "I;16", "I;16B", "F"):
        image = image.convert("L")
    elif mode == "CMYK" or mode == "YCbCr":
        image = image.convert("RGB")
    elif mode == "PA":
        image = image.convert("RGBA")
    array = np.asarray(image)
    return array[:, :, None] if array.ndim == 2 else array


def _gray(rgb: np.ndarray) -> np.ndarray:
    """TensorFlow's rgb_to_grayscale on uint8: luma of [0, 1] values, scaled by 255.5."""
    luma = (rgb[..., :3].astype(np.float32) / np.float32(255)) @ _LUMA.astype(np.float32)
    return (luma * np.float32(255.5)).astype(np.uint8)[..., None]


def _channels(array: np.ndarray, channels: int, image, op: str) -> np.ndarray:
    have = array.shape[-1]
    if channels in (0, None) or channels == have:
        return array
    if channels == 1:
        if image is not None and image.format == "JPEG":
            return np.asarray(image.convert("L"))[..., None]
        return _gray(array) if have >= 3 else array[..., :1]
    if channels == 3:
        return array[..., :3] if have >= 3 else np.repeat(array[..., :1], 3, axis=-1)
    if channels == 4:
        rgb = array[..., :3] if have >= 3 else np.repeat(array[..., :1], 3, axis=-1)
        alpha = array[..., -1:] if have in (2, 4) else np.full(rgb.shape[:-1] + (1,), 255, np.uint8)
        return np.concatenate([rgb, alpha], axis=-1)
    raise ValueError(f"{op}: channels must be 0, 1, 3 or 4, received {channels!r}")


def _output(array: np.ndarray, dtype, op: str) -> Tensor:
    target = dtypes.as_dtype(dtype, op)
    image = as_tensor(np.ascontiguousarray(array, dtype=np.uint8))
    if target == dtypes.uint8:
        return image
    if not target.is_floating:
        raise TypeError(f"{op}: dtype must be uint8 or a float dtype, received {target.name}")
    return convert_image_dtype(image, target)


def _decode_still(contents, channels, op: str, kinds, **jpeg) -> Tensor:
    data = as_bytes(contents, op)
    kind = _kind(data)
    if kind is None or (kinds and kind not in kinds):
        raise invalid_argument(op, _FORMATS)
    image = _open(data, op, **jpeg)
    return _channels(_native(image), channels, image, op)


def decode_png(contents, channels=0, dtype=dtypes.uint8, name=None) -> Tensor:
    """The PNG in ``contents`` as ``[height, width, channels]`` (channels 0 keeps the file's).

    Raises:
        InvalidArgumentError: when ``contents`` is not an image.
    """
    array = _decode_still(contents, channels, "decode_png", None)
    return _output(array, dtype, "decode_png")


def decode_jpeg(
    contents,
    channels=0,
    ratio=1,
    fancy_upscaling=True,
    try_recover_truncated=False,
    acceptable_fraction=1,
    dct_method="",
    name=None,
) -> Tensor:
    """The JPEG in ``contents`` as uint8 ``[height, width, channels]``."""
    if ratio != 1:
        raise ValueError("decode_jpeg: only ratio=1 is supported")
    array = _decode_still(
        contents,
        channels,
        "decode_jpeg",
        None,
        dct_method=dct_method,
        fancy_upscaling=fancy_upscaling,
    )
    return _output(array, "uint8", "decode_jpeg")


def decode_bmp(contents, channels=0, name=None) -> Tensor:
    """The BMP in ``contents`` as uint8 ``[height, width, channels]``."""
    return _output(_decode_still(contents, channels, "decode_bmp", ("bmp",)), "uint8", "decode_bmp")


def _gif_frames(data: bytes, op: str) -> np.ndarray:
    image = _open(data, op)
    frames = []
    for index in range(getattr(image, "n_frames", 1)):
        image.seek(index)
        frames.append(np.asarray(image.convert("RGB")))
    return np.stack(frames)


def decode_gif(contents, name=None) -> Tensor:
    """The GIF in ``contents`` as uint8 ``[frames, height, width, 3]``."""
    data = as_bytes(contents, "decode_gif")
    if _kind(data) != "gif":
        raise invalid_argument("decode_gif", _FORMATS)
    return as_tensor(_gif_frames(data, "decode_gif"))


def decode_image(contents, channels=None, dtype=dtypes.uint8, name=None, expand_animations=True):
    """Any of PNG, JPEG, GIF, BMP: ``[height, width, channels]``; a GIF is
    ``[frames, height, width, 3]`` unless ``expand_animations=False`` (first frame only).

    Raises:
        InvalidArgumentError: when ``contents`` is none of those formats.
    """
    op = "decode_image"
    data = as_bytes(contents, op)
    kind = _kind(data)
    if kind is None:
        raise invalid_argument(op, _FORMATS)
    if kind == "gif":
        frames = _gif_frames(data, op)
        if not expand_animations:
            frames = frames[0]
        if channels not in (None, 0, 3):
            frames = _channels(frames, channels, None, op)
        return _output(frames, dtype, op)
    image = _open(data, op)
    return _output(_channels(_native(image), channels, image, op), dtype, op)


def _encodable(image, op: str, channel_counts) -> np.ndarray:
    x = image if isinstance(image, Tensor) else as_tensor(np.asarray(image))
    if x.dtype != dtypes.uint8:
        raise invalid_argument(
            op,
            f"expected a uint8 image (convert it with convert_image_dtype), received "
            f"{x.dtype.name}",
        )
    if x.ndim != 3 or x.shape[-1] not in channel_counts:
        raise invalid_argument(
            op,
            f"expected an image [height, width, channels] with channels in {channel_counts}, "
            f"received shape {tuple(x.shape)}",
        )
    return x.numpy()


def _fromarray(array: np.ndarray, op: str):
    image_module = pillow(op)
    if array.shape[-1] == 2:  # Pillow infers L, RGB and RGBA from the shape, not LA
        gray, alpha = (image_module.fromarray(array[..., i]) for i in (0, 1))
        return image_module.merge("LA", (gray, alpha))
    return image_module.fromarray(array[..., 0] if array.shape[-1] == 1 else array)


def encode_png(image, compression=-1, name=None) -> Tensor:
    """PNG file contents (a scalar string tensor) of a uint8 image ``[height, width, 1|2|3|4]``."""
    array = _encodable(image, "encode_png", (1, 2, 3, 4))
    buffer = io.BytesIO()
    level = 6 if compression is None or int(compression) < 0 else int(compression)
    _fromarray(array, "encode_png").save(buffer, format="PNG", compress_level=level)
    return contents_tensor(buffer.getvalue())


def encode_jpeg(
    image,
    format="",
    quality=95,
    progressive=False,
    optimize_size=False,  # noqa: A002
    chroma_downsampling=True,
    density_unit="in",
    x_density=300,
    y_density=300,
    xmp_metadata="",
    name=None,
) -> Tensor:
    """JPEG file contents (a scalar string tensor) of a uint8 image ``[height, width, 1|3]``."""
    array = _encodable(image, "encode_jpeg", (1, 3))
    if format == "grayscale" and array.shape[-1] == 3:
        array = _gray(array)
    elif format == "rgb" and array.shape[-1] == 1:
        array = np.repeat(array, 3, axis=-1)
    buffer = io.BytesIO()
    _fromarray(array, "encode_jpeg").save(
        buffer,
        format="JPEG",
        quality=int(quality),
        progressive=bool(progressive),
        optimize=bool(optimize_size),
        subsampling=2 if chroma_downsampling else 0,
        dpi=(int(x_density), int(y_density)),
    )
    return contents_tensor(buffer.getvalue())


def is_jpeg(contents, name=None) -> Tensor:
    """Whether ``contents`` starts like a JPEG file (a scalar bool tensor, as TensorFlow)."""
    return as_tensor(np.bool_(_kind(as_bytes(contents, "is_jpeg")) == "jpeg"))
