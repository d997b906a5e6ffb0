"""tf.image.crop_and_resize (against a NumPy loop over the kernel's formulas, and finite
differences), draw_bounding_boxes and combined_non_max_suppression (values from
tensorflow-cpu 2.21), tf.strings.format (outputs of tensorflow-cpu 2.21)."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as tf


def _crop_reference(image, boxes, box_indices, crop_size, method, extrapolation):
    """CropAndResize as TensorFlow's kernel loops over it, one output value at a time."""
    _, height, width, depth = image.shape
    ch, cw = crop_size
    out = np.empty((len(boxes), ch, cw, depth), np.float32)
    for n, (y1, x1, y2, x2) in enumerate(boxes):
        img = image[box_indices[n]]
        for i in range(ch):
            y = (
                y1 * (height - 1) + i * (y2 - y1) * (height - 1) / (ch - 1)
                if ch > 1
                else (0.5 * (y1 + y2) * (height - 1))
            )
            for j in range(cw):
                x = (
                    x1 * (width - 1) + j * (x2 - x1) * (width - 1) / (cw - 1)
                    if cw > 1
                    else (0.5 * (x1 + x2) * (width - 1))
                )
                if not (0 <= y <= height - 1 and 0 <= x <= width - 1):
                    out[n, i, j] = extrapolation
                elif method == "nearest":
                    out[n, i, j] = img[int(np.floor(y + 0.5)), int(np.floor(x + 0.5))]
                else:
                    t, b = int(np.floor(y)), int(np.ceil(y))
                    left, r = int(np.floor(x)), int(np.ceil(x))
                    dy, dx = y - t, x - left
                    top = img[t, left] + (img[t, r] - img[t, left]) * dx
                    bottom = img[b, left] + (img[b, r] - img[b, left]) * dx
                    out[n, i, j] = top + (bottom - top) * dy
    return out


RNG = np.random.default_rng(0)
IMAGE = RNG.normal(size=(2, 6, 7, 2)).astype(np.float32)
BOXES = np.array(
    [[0.1, 0.2, 0.8, 0.9], [0.9, 0.7, 0.2, 0.1], [-0.3, -0.2, 1.2, 0.6], [0.4, 0.4, 0.4, 0.4]],
    np.float32,
)
INDICES = np.array([0, 1, 1, 0])


@pytest.mark.parametrize("method", ["bilinear", "nearest"])
@pytest.mark.parametrize("crop_size", [(3, 5), (1, 1), (4, 1)])
def test_crop_and_resize_matches_the_kernel_loop(method, crop_size):
    got = tf.image.crop_and_resize(
        IMAGE, BOXES, INDICES, crop_size, method=method, extrapolation_value=-2.0
    )
    want = _crop_reference(IMAGE, BOXES, INDICES, crop_size, method, -2.0)
    assert got.dtype == tf.float32 and got.shape == want.shape
    np.testing.assert_allclose(got.numpy(), want, rtol=1e-5, atol=1e-5)


def test_crop_and_resize_integer_images_give_float32():
    img = np.arange(2 * 4 * 4 * 1).reshape(2, 4, 4, 1).astype(np.uint8)
    got = tf.image.crop_and_resize(img, [[0.0, 0.0, 1.0, 1.0]], [1], (4, 4))
    assert got.dtype == tf.float32
    np.testing.assert_allclose(got.numpy()[0], img[1].astype(np.float32))


def test_crop_and_resize_gradients_match_finite_differences():
    # Sample positions off the pixel grid: bilinear sampling has kinks at whole pixels.
    box_values = np.array([[0.13, 0.21, 0.77, 0.88], [0.93, 0.72, 0.18, 0.05]], np.float32)
    image = tf.constant(IMAGE.astype(np.float64))
    boxes = tf.constant(box_values.astype(np.float64))
    weights = RNG.normal(size=(2, 3, 4, 2)).astype(np.float32)

    def loss(img, bx):
        return tf.reduce_sum(tf.image.crop_and_resize(img, bx, INDICES[:2], (3, 4)) * weights)

    with tf.GradientTape(persistent=True) as tape:
        tape.watch(image)
        tape.watch(boxes)
        value = loss(image, boxes)
    g_img, g_box = tape.gradient(value, image), tape.gradient(value, boxes)
    eps = 1e-3
    for index in [(0, 2, 3, 1), (1, 5, 0, 0), (0, 0, 0, 0)]:
        bump = np.zeros(IMAGE.shape)
        bump[index] = eps
        fd = (loss(IMAGE + bump, box_values) - loss(IMAGE - bump, box_values)) / (2 * eps)
        np.testing.assert_allclose(g_img.numpy()[index], float(fd), rtol=1e-2, atol=1e-3)
    for index in [(0, 0), (0, 3), (1, 1)]:
        bump = np.zeros(box_values.shape, np.float32)
        bump[index] = eps
        fd = (loss(IMAGE, box_values + bump) - loss(IMAGE, box_values - bump)) / (2 * eps)
        np.testing.assert_allclose(g_box.numpy()[index], float(fd), rtol=2e-2, atol=2e-2)


def test_crop_and_resize_errors():
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"outside \[0, 2\)"):
        tf.image.crop_and_resize(IMAGE, BOXES, [0, 1, 2, 0], (2, 2))
    with pytest.raises(tf.errors.InvalidArgumentError, match="crop_size"):
        tf.image.crop_and_resize(IMAGE, BOXES, INDICES, (0, 2))
    with pytest.raises(tf.errors.InvalidArgumentError, match="boxes must be 2-D"):
        tf.image.crop_and_resize(IMAGE, BOXES[:, :3], INDICES, (2, 2))
    with pytest.raises(ValueError, match="method"):
        tf.image.crop_and_resize(IMAGE, BOXES, INDICES, (2, 2), method="bicubic")


def test_draw_bounding_boxes_paints_tensorflows_pixels():
    image = np.zeros((1, 5, 5, 1), np.float32)
    boxes = [[[0.25, 0.0, 0.75, 0.5], [-0.5, 0.5, 0.5, 1.5]]]
    got = tf.image.draw_bounding_boxes(image, boxes, [[1.0], [0.5]])
    # tensorflow-cpu 2.21's output for these inputs
    want = [
        [0.0, 0.0, 0.5, 0.0, 0.0],
        [1.0, 1.0, 0.5, 0.0, 0.0],
        [1.0, 0.0, 0.5, 0.5, 0.5],
        [1.0, 1.0, 1.0, 0.0, 0.0],
        [0.0, 0.0, 0.0, 0.0, 0.0],
    ]
    np.testing.assert_array_equal(got.numpy()[0, :, :, 0], want)
    rgb = tf.image.draw_bounding_boxes(np.zeros((1, 3, 3, 3), np.float32), [[[0, 0, 1, 1]]], [])
    np.testing.assert_array_equal(rgb.numpy()[0, 0, 0], [1.0, 1.0, 0.0])  # default: yellow
    with pytest.raises(tf.errors.InvalidArgumentError, match="Channel depth"):
        tf.image.draw_bounding_boxes(np.zeros((1, 3, 3, 2)), [[[0, 0, 1, 1]]], [[1, 1]])
    with pytest.raises(tf.errors.InvalidArgumentError, match="colors"):
        tf.image.draw_bounding_boxes(np.zeros((1, 3, 3, 3)), [[[0, 0, 1, 1]]], [[1, 1]])


def test_combined_non_max_suppression_as_tensorflow():
    boxes = np.array(
        [[[[0, 0, 1, 1]], [[0, 0.1, 1, 1.1]], [[0, -0.1, 1, 0.9]], [[0, 10, 1, 11]],
          [[0, 10.1, 1, 11.1]], [[0, 100, 1, 101]]]],
        np.float32,
    )  # fmt: skip
    scores = np.array(
        [[[0.9, 0.1], [0.75, 0.8], [0.6, 0.3], [0.95, 0.2], [0.5, 0.7], [0.3, 0.85]]], np.float32
    )
    nboxes, nscores, nclasses, valid = tf.image.combined_non_max_suppression(
        boxes, scores, 2, 5, 0.5, 0.25, clip_boxes=False
    )
    # tensorflow-cpu 2.21's outputs for these inputs
    np.testing.assert_allclose(
        nboxes.numpy()[0],
        [[0, 10, 1, 11], [0, 0, 1, 1], [0, 100, 1, 101], [0, 0.1, 1, 1.1], [0, 0, 0, 0]],
        rtol=1e-6,
    )
    np.testing.assert_allclose(nscores.numpy()[0], [0.95, 0.9, 0.85, 0.8, 0.0], rtol=1e-6)
    np.testing.assert_array_equal(nclasses.numpy()[0], [0, 0, 1, 1, 0])
    assert valid.numpy().tolist() == [4] and valid.dtype == tf.int32
    clipped = tf.image.combined_non_max_suppression(boxes, scores, 2, 5, 0.5, 0.25)[0]
    assert float(tf.reduce_max(clipped)) <= 1.0
    padded = tf.image.combined_non_max_suppression(boxes, scores, 1, 10, pad_per_class=True)
    assert padded[0].shape == (1, 2, 4)  # min(max_total_size, 1 * num_classes)
    with pytest.raises(tf.errors.InvalidArgumentError, match="scores must be"):
        tf.image.combined_non_max_suppression(boxes, scores[:, :3], 2, 5)


@pytest.mark.parametrize(
    ("template", "inputs", "kwargs", "want"),
    [  # tensorflow-cpu 2.21's outputs
        ("x={} y={}", (tf.constant([1, 2, 3, 4, 5, 6, 7, 8]), tf.constant(2.5)), {},
         b"x=[1 2 3 ... 6 7 8] y=2.5"),
        ("{}", tf.reshape(tf.range(24), (2, 3, 4)), {"summarize": 2},
         b"[[[0 1 2 3]\n  [4 5 6 7]\n  [8 9 10 11]]\n\n [[12 13 14 15]\n  [16 17 18 19]\n"
         b"  [20 21 22 23]]]"),
        ("a {} b", [tf.constant(["ab", "c"])], {}, b'a ["ab" "c"] b'),
        ("v: <>", tf.constant([1.5, 2.0]), {"placeholder": "<>"}, b"v: [1.5 2]"),
        ("none", [], {}, b"none"),
        ("{}", tf.constant(True), {}, b"1"),
        ("{}", tf.range(10), {"summarize": -1}, b"[0 1 2 3 4 5 6 7 8 9]"),
        ("{}", tf.constant([[0.1, 2e-5], [3.0, 4.0]]), {}, b"[[0.1 2e-05]\n [3 4]]"),
    ],
)  # fmt: skip
def test_strings_format(template, inputs, kwargs, want):
    got = tf.strings.format(template, inputs, **kwargs)
    assert got.dtype == tf.string and got.shape == ()
    assert got.numpy() == want


def test_strings_format_errors():
    with pytest.raises(ValueError, match="expects 2 tensors, but the inputs only has 1"):
        tf.strings.format("{} {}", [tf.constant(1)])
    with pytest.raises(TypeError, match="inputs must be a tensor or a list"):
        tf.strings.format("{}", 3)


def _check_crop(begin, size, bbox, covered, ratio, areas):
    """The constraints a sampled crop satisfies (or it is the whole 40 x 60 image)."""
    y, x, h, w = int(begin[0]), int(begin[1]), int(size[0]), int(size[1])
    assert begin.numpy().tolist()[2] == 0 and int(size[2]) == -1
    assert 0 <= y and y + h <= 40 and 0 <= x and x + w <= 60
    np.testing.assert_allclose(
        bbox.numpy()[0, 0], [y / 40, x / 60, (y + h) / 40, (x + w) / 60], rtol=1e-6
    )
    if (h, w) == (40, 60):
        return False
    assert areas[0] - 1e-6 <= h * w / 2400 <= areas[1] + 1e-6
    assert ratio[0] - 1 / h <= w / h <= ratio[1] + 1 / h  # width rounded to whole pixels
    overlap = max(0, min(y + h, 20) - max(y, 4)) * max(0, min(x + w, 36) - max(x, 12))
    assert overlap / (16 * 24) >= covered
    return True


def test_sample_distorted_bounding_box_meets_its_constraints():
    boxes = tf.constant([[[0.1, 0.2, 0.5, 0.6]]])  # rows 4..20, columns 12..36 of 40 x 60
    crops = set()
    for _ in range(100):
        begin, size, bbox = tf.image.sample_distorted_bounding_box(
            [40, 60, 3], boxes, min_object_covered=0.5, aspect_ratio_range=(0.5, 2.0),
            area_range=(0.1, 0.9),
        )  # fmt: skip
        assert begin.dtype == tf.int32 and bbox.dtype == tf.float32
        if _check_crop(begin, size, bbox, 0.5, (0.5, 2.0), (0.1, 0.9)):
            crops.add((int(begin[0]), int(begin[1]), int(size[0]), int(size[1])))
    assert len(crops) > 20  # random crops, not one answer


def test_stateless_sample_distorted_bounding_box_repeats_per_seed():
    boxes = [[[0.1, 0.2, 0.5, 0.6]]]
    first = tf.image.stateless_sample_distorted_bounding_box([40, 60, 3], boxes, seed=[3, 4])
    again = tf.image.stateless_sample_distorted_bounding_box([40, 60, 3], boxes, seed=[3, 4])
    for a, b in zip(first, again):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    _check_crop(*first, 0.1, (0.75, 1.33), (0.05, 1.0))
    seen = {
        tuple(
            tf.image.stateless_sample_distorted_bounding_box([40, 60, 3], boxes, [s, 0])[1].numpy()
        )
        for s in range(10)
    }
    assert len(seen) > 1


def test_sample_distorted_bounding_box_without_boxes():
    empty = tf.zeros((1, 0, 4))
    begin, size, bbox = tf.image.sample_distorted_bounding_box(
        [40, 60, 3], empty, use_image_if_no_bounding_boxes=True, area_range=(0.99, 1.0)
    )
    assert begin.numpy().tolist() == [0, 0, 0] and size.numpy().tolist() == [40, 60, -1]
    with pytest.raises(tf.errors.InvalidArgumentError, match="No bounding boxes provided"):
        tf.image.sample_distorted_bounding_box([40, 60, 3], empty)
    with pytest.raises(ValueError, match="area_range"):
        tf.image.sample_distorted_bounding_box([40, 60, 3], [[[0, 0, 1, 1]]], area_range=(0, 2))


def test_box_ops_replay_on_new_values_in_functions():
    @tf.function
    def boxes_step(images, boxes, indices, colors):
        crops = tf.image.crop_and_resize(images, boxes, indices, (2, 2))
        drawn = tf.image.draw_bounding_boxes(images, tf.expand_dims(boxes, 0)[:, :1], colors)
        crop = tf.image.stateless_sample_distorted_bounding_box(
            [6, 7, 3], tf.expand_dims(boxes, 0), seed=[1, 2], min_object_covered=0.9
        )
        return crops, drawn, crop[2]

    one = np.concatenate([IMAGE[:1], IMAGE[1:, :, :, :1]], axis=-1)  # RGB: 3 channels
    for boxes, indices, color in (
        ([[0.0, 0.0, 1.0, 1.0]], [0], [[1.0, 2.0, 3.0]]),
        ([[0.5, 0.5, 1.0, 1.0]], [0], [[3.0, 4.0, 5.0]]),
    ):
        crops, drawn, bbox = boxes_step(
            one, tf.constant(boxes), tf.constant(indices), tf.constant(color)
        )
        want = _crop_reference(one, np.array(boxes, np.float32), indices, (2, 2), "bilinear", 0.0)
        np.testing.assert_allclose(crops.numpy(), want, rtol=1e-5, atol=1e-6)
        np.testing.assert_array_equal(drawn.numpy()[0, 5, 6], color[0])  # bottom-right corner
        y1, x1, y2, x2 = bbox.numpy()[0, 0]
        by1, bx1, by2, bx2 = boxes[0]
        overlap = max(0, min(y2, by2) - max(y1, by1)) * max(0, min(x2, bx2) - max(x1, bx1))
        assert overlap >= 0.9 * (by2 - by1) * (bx2 - bx1) - 1e-6  # covers the new box


def test_combined_nms_result_has_tfs_field_names():
    boxes = np.array([[[[0, 0, 1, 1]], [[0, 0.1, 1, 1.1]], [[0, 10, 1, 11]]]], np.float32)
    scores = np.array([[[0.9, 0.2], [0.8, 0.7], [0.3, 0.6]]], np.float32)
    out = tf.image.combined_non_max_suppression(boxes, scores, 3, 4, 0.5, 0.1)
    assert out.valid_detections.numpy().tolist() == [4]  # TF 2.21 keeps the same four
    np.testing.assert_allclose(out.nmsed_scores.numpy(), [[0.9, 0.7, 0.6, 0.3]])
    assert out.nmsed_classes.numpy().tolist() == [[0.0, 1.0, 1.0, 0.0]]
    boxes_, scores_, classes_, valid_ = out  # still unpacks as a 4-tuple
    assert boxes_ is out.nmsed_boxes and valid_ is out.valid_detections
