"""keras.utils.bounding_boxes: formats, clipping, crop/pad, affine, deltas, IoU (values
checked against Keras 3.15 on TensorFlow 2.21)."""

from __future__ import annotations

import numpy as np
import pytest
from gpuflow.keras.utils import bounding_boxes as bb

import gpuflow as gf

BOXES = np.array([[10.0, 20, 30, 40], [50, 60, 70, 80]])


def test_keras_utils_exposes_the_module():
    assert gf.keras.utils.bounding_boxes is bb
    assert sorted(bb.__all__) == sorted(
        [
            "affine_transform",
            "clip_to_image_size",
            "compute_ciou",
            "compute_iou",
            "convert_format",
            "crop",
            "decode_deltas_to_boxes",
            "encode_box_to_deltas",
            "pad",
        ]
    )


@pytest.mark.parametrize(
    "fmt, expected",
    [
        ("yxyx", [[20, 10, 40, 30], [60, 50, 80, 70]]),
        ("xywh", [[10, 20, 20, 20], [50, 60, 20, 20]]),
        ("center_xywh", [[20, 30, 20, 20], [60, 70, 20, 20]]),
        ("center_yxhw", [[30, 20, 20, 20], [70, 60, 20, 20]]),
        ("rel_xyxy", [[0.1, 0.1, 0.3, 0.2], [0.5, 0.3, 0.7, 0.4]]),
        ("rel_yxyx", [[0.1, 0.1, 0.2, 0.3], [0.3, 0.5, 0.4, 0.7]]),
        ("rel_xywh", [[0.1, 0.1, 0.2, 0.1], [0.5, 0.3, 0.2, 0.1]]),
        ("rel_center_xywh", [[0.2, 0.15, 0.2, 0.1], [0.6, 0.35, 0.2, 0.1]]),
    ],
)
def test_convert_format_each_way(fmt, expected):
    there = bb.convert_format(BOXES, "xyxy", fmt, height=200, width=100)
    assert there.dtype == gf.float32
    np.testing.assert_allclose(there.numpy(), expected, rtol=1e-6)
    back = bb.convert_format(there, fmt.upper(), "XYXY", height=200, width=100)
    np.testing.assert_allclose(back.numpy(), BOXES, rtol=1e-5)


def test_convert_format_errors_and_dicts():
    with pytest.raises(ValueError, match="must receive `height` and `width`"):
        bb.convert_format(BOXES, "xyxy", "rel_xyxy")
    with pytest.raises(ValueError, match="Invalid source or target format.*'corners'"):
        bb.convert_format(BOXES, "corners", "xyxy")
    with pytest.raises(ValueError, match=r"last dimension of 4. Received: boxes.shape=\(2, 3\)"):
        bb.convert_format(BOXES[:, :3], "xyxy", "xywh")
    data = {"boxes": BOXES, "labels": np.array([3, 4])}
    assert bb.convert_format(data, "xyxy", "yxyx") is data  # replaced in place, as Keras
    np.testing.assert_array_equal(data["boxes"].numpy()[0], [20, 10, 40, 30])


def test_clip_crop_pad():
    clipped = bb.clip_to_image_size(
        {"boxes": np.array([[-10.0, -20, 150, 160], [130, 10, 140, 20]]), "labels": [5, 6]},
        height=100,
        width=120,
    )
    np.testing.assert_array_equal(clipped["boxes"].numpy(), [[0, 0, 120, 100], [120, 10, 120, 20]])
    np.testing.assert_array_equal(clipped["labels"].numpy(), [5, -1])  # no area left
    with pytest.raises(NotImplementedError, match="'yxyx'"):
        bb.clip_to_image_size({"boxes": BOXES}, 10, 10, bounding_box_format="yxyx")
    with pytest.raises(ValueError, match="`height` and `width` must be set"):
        bb.clip_to_image_size({"boxes": BOXES})
    cropped = bb.crop(np.array([[10.0, 20, 50, 60]]), top=10, left=20, height=40, width=30)
    np.testing.assert_array_equal(cropped.numpy(), [[0, 10, 30, 40]])
    np.testing.assert_array_equal(bb.pad(BOXES[:1], top=5, left=7).numpy(), [[17, 25, 37, 45]])
    with pytest.raises(NotImplementedError, match="crop: only bounding_box_format='xyxy'"):
        bb.crop(BOXES, 0, 0, 10, 10, bounding_box_format="xywh")


def test_affine_transform_rotates_and_scales_per_image():
    f32 = lambda v: np.array(v, "float32")  # noqa: E731
    out = bb.affine_transform(
        f32([[[10, 10, 20, 30]], [[0, 0, 10, 10]]]),
        f32([90, 0]),
        f32([0, 0]),
        f32([0, 0.2]),
        f32([1, 2]),
        f32([0, 0]),
        f32([0, 0]),
        101,
        101,
    )
    # Keras 3.15 on TensorFlow gives these
    np.testing.assert_allclose(out.numpy(), [[[10, 80, 30, 90]], [[-50, -10, -30, 10]]], atol=1e-4)


def test_deltas_round_trip_and_errors():
    anchors = np.array([[0.0, 0, 10, 10], [10, 10, 30, 30]])
    targets = np.array([[1.0, 1, 9, 11], [12, 8, 30, 34]])
    deltas = bb.encode_box_to_deltas(anchors, targets, "xyxy", "xyxy")
    np.testing.assert_allclose(
        deltas.numpy(), [[0.1, 0, 0, -0.22314353], [0.05, 0.05, 0.26236424, -0.10536055]], atol=1e-6
    )
    back = bb.decode_deltas_to_boxes(anchors, deltas, "xyxy", "xyxy")
    np.testing.assert_allclose(back.numpy(), targets, rtol=1e-5)
    with pytest.raises(ValueError, match="`variance` must be length 4"):
        bb.encode_box_to_deltas(anchors, targets, "xyxy", "xyxy", variance=[1.0])
    with pytest.raises(ValueError, match="`encoded_format` should be"):
        bb.decode_deltas_to_boxes(anchors, deltas, "xyxy", "xyxy", encoded_format="xyxy")


def test_iou_and_ciou():
    iou = bb.compute_iou(
        np.array([[0.0, 0, 10, 10], [5, 5, 15, 15]]), np.array([[0.0, 0, 10, 10]]), "xyxy"
    )
    np.testing.assert_allclose(iou.numpy(), [[1.0], [1 / 7]], rtol=1e-5)
    masked = bb.compute_iou(
        np.array([[[0.0, 0, 10, 10], [-1, -1, -1, -1]]]),
        np.array([[[0.0, 0, 5, 10]]]),
        "xyxy",
        use_masking=True,
    )
    np.testing.assert_allclose(masked.numpy(), [[[0.5], [-1]]], rtol=1e-5)
    with pytest.raises(ValueError, match="expects boxes1 to be batched, or to be unbatched"):
        bb.compute_iou(np.zeros(4), np.zeros((1, 4)), "xyxy")
    with pytest.raises(ValueError, match="`image_shape` argument must be provided"):
        bb.compute_iou(np.zeros((1, 4)), np.zeros((1, 4)), "rel_xyxy")
    ciou = bb.compute_ciou(np.array([[0.0, 0, 10, 10]]), np.array([[1.0, 1, 11, 12]]), "xyxy")
    np.testing.assert_allclose(ciou.numpy(), [0.6156406], rtol=1e-4)
