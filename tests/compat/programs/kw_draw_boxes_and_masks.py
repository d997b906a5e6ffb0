"""keras.visualization.draw_bounding_boxes and draw_segmentation_masks on image arrays:
object-detection style box dicts in several formats, class labels, and segmentation
masks blended over the images."""

import keras
import numpy as np
from keras import visualization

height, width = 48, 64
images = np.zeros((2, height, width, 3), dtype="uint8")
images[..., 2] = 40  # a dark blue background

boxes = {
    "boxes": np.array(
        [[[4, 6, 30, 40], [35, 10, 60, 28]], [[10, 10, 50, 40], [0, 0, 0, 0]]], "float32"
    ),
    "labels": np.array([[0, 1], [1, -1]]),  # -1 pads the second image's list
}
drawn = visualization.draw_bounding_boxes(
    images, boxes, bounding_box_format="xyxy", color=(255, 0, 0), line_thickness=1
)
assert drawn.shape == images.shape and drawn.dtype == np.uint8
red = drawn[..., 0] == 255
# one-pixel outlines: top and bottom rows, left and right columns of each box
assert red[0, 6, 4:31].all() and red[0, 40, 4:31].all(), "top/bottom edges of box 1"
assert red[0, 6:41, 4].all() and red[0, 6:41, 30].all(), "left/right edges of box 1"
assert not red[0, 7:40, 5:30].any(), "inside of box 1 untouched"
assert red[0, 10, 35:61].all() and red[0, 28, 35:61].all()
assert red[0].sum() == 2 * 27 + 2 * 33 + 2 * 26 + 2 * 17
assert red[1].sum() == 2 * 41 + 2 * 29  # the padded box is not drawn
np.testing.assert_array_equal(drawn[..., 2][~red], 40)  # background kept elsewhere
assert images.max() == 40  # the input array is not modified

# the same boxes in other formats give the same picture
xywh = boxes["boxes"].copy()
xywh[..., 2:] -= xywh[..., :2]
rel_yxyx = boxes["boxes"][..., [1, 0, 3, 2]] / np.array([height, width, height, width])
for fmt, values in [("xywh", xywh), ("rel_yxyx", rel_yxyx)]:
    again = visualization.draw_bounding_boxes(
        images,
        {"boxes": values.astype("float32"), "labels": boxes["labels"]},
        bounding_box_format=fmt,
        color=(255, 0, 0),
        line_thickness=1,
    )
    np.testing.assert_array_equal(again, drawn, err_msg=fmt)

# class names (and confidences) are written next to the boxes
labeled = visualization.draw_bounding_boxes(
    images,
    {**boxes, "confidences": np.array([[0.9, 0.8], [0.7, 0.0]], "float32")},
    bounding_box_format="xyxy",
    class_mapping={0: "cat", 1: "dog"},
    color=(255, 0, 0),
    line_thickness=1,
    font_scale=0.25,
)
assert (labeled[..., 0] == 255).sum() > red.sum(), "label text adds red pixels"

# segmentation masks: class 0 background, classes 1 and 2 painted with the given colors
masks = np.zeros((2, height, width, 1), dtype="int32")
masks[0, 10:20, 10:30] = 1
masks[1, 30:45, 5:60] = 2
colors = {0: (0, 0, 0), 1: (255, 255, 0), 2: (0, 255, 0)}
overlay = visualization.draw_segmentation_masks(
    images, masks, num_classes=3, color_mapping=colors, alpha=0.5
)
assert overlay.shape == images.shape and overlay.dtype == np.uint8
np.testing.assert_array_equal(overlay[0, 15, 20], [127, 127, 20])  # (0,0,40)/2 + (255,255,0)/2
np.testing.assert_array_equal(overlay[1, 40, 30], [0, 127, 20])
np.testing.assert_array_equal(overlay[0, 0, 0], [0, 0, 20])  # background class blends black

ignored = visualization.draw_segmentation_masks(
    images, masks, num_classes=3, color_mapping=colors, alpha=0.5, ignore_index=0
)
np.testing.assert_array_equal(ignored[0, 0, 0], [0, 0, 40])  # ignored pixels keep the image
np.testing.assert_array_equal(ignored[0, 15, 20], overlay[0, 15, 20])

solid = visualization.draw_segmentation_masks(
    images, masks, num_classes=3, color_mapping=colors, blend=False
)
solid = keras.ops.convert_to_numpy(solid)
assert solid.dtype == np.float32
np.testing.assert_array_equal(solid[1, 40, 30], [0.0, 255.0, 0.0])

try:
    visualization.draw_segmentation_masks(images, masks.astype("float32"))
    raise AssertionError("float masks were accepted")
except TypeError as error:
    assert "integer dtype" in str(error)
print("boxes and masks drawn")
