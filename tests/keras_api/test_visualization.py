"""keras.visualization: draw_* against NumPy references of Keras 3's rules, the galleries
write files, and missing optional packages give Keras's ImportError."""

from __future__ import annotations

import sys

import numpy as np
import pytest

import gpuflow as tf
from gpuflow.keras import visualization


def _images(seed=0, shape=(2, 12, 16, 3)):
    return np.random.default_rng(seed).integers(0, 256, shape).astype("uint8")


def _masks(seed=1, shape=(2, 12, 16, 1), high=4):
    return np.random.default_rng(seed).integers(0, high, shape).astype("int32")


def _palette(num_classes):
    palette = np.array([2**25 - 1, 2**15 - 1, 2**21 - 1])
    return [(i * palette) % 255 for i in range(num_classes)]


def test_draw_segmentation_masks_blends_each_class_color():
    images, masks = _images(), _masks()
    out = visualization.draw_segmentation_masks(images, masks, num_classes=4, alpha=0.25)
    colors = np.array(_palette(4), dtype="float32")[masks[..., 0]]
    expected = images.astype("float32") * np.float32(0.75) + colors * np.float32(0.25)
    assert out.dtype == np.uint8 and out.shape == images.shape
    np.testing.assert_array_equal(out, expected.astype("uint8"))


def test_draw_segmentation_masks_ignore_index_and_inferred_classes():
    images, masks = _images(), _masks()
    out = visualization.draw_segmentation_masks(images, masks, ignore_index=2)
    # num_classes defaults to the largest index (3): class 3 gets no color, as in Keras
    colored = images.astype("float32")
    for c, color in enumerate(_palette(3)):
        colored[masks[..., 0] == c] = color
    blended = images.astype("float32") * np.float32(1 - 0.8) + colored * np.float32(0.8)
    keep = masks[..., 0] == 2
    blended[keep] = images[keep]
    np.testing.assert_array_equal(out, blended.astype("uint8"))


def test_draw_segmentation_masks_unblended_is_float_tensor_and_color_mapping():
    images, masks = _images(), _masks(high=2)
    mapping = {0: (1, 2, 3), 1: (200, 100, 0)}
    out = visualization.draw_segmentation_masks(
        images, masks, num_classes=2, color_mapping=mapping, blend=False
    )
    assert isinstance(out, tf.Tensor) and out.dtype == tf.float32
    expected = np.array([mapping[0], mapping[1]], dtype="float32")[masks[..., 0]]
    np.testing.assert_array_equal(out.numpy(), expected)


def test_draw_segmentation_masks_channels_first_returns_channels_last():
    images, masks = _images(), _masks()
    out_last = visualization.draw_segmentation_masks(images, masks, num_classes=4)
    out_first = visualization.draw_segmentation_masks(
        images.transpose(0, 3, 1, 2),
        masks.transpose(0, 3, 1, 2),
        num_classes=4,
        data_format="channels_first",
    )
    np.testing.assert_array_equal(out_first, out_last)


def test_draw_segmentation_masks_errors():
    images = _images()
    with pytest.raises(TypeError, match="must be in integer dtype.*float32"):
        visualization.draw_segmentation_masks(images, _masks().astype("float32"))
    with pytest.raises(ValueError, match="batched 4D tensor"):
        visualization.draw_segmentation_masks(images[0], _masks()[0])
    with pytest.raises(ValueError, match=r"\(batch, height, width, 1\)"):
        visualization.draw_segmentation_masks(images, _masks()[..., 0])


def test_draw_bounding_boxes_outlines_each_box_with_one_pixel_lines():
    pytest.importorskip("cv2")
    images = np.zeros((2, 20, 30, 3), "uint8")
    boxes = {
        "boxes": np.array([[[2, 3, 12, 9]], [[5, 1, 25, 15]]], "float32"),
        "labels": np.array([[0], [-1]]),
    }
    out = visualization.draw_bounding_boxes(
        images, boxes, "xyxy", color=(255, 0, 0), line_thickness=1
    )
    assert out.dtype == np.uint8 and out.shape == images.shape
    drawn = out[0, ..., 0] == 255
    expected = np.zeros((20, 30), bool)
    expected[3, 2:13] = expected[9, 2:13] = True
    expected[3:10, 2] = expected[3:10, 12] = True
    np.testing.assert_array_equal(drawn, expected)
    assert not out[0, ..., 1:].any()
    assert not out[1].any()  # label -1: no box


def test_draw_bounding_boxes_formats_agree_and_float_images_scale():
    pytest.importorskip("cv2")
    images = np.full((1, 20, 30, 3), 0.5, "float32")
    xyxy = {"boxes": np.array([[[2, 3, 12, 9]]], "float32"), "labels": np.array([[1]])}
    rel = {"boxes": np.array([[[3 / 20, 2 / 30, 9 / 20, 12 / 30]]], "float32"), "labels": [[1]]}
    a = visualization.draw_bounding_boxes(images, xyxy, "xyxy", line_thickness=1)
    b = visualization.draw_bounding_boxes(images, rel, "rel_yxyx", line_thickness=1)
    np.testing.assert_array_equal(a, b)
    assert a[0, 0, 0, 0] == 127  # 0.5 of [0, 1] scaled to 255, truncated to uint8
    assert a[0, 3, 5, 0] == 128  # the default gray border


def test_draw_bounding_boxes_label_text_is_drawn_inside_the_image():
    pytest.importorskip("cv2")
    images = np.zeros((1, 40, 60, 3), "uint8")
    boxes = {"boxes": [[[10, 5, 50, 35]]], "labels": [[3]], "confidences": [[0.5]]}
    plain = visualization.draw_bounding_boxes(images, boxes, "xyxy", line_thickness=1)
    text = visualization.draw_bounding_boxes(
        images, boxes, "xyxy", class_mapping={3: "cat"}, font_scale=0.3, line_thickness=1
    )
    assert (text != plain).any()  # the label was written
    np.testing.assert_array_equal(np.maximum(text, plain), text)


def test_draw_bounding_boxes_argument_errors():
    pytest.importorskip("cv2")
    images = np.zeros((1, 8, 8, 3), "uint8")
    with pytest.raises(TypeError, match="should be a dict"):
        visualization.draw_bounding_boxes(images, [[0, 0, 1, 1]], "xyxy")
    with pytest.raises(ValueError, match="'boxes' and 'labels'"):
        visualization.draw_bounding_boxes(images, {"boxes": [[[0, 0, 1, 1]]]}, "xyxy")
    with pytest.raises(ValueError, match="batched 4D tensor"):
        visualization.draw_bounding_boxes(images[0], {"boxes": [], "labels": []}, "xyxy")


def test_missing_opencv_and_matplotlib_raise_keras_import_errors(monkeypatch):
    monkeypatch.setitem(sys.modules, "cv2", None)
    with pytest.raises(ImportError, match="requires the `cv2` package"):
        visualization.draw_bounding_boxes(_images(), {"boxes": [], "labels": []}, "xyxy")
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    with pytest.raises(ImportError, match="`plot_image_gallery` function requires the `matplot"):
        visualization.plot_image_gallery(_images())
    with pytest.raises(ImportError, match="`plot_bounding_box_gallery` function requires"):
        visualization.plot_bounding_box_gallery(_images(), "xyxy")


def test_galleries_save_figures(tmp_path):
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    images, masks = _images(), _masks()
    boxes = {"boxes": np.array([[[1, 1, 8, 8]], [[2, 2, 10, 9]]], "float32"), "labels": [[0], [1]]}
    visualization.plot_image_gallery(
        images,
        y_true=[0, 1],
        y_pred=[1, 1],
        label_map={0: "a", 1: "b"},
        rows=1,
        cols=2,
        path=tmp_path / "images.png",
    )
    visualization.plot_bounding_box_gallery(
        images,
        "xyxy",
        y_true=boxes,
        y_pred=boxes,
        class_mapping={0: "a", 1: "b"},
        legend=True,
        rows=1,
        cols=2,
        path=tmp_path / "boxes.png",
    )
    visualization.plot_segmentation_mask_gallery(
        images, 4, y_true=masks, y_pred=masks, path=tmp_path / "masks.png"
    )
    for name in ("images", "boxes", "masks"):
        assert (tmp_path / f"{name}.png").stat().st_size > 500


def test_gallery_argument_errors(tmp_path):
    pytest.importorskip("matplotlib")
    with pytest.raises(ValueError, match="either `path` to be set, or `show`"):
        visualization.plot_image_gallery(_images(), path=tmp_path / "x.png", show=True)
    with pytest.raises(ValueError, match="a `label_map` must also be provided"):
        visualization.plot_image_gallery(_images(), y_true=[0, 1])
    with pytest.raises(ValueError, match="rows=2 x cols=2 needs 4 images"):
        visualization.plot_image_gallery(_images(), rows=2, cols=2, path=tmp_path / "x.png")
    with pytest.raises(ValueError, match="Only pass `legend` OR `legend_handles`"):
        visualization.plot_bounding_box_gallery(
            _images(), "xyxy", legend=True, legend_handles=[object()]
        )
