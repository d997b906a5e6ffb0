"""``keras.layers.MaxNumBoundingBoxes`` (Keras 3): every image's bounding boxes cut or
padded to ``max_number``, so that batches of them have one shape."""

from __future__ import annotations

from ...ops.creation import convert_to_tensor
from ...ops.math import cast
from ...ops.rearrange import pad
from ...ops.shape import expand_dims, squeeze
from ._augment import ImageAugmentation


class MaxNumBoundingBoxes(ImageAugmentation):
    """Ensures the maximum number of bounding boxes.

    Given ``{"images": ..., "bounding_boxes": {"boxes": [B, N, 4], "labels": [B, N]}}``
    (or one image's ``[N, 4]`` / ``[N]``), keeps the first ``max_number`` boxes and labels
    and pads with ``fill_value`` up to ``max_number``; images (and labels, segmentation
    masks) pass unchanged, in training and inference alike.

    Args:
        max_number: the number of boxes per image in the output.
        fill_value: the value of the padding boxes and labels (default -1).
        bounding_box_format: required with ``bounding_boxes`` inputs, as in Keras.
    """

    _applies_at_inference = True

    def __init__(self, max_number, fill_value=-1, **kwargs) -> None:
        super().__init__(**kwargs)
        self.max_number = int(max_number)
        self.fill_value = int(fill_value)

    def transform_images(self, images, transformation=None, training=True):
        return images

    def transform_bounding_boxes(self, bounding_boxes, transformation=None, training=True):
        """``{"boxes": [B, max_number, 4], "labels": [B, max_number]}`` (other entries
        kept) from batched boxes and labels."""
        boxes = convert_to_tensor(bounding_boxes["boxes"])
        labels = convert_to_tensor(bounding_boxes["labels"])
        if boxes.ndim != 3 or boxes.shape[-1] != 4 or labels.ndim != 2:
            raise ValueError(
                f"{self._where()}: expected batched boxes [batch, N, 4] and labels "
                f"[batch, N], received boxes of shape {tuple(boxes.shape)} and labels of "
                f"shape {tuple(labels.shape)}"
            )
        missing = max(self.max_number - boxes.shape[1], 0)
        boxes = pad(
            boxes[:, : self.max_number],
            [[0, 0], [0, missing], [0, 0]],
            constant_values=self.fill_value,
        )
        labels = pad(
            labels[:, : self.max_number], [[0, 0], [0, missing]], constant_values=self.fill_value
        )
        out = dict(bounding_boxes)
        out["boxes"], out["labels"] = boxes, labels
        return out

    def _call_dict(self, data, training):
        if "bounding_boxes" not in data:
            return super()._call_dict(data, training)
        if not self.bounding_box_format:
            raise ValueError(
                "You passed an input with a 'bounding_boxes' key, but you didn't specify a "
                "bounding box format. Pass a `bounding_box_format` argument to your "
                f"{type(self).__name__} layer, e.g. `bounding_box_format='xyxy'`."
            )
        found = data["bounding_boxes"]
        if not isinstance(found, dict) or not {"boxes", "labels"} <= set(found):
            keys = sorted(found) if isinstance(found, dict) else type(found).__name__
            raise ValueError(
                f"{self._where()}: bounding_boxes must be a dict with 'boxes' and 'labels', "
                f"received {keys}"
            )
        out = super()._call_dict({k: v for k, v in data.items() if k != "bounding_boxes"}, training)
        single = out["images"].ndim == 3
        boxes = {key: convert_to_tensor(value) for key, value in found.items()}
        if boxes["boxes"].dtype.is_floating and boxes["boxes"].dtype != self.compute_dtype:
            # as Keras' __call__ casts floating inputs to the compute dtype
            boxes["boxes"] = cast(boxes["boxes"], self.compute_dtype)
        if single:  # one image's boxes: as a batch of one
            boxes["boxes"], boxes["labels"] = (
                expand_dims(boxes["boxes"], 0),
                expand_dims(boxes["labels"], 0),
            )
        boxes = self.transform_bounding_boxes(boxes, training=training)
        if single:
            boxes["boxes"], boxes["labels"] = (
                squeeze(boxes["boxes"], 0),
                squeeze(boxes["labels"], 0),
            )
        out["bounding_boxes"] = boxes
        return out

    def compute_output_shape(self, input_shape):
        if isinstance(input_shape, dict) and "bounding_boxes" in input_shape:
            found = input_shape["bounding_boxes"]
            extra = set(found) - {"boxes", "labels"}
            if extra:
                raise KeyError(
                    f"There are unsupported keys in `bounding_boxes`: {sorted(extra)}. "
                    "Only `boxes` and `labels` are supported."
                )
            shapes = dict(input_shape)
            boxes, labels = list(found["boxes"]), list(found["labels"])
            boxes[1] = labels[1] = self.max_number
            shapes["bounding_boxes"] = {"boxes": tuple(boxes), "labels": tuple(labels)}
            return shapes
        return super().compute_output_shape(input_shape)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "max_number": self.max_number,
            "fill_value": self.fill_value,
        }
