"""``tf.io.decode_json_example``: ``tf.train.Example`` records written as JSON (protobuf's
standard JSON mapping, as ``json_format.MessageToJson`` writes them) to the binary records
``tf.io.parse_example`` reads."""

from __future__ import annotations

from google.protobuf import json_format

from ..errors import InvalidArgumentError
from ..strings._common import map_elements
from . import protos


def decode_json_example(json_examples, name=None):
    """Each JSON-encoded Example as its binary serialization (a string tensor of the same
    shape).

    Raises:
        InvalidArgumentError: when a string is not the JSON of an Example.
    """
    op = "io.decode_json_example"

    def decode(text: bytes) -> bytes:
        try:
            return json_format.Parse(text.decode("utf-8"), protos.Example()).SerializeToString()
        except (json_format.ParseError, UnicodeDecodeError) as exc:
            raise InvalidArgumentError(
                None, op, f"{op}: the JSON is not a tf.train.Example ({exc})"
            ) from None

    return map_elements(op, json_examples, decode)
