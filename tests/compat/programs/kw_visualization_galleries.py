"""keras.visualization's matplotlib galleries saved to files: an image grid with labels
and predictions, detection boxes with a legend, and segmentation masks beside images."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.image  # noqa: E402
import numpy as np  # noqa: E402
from keras import visualization  # noqa: E402

rng = np.random.default_rng(3)
images = rng.uniform(0, 1, size=(4, 32, 32, 3)).astype("float32")
images[:, 8:24, 8:24, :] = 0.9  # a bright square in each image

visualization.plot_image_gallery(
    images,
    y_true=np.array([0, 1, 1, 0]),
    y_pred=np.array([0, 1, 0, 0]),
    label_map={0: "plain", 1: "square"},
    value_range=(0, 1),
    rows=2,
    cols=2,
    scale=1.5,
    path="images.png",
)
gallery = matplotlib.image.imread("images.png")
assert gallery.ndim == 3 and gallery.shape[2] == 4, gallery.shape
assert 60 < gallery.shape[0] < 400 and 60 < gallery.shape[1] < 400, gallery.shape

boxes = {
    "boxes": np.tile(np.array([[[8, 8, 24, 24]]], "float32"), (4, 1, 1)),
    "labels": np.ones((4, 1)),
}
predicted = {"boxes": boxes["boxes"] + 2, "labels": np.ones((4, 1))}
visualization.plot_bounding_box_gallery(
    images * 255,
    bounding_box_format="xyxy",
    y_true=boxes,
    y_pred=predicted,
    class_mapping={1: "square"},
    legend=True,
    rows=1,
    cols=4,
    path="boxes.png",
)
boxes_png = matplotlib.image.imread("boxes.png")
assert boxes_png.shape[1] > boxes_png.shape[0], boxes_png.shape  # one row of 4 panels

masks = np.zeros((4, 32, 32, 1), "int32")
masks[:, 8:24, 8:24] = 1
visualization.plot_segmentation_mask_gallery(
    images * 255,
    num_classes=2,
    y_true=masks,
    y_pred=np.roll(masks, 3, axis=2),
    path="masks.png",
)
masks_png = matplotlib.image.imread("masks.png")
assert masks_png.shape[0] > masks_png.shape[1], masks_png.shape  # 4 rows of 3 panels

try:
    visualization.plot_image_gallery(images, y_true=np.array([0, 1, 1, 0]), path="x.png")
    raise AssertionError("labels without a label_map must be refused")
except ValueError as error:
    assert "label_map" in str(error)
print("galleries", gallery.shape, masks_png.shape)
