"""TFRecord files: ``tf.io.TFRecordWriter``, ``tf.io.TFRecordOptions`` and the reader
behind ``tf.data.TFRecordDataset``.

A TFRecord file is a sequence of records, each framed as TensorFlow frames them::

    uint64 length (little endian)
    uint32 masked_crc32c(length)
    bytes  data[length]
    uint32 masked_crc32c(data)

where ``masked_crc32c(x) = rotate_right(crc32c(x), 15) + 0xa282ead8`` (mod 2**32). A whole
file may be compressed as a GZIP or ZLIB stream. The reader checks both CRCs and raises
``tf.errors.DataLossError`` naming the file and the record's offset (in the uncompressed
stream) on a truncated or corrupted record. CRC32C comes from the ``google-crc32c`` package
(a C implementation where its wheel has one).
"""

from __future__ import annotations

import functools
import os
import struct
import zlib

from ..errors import DataLossError, NotFoundError
from .files import as_bytes, as_path

_MASK_DELTA = 0xA282EAD8
_COMPRESSIONS = ("", "GZIP", "ZLIB")
_WBITS = {"GZIP": 16 + zlib.MAX_WBITS, "ZLIB": zlib.MAX_WBITS}
_CHUNK = 256 * 1024


@functools.cache
def _crc32c_value():
    try:
        import google_crc32c
    except ImportError:
        raise ImportError(
            "TFRecord files need the google-crc32c package (a gpuflow dependency) for their "
            "checksums: pip install google-crc32c"
        ) from None
    return google_crc32c.value


def crc32c(data: bytes) -> int:
    """The CRC32C (Castagnoli) checksum of ``data``."""
    return _crc32c_value()(data)


def masked_crc32c(data: bytes) -> int:
    """TFRecord's masked CRC32C of ``data``."""
    crc = crc32c(data)
    return ((((crc >> 15) | (crc << 17)) & 0xFFFFFFFF) + _MASK_DELTA) & 0xFFFFFFFF


def frame(record: bytes) -> bytes:
    """``record`` framed as one TFRecord (header, data, footer)."""
    length = struct.pack("<Q", len(record))
    return b"".join(
        (
            length,
            struct.pack("<I", masked_crc32c(length)),
            record,
            struct.pack("<I", masked_crc32c(record)),
        )
    )


class TFRecordCompressionType:
    """TF 1's compression constants (``tf.compat.v1.python_io.TFRecordCompressionType``),
    accepted wherever a compression type string is."""

    NONE = 0
    ZLIB = 1
    GZIP = 2


_COMPRESSION_NUMBERS = {0: "", 1: "ZLIB", 2: "GZIP"}


def compression_type(value, op: str) -> str:
    """``compression_type`` (None, "", "GZIP", "ZLIB", or a TFRecordCompressionType
    number) as one of ``_COMPRESSIONS``."""
    if value is None:
        return ""
    if isinstance(value, int) and not isinstance(value, bool) and value in _COMPRESSION_NUMBERS:
        return _COMPRESSION_NUMBERS[value]
    if hasattr(value, "numpy"):
        value = value.numpy()
    if isinstance(value, bytes):
        value = value.decode("utf-8")
    if value not in _COMPRESSIONS:
        raise ValueError(
            f'{op}: Not a valid compression_type: "{value}"; expected "", "GZIP" or "ZLIB"'
        )
    return value


class TFRecordOptions:
    """Options of a TFRecord file (``tf.io.TFRecordOptions``): its compression.

    Args:
        compression_type: ``"GZIP"``, ``"ZLIB"`` or ``""``/None (no compression).
        flush_mode, input_buffer_size, output_buffer_size, window_bits, compression_level,
        compression_method, mem_level, compression_strategy: zlib settings, as in
            TensorFlow; ``compression_level`` (0-9, None: zlib's default), ``window_bits``,
            ``mem_level`` and ``compression_strategy`` are passed to zlib, the buffer sizes
            and ``flush_mode`` are accepted for TensorFlow's signature.
    """

    compression_type_map = {"ZLIB": "ZLIB", "GZIP": "GZIP", "": "", None: ""}

    def __init__(
        self,
        compression_type=None,
        flush_mode=None,
        input_buffer_size=None,
        output_buffer_size=None,
        window_bits=None,
        compression_level=None,
        compression_method=None,
        mem_level=None,
        compression_strategy=None,
    ) -> None:
        self.compression_type = compression_type
        self.flush_mode = flush_mode
        self.input_buffer_size = input_buffer_size
        self.output_buffer_size = output_buffer_size
        self.window_bits = window_bits
        self.compression_level = compression_level
        self.compression_method = compression_method
        self.mem_level = mem_level
        self.compression_strategy = compression_strategy
        compression_type_string(self, "TFRecordOptions")

    @classmethod
    def get_compression_type_string(cls, options) -> str:
        """The compression of ``options`` (a TFRecordOptions, a string or None) as a string."""
        return compression_type_string(options, "TFRecordOptions.get_compression_type_string")

    def __repr__(self) -> str:
        return f"TFRecordOptions(compression_type={self.compression_type!r})"


def compression_type_string(options, op: str) -> str:
    if isinstance(options, TFRecordOptions):
        return compression_type(options.compression_type, op)
    return compression_type(options, op)


class TFRecordWriter:
    """Writes records (bytes) to a TFRecord file (``tf.io.TFRecordWriter``).

    Args:
        path: the file to create (an existing one is overwritten).
        options: a ``TFRecordOptions`` or a compression type string (``"GZIP"``, ``"ZLIB"``,
            ``""``).

    Example:
        >>> with gpuflow.io.TFRecordWriter("data.tfrecord") as writer:
        ...     writer.write(example.SerializeToString())
    """

    def __init__(self, path, options=None) -> None:
        op = "TFRecordWriter"
        self._path = as_path(path, op, "path")
        opts = options if isinstance(options, TFRecordOptions) else None
        self._compression = compression_type_string(options, op)
        self._compressor = None
        if self._compression:
            level = zlib.Z_DEFAULT_COMPRESSION
            if opts is not None and opts.compression_level is not None:
                level = int(opts.compression_level)
            wbits = zlib.MAX_WBITS
            if opts is not None and opts.window_bits is not None:
                wbits = int(opts.window_bits)
            if self._compression == "GZIP":
                wbits += 16
            kwargs = {}
            if opts is not None and opts.mem_level is not None:
                kwargs["memLevel"] = int(opts.mem_level)
            if opts is not None and opts.compression_strategy is not None:
                kwargs["strategy"] = int(opts.compression_strategy)
            self._compressor = zlib.compressobj(level, zlib.DEFLATED, wbits, **kwargs)
        try:
            self._file = open(self._path, "wb")
        except FileNotFoundError:
            raise NotFoundError(
                None, op, f"{op}: {self._path}; No such file or directory"
            ) from None

    def _check_open(self, what: str) -> None:
        if self._file is None:
            raise ValueError(f"TFRecordWriter.{what}: the writer of {self._path} is closed")

    def write(self, record) -> None:
        """Appends ``record`` (bytes, or a scalar string tensor) to the file."""
        self._check_open("write")
        data = frame(as_bytes(record, "TFRecordWriter.write", "record"))
        if self._compressor is not None:
            data = self._compressor.compress(data)
        self._file.write(data)

    def flush(self) -> None:
        """Writes what is buffered to the file (a compressed stream is sync-flushed)."""
        self._check_open("flush")
        if self._compressor is not None:
            self._file.write(self._compressor.flush(zlib.Z_SYNC_FLUSH))
        self._file.flush()

    def close(self) -> None:
        """Finishes the file (the compressed stream's trailer too) and closes it."""
        if self._file is None:
            return
        if self._compressor is not None:
            self._file.write(self._compressor.flush(zlib.Z_FINISH))
        self._file.close()
        self._file = None

    def __enter__(self) -> "TFRecordWriter":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # noqa: BLE001 (interpreter shutdown)
            pass


class _Stream:
    """The (decompressed) bytes of a file, read in chunks, with ``read(n)``."""

    def __init__(self, file, compression: str, buffer_size: int) -> None:
        self._file = file
        self._chunk = max(int(buffer_size or _CHUNK), 1)
        self._inflate = zlib.decompressobj(_WBITS[compression]) if compression else None
        self._buffer = bytearray()
        self._eof = False

    def _fill(self) -> None:
        raw = self._file.read(self._chunk)
        if self._inflate is None:
            self._buffer += raw
            self._eof = not raw
            return
        if raw:
            self._buffer += self._inflate.decompress(raw)
        else:
            self._buffer += self._inflate.flush()
            self._eof = True

    def read(self, n: int) -> bytes:
        while len(self._buffer) < n and not self._eof:
            self._fill()
        out = bytes(self._buffer[:n])
        del self._buffer[:n]
        return out


def read_records(path: str, compression: str = "", buffer_size=None, op: str = "TFRecordDataset"):
    """The records of the TFRecord file ``path``, one ``bytes`` each, CRCs checked.

    Raises:
        NotFoundError: when the file does not exist.
        DataLossError: on a truncated or corrupted record (naming the file and offset) or a
            compressed stream that does not decompress.
    """
    try:
        file = open(path, "rb")
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        raise NotFoundError(None, op, f"{op}: {path}; No such file or directory") from None
    with file:
        stream = _Stream(file, compression, buffer_size)
        offset = 0
        while True:
            try:
                header = stream.read(12)
                if not header:
                    return
                if len(header) < 12:
                    raise _loss(op, path, f"truncated record at {offset}")
                length_bytes = header[:8]
                (crc,) = struct.unpack("<I", header[8:])
                if masked_crc32c(length_bytes) != crc:
                    raise _loss(
                        op, path, f"corrupted record at {offset} (Is this even a TFRecord file?)"
                    )
                (length,) = struct.unpack("<Q", length_bytes)
                body = stream.read(length + 4)
            except zlib.error as exc:
                raise _loss(
                    op, path, f"could not decompress the {compression} stream near {offset}: {exc}"
                ) from None
            if len(body) < length + 4:
                raise _loss(op, path, f"truncated record at {offset}")
            data = body[:length]
            (crc,) = struct.unpack("<I", body[length:])
            if masked_crc32c(data) != crc:
                raise _loss(op, path, f"corrupted record at {offset + 12}")  # TF's: the data's
            yield data
            offset += 16 + length


def _loss(op: str, path: str, what: str) -> DataLossError:
    return DataLossError(None, op, f"{op}: {os.fspath(path)}: {what}")
