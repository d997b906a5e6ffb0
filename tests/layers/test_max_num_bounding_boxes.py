"""keras.layers.MaxNumBoundingBoxes: boxes and labels padded or cut to max_number."""

from __future__ import annotations

import json

import numpy as np
import pytest

import gpuflow as gf
from gpuflow.keras import layers


def _data(batch=True):
    boxes = np.array([[1.0, 2, 3, 4], [2, 3, 4, 5], [3, 4, 5, 6]])
    labels = np.array([7, 8, 9])
    images = np.zeros((8, 8, 3), "float32")
    if batch:
        boxes, labels, images = boxes[None], labels[None], images[None]
    return {"images": images, "bounding_boxes": {"boxes": boxes, "labels": labels}}


@pytest.mark.parametrize("training", [True, False])
def test_pads_and_cuts_batched_boxes(training):
    padded = layers.MaxNumBoundingBoxes(5, bounding_box_format="xyxy")(_data(), training=training)
    boxes, labels = padded["bounding_boxes"]["boxes"], padded["bounding_boxes"]["labels"]
    assert boxes.shape == (1, 5, 4) and boxes.dtype == gf.float32
    np.testing.assert_array_equal(boxes.numpy()[0, 3:], -1)
    np.testing.assert_array_equal(labels.numpy(), [[7, 8, 9, -1, -1]])
    cut = layers.MaxNumBoundingBoxes(2, fill_value=0, bounding_box_format="xyxy")(_data())
    np.testing.assert_array_equal(cut["bounding_boxes"]["labels"].numpy(), [[7, 8]])
    assert cut["images"].shape == (1, 8, 8, 3)


def test_single_image_and_images_alone():
    layer = layers.MaxNumBoundingBoxes(4, fill_value=0, bounding_box_format="xyxy")
    out = layer(_data(batch=False))
    assert out["bounding_boxes"]["boxes"].shape == (4, 4)
    np.testing.assert_array_equal(out["bounding_boxes"]["labels"].numpy(), [7, 8, 9, 0])
    assert layer(np.ones((2, 8, 8, 3), "float32")).shape == (2, 8, 8, 3)


def test_errors_name_the_problem():
    with pytest.raises(ValueError, match="didn't specify a bounding box format"):
        layers.MaxNumBoundingBoxes(2)(_data())
    data = _data()
    data["bounding_boxes"] = {"boxes": data["bounding_boxes"]["boxes"]}
    with pytest.raises(ValueError, match="'boxes' and 'labels', received \\['boxes'\\]"):
        layers.MaxNumBoundingBoxes(2, bounding_box_format="xyxy")(data)
    with pytest.raises(KeyError, match="unsupported keys in `bounding_boxes`"):
        layers.MaxNumBoundingBoxes(2).compute_output_shape(
            {"images": (1, 8, 8, 3), "bounding_boxes": {"boxes": (1, 3, 4), "scores": (1, 3)}}
        )


def test_output_shape_and_config_round_trip():
    layer = layers.MaxNumBoundingBoxes(6, fill_value=-2, bounding_box_format="xyxy")
    shapes = layer.compute_output_shape(
        {"images": (1, 8, 8, 3), "bounding_boxes": {"boxes": (1, 3, 4), "labels": (1, 3)}}
    )
    assert shapes["bounding_boxes"] == {"boxes": (1, 6, 4), "labels": (1, 6)}
    config = json.loads(json.dumps(layer.get_config()))
    again = layers.MaxNumBoundingBoxes.from_config(config)
    assert (again.max_number, again.fill_value, again.bounding_box_format) == (6, -2, "xyxy")
