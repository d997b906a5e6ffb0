"""Keras 3's keras.utils.bounding_boxes (format conversion, clipping, crop/pad, affine
transforms, anchor deltas, IoU / CIoU) and the MaxNumBoundingBoxes layer."""

import math

import numpy as np
import tensorflow as tf

bb = tf.keras.utils.bounding_boxes
boxes = np.array([[10, 20, 30, 40], [50, 60, 70, 80]])

xywh = bb.convert_format(boxes, source="xyxy", target="xywh")
assert xywh.dtype == tf.float32
np.testing.assert_array_equal(np.asarray(xywh), [[10, 20, 20, 20], [50, 60, 20, 20]])
rel = bb.convert_format(boxes, source="xyxy", target="rel_xyxy", height=200, width=300)
np.testing.assert_allclose(
    np.asarray(rel), [[10 / 300, 0.1, 0.1, 0.2], [50 / 300, 0.3, 70 / 300, 0.4]], rtol=1e-6
)
# every format converts back to the same boxes
for fmt in (
    "yxyx",
    "xywh",
    "center_xywh",
    "center_yxhw",
    "rel_yxyx",
    "rel_xywh",
    "rel_center_xywh",
):
    there = bb.convert_format(boxes, "xyxy", fmt, height=200, width=300)
    back = bb.convert_format(there, fmt.upper(), "xyxy", height=200, width=300)
    np.testing.assert_allclose(np.asarray(back), boxes, rtol=1e-5, err_msg=fmt)
center = bb.convert_format(boxes, "xyxy", "center_yxhw")
np.testing.assert_array_equal(np.asarray(center), [[30, 20, 20, 20], [70, 60, 20, 20]])
rel_to_rel = bb.convert_format(rel, "rel_xyxy", "rel_xywh", height=200, width=300)
np.testing.assert_allclose(np.asarray(rel_to_rel)[0], [10 / 300, 0.1, 20 / 300, 0.1], rtol=1e-5)
assert bb.convert_format(boxes, "xyxy", "xyxy", dtype="float64").dtype == tf.float64

data = {"boxes": boxes, "labels": np.array([1, 2])}
out = bb.convert_format(data, source="xyxy", target="xywh")
assert out is data and tuple(out["boxes"].shape) == (2, 4)  # the dict's boxes, replaced
np.testing.assert_array_equal(np.asarray(out["labels"]), [1, 2])

for kwargs, words in (
    (dict(source="xyxy", target="rel_xyxy"), "height` and `width"),
    (dict(source="xyxy", target="corners"), "Invalid source or target format"),
):
    try:
        bb.convert_format(boxes, **kwargs)
    except ValueError as err:
        assert words in str(err), str(err)
    else:
        raise AssertionError(f"convert_format({kwargs}) must raise")
try:
    bb.convert_format(boxes[:, :3], "xyxy", "xywh")
except ValueError as err:
    assert "last dimension of 4" in str(err)
else:
    raise AssertionError("boxes of 3 coordinates must raise")

# Clipping: the empty box's label becomes -1.
clipped = bb.clip_to_image_size(
    {
        "boxes": np.array([[-10.0, -20, 150, 160], [50, 40, 70, 80], [130, 10, 140, 20]]),
        "labels": np.array([0, 1, 2]),
    },
    height=100,
    width=120,
)
np.testing.assert_array_equal(
    np.asarray(clipped["boxes"]), [[0, 0, 120, 100], [50, 40, 70, 80], [120, 10, 120, 20]]
)
np.testing.assert_array_equal(np.asarray(clipped["labels"]), [0, 1, -1])
rel_clipped = bb.clip_to_image_size(
    {"boxes": np.array([[-0.5, 0.2, 0.5, 1.5]])}, bounding_box_format="rel_xyxy"
)
np.testing.assert_allclose(np.asarray(rel_clipped["boxes"]), [[0, 0.2, 0.5, 1.0]])
try:
    bb.clip_to_image_size({"boxes": boxes}, bounding_box_format="xyxy")
except ValueError:
    pass
else:
    raise AssertionError("xyxy clipping without the image size must raise")

cropped = bb.crop(
    np.array([[10.0, 20, 50, 60], [70, 80, 100, 120]]), top=10, left=20, height=40, width=30
)
np.testing.assert_array_equal(np.asarray(cropped), [[0, 10, 30, 40], [30, 40, 30, 40]])
padded = bb.pad(np.array([[10.0, 20, 50, 60]]), top=5, left=7)
np.testing.assert_array_equal(np.asarray(padded), [[17, 25, 57, 65]])
try:
    bb.pad(np.array([[10.0, 20, 50, 60]]), top=5, left=7, bounding_box_format="yxyx")
except NotImplementedError:
    pass
else:
    raise AssertionError("pad supports xyxy only")

# Affine transforms of [batch, N, 4] boxes, one transformation per image.
f32 = lambda v: np.array(v, "float32")  # noqa: E731
rotated = bb.affine_transform(
    f32([[[10, 10, 20, 30]]]), f32([90]), f32([0]), f32([0]), f32([1]), f32([0]), f32([0]), 101, 101
)
np.testing.assert_allclose(np.asarray(rotated), [[[10, 80, 30, 90]]], atol=1e-4)
moved = bb.affine_transform(
    f32([[[10, 10, 20, 30]], [[0, 0, 10, 10]]]),
    f32([0, 0]),
    f32([0.1, 0]),
    f32([0, 0.2]),
    f32([1, 2]),
    f32([0, 0]),
    f32([0, 0]),
    101,
    101,
)
np.testing.assert_allclose(
    np.asarray(moved), [[[20, 10, 30, 30]], [[-50, -10, -30, 10]]], atol=1e-4
)
sheared = bb.affine_transform(
    f32([[[10, 10, 20, 30]]]),
    f32([0]),
    f32([0]),
    f32([0]),
    f32([1]),
    f32([10]),
    f32([5]),
    101,
    101,
    center_x=0.25,
    center_y=0.75,
)
np.testing.assert_allclose(
    np.asarray(sheared), [[[-1.2298546, 8.687669, 12.14242, 29.562555]]], rtol=1e-4
)

# Anchor deltas round-trip, with and without variance.
anchors = np.array([[0.0, 0, 10, 10], [10, 10, 30, 30]])
targets = np.array([[1.0, 1, 9, 11], [12, 8, 30, 34]])
deltas = bb.encode_box_to_deltas(anchors, targets, "xyxy", "xyxy")
np.testing.assert_allclose(
    np.asarray(deltas),
    [[0.1, 0, 0, math.log(0.8)], [0.05, 0.05, math.log(26 / 20), math.log(18 / 20)]],
    rtol=1e-5,
    atol=1e-6,
)
decoded = bb.decode_deltas_to_boxes(anchors, deltas, "xyxy", "xyxy")
np.testing.assert_allclose(np.asarray(decoded), targets, rtol=1e-5)
variance = [0.1, 0.1, 0.2, 0.2]
scaled = bb.encode_box_to_deltas(anchors, targets, "xyxy", "xyxy", variance=variance)
np.testing.assert_allclose(np.asarray(scaled), np.asarray(deltas) / variance, rtol=1e-5)
levels = bb.decode_deltas_to_boxes(
    {"P3": anchors}, {"P3": scaled}, "xyxy", "xywh", variance=variance
)
np.testing.assert_allclose(np.asarray(levels["P3"]), [[1, 1, 8, 10], [12, 8, 18, 26]], rtol=1e-5)
try:
    bb.encode_box_to_deltas(anchors, targets, "xyxy", "xyxy", encoding_format="xyxy")
except ValueError:
    pass
else:
    raise AssertionError("encoding_format must be a center format")
try:
    bb.decode_deltas_to_boxes(anchors, deltas, "xyxy", "xyxy", variance=[1.0, 1.0])
except ValueError as err:
    assert "length 4" in str(err)
else:
    raise AssertionError("a variance of length 2 must raise")

# IoU tables, batched and masked.
iou = bb.compute_iou(
    np.array([[0.0, 0, 10, 10], [5, 5, 15, 15]]), np.array([[0.0, 0, 10, 10]]), "xyxy"
)
assert tuple(iou.shape) == (2, 1)
np.testing.assert_allclose(np.asarray(iou), [[1.0], [25 / 175]], rtol=1e-5)
batched = bb.compute_iou(
    np.array([[[0.0, 0, 10, 10], [-1, -1, -1, -1]]]),
    np.array([[[0.0, 0, 5, 10], [0, 0, 10, 10]]]),
    "xyxy",
    use_masking=True,
    mask_val=-7,
)
assert tuple(batched.shape) == (1, 2, 2)
np.testing.assert_allclose(np.asarray(batched), [[[0.5, 1.0], [-7, -7]]], rtol=1e-5)
rel_iou = bb.compute_iou(
    np.array([[0.0, 0, 0.5, 0.5]]),
    np.array([[0.0, 0, 0.5, 0.25]]),
    "rel_xyxy",
    image_shape=(20, 40, 3),
)
np.testing.assert_allclose(np.asarray(rel_iou), [[0.5]], rtol=1e-5)
try:
    bb.compute_iou(np.zeros((4,)), np.zeros((1, 4)), "xyxy")
except ValueError:
    pass
else:
    raise AssertionError("boxes of rank 1 must raise")

ciou = bb.compute_ciou(np.array([[0.0, 0, 10, 10]]), np.array([[1.0, 1, 11, 12]]), "xyxy")
np.testing.assert_allclose(np.asarray(ciou), [0.6156406], rtol=1e-4)
same = bb.compute_ciou(np.array([[0.0, 0, 4, 8]]), np.array([[0.0, 0, 4, 8]]), "xyxy")
np.testing.assert_allclose(np.asarray(same), [1.0], rtol=1e-5)

# MaxNumBoundingBoxes pads (or cuts) every image's boxes to one count.
layer = tf.keras.layers.MaxNumBoundingBoxes(max_number=3, bounding_box_format="xyxy")
images = np.zeros((2, 8, 8, 3), "float32")
result = layer(
    {
        "images": images,
        "bounding_boxes": {
            "boxes": np.array([[[1.0, 2, 3, 4], [2, 3, 4, 5]], [[0, 0, 1, 1], [1, 1, 2, 2]]]),
            "labels": np.array([[1, 2], [3, 4]]),
        },
    }
)
assert tuple(result["images"].shape) == (2, 8, 8, 3)
assert tuple(result["bounding_boxes"]["boxes"].shape) == (2, 3, 4)
assert result["bounding_boxes"]["boxes"].dtype == tf.float32
np.testing.assert_array_equal(np.asarray(result["bounding_boxes"]["boxes"])[0, 2], [-1, -1, -1, -1])
np.testing.assert_array_equal(
    np.asarray(result["bounding_boxes"]["labels"]), [[1, 2, -1], [3, 4, -1]]
)
one = tf.keras.layers.MaxNumBoundingBoxes(max_number=1, fill_value=0, bounding_box_format="xyxy")
single = one(
    {
        "images": np.zeros((8, 8, 3)),
        "bounding_boxes": {
            "boxes": np.array([[1.0, 2, 3, 4], [2, 3, 4, 5]]),
            "labels": np.array([1, 2]),
        },
    }
)
assert tuple(single["bounding_boxes"]["boxes"].shape) == (1, 4)
np.testing.assert_array_equal(np.asarray(single["bounding_boxes"]["labels"]), [1])
assert tuple(one(np.zeros((2, 8, 8, 3))).shape) == (2, 8, 8, 3)  # images alone pass
config = layer.get_config()
assert config["max_number"] == 3 and config["name"] == layer.name
try:
    tf.keras.layers.MaxNumBoundingBoxes(max_number=2)(
        {
            "images": images,
            "bounding_boxes": {"boxes": np.zeros((2, 1, 4)), "labels": np.zeros((2, 1))},
        }
    )
except ValueError as err:
    assert "bounding box format" in str(err)
else:
    raise AssertionError("bounding_boxes without bounding_box_format must raise")
print("ok")
