"""``keras.visualization`` (Keras 3): draw boxes and masks on image arrays, plot galleries
(matplotlib and, for boxes, OpenCV are optional: each function names what it needs)."""

from .draw_bounding_boxes import draw_bounding_boxes
from .draw_segmentation_masks import draw_segmentation_masks
from .plot_bounding_box_gallery import plot_bounding_box_gallery
from .plot_image_gallery import plot_image_gallery
from .plot_segmentation_mask_gallery import plot_segmentation_mask_gallery

__all__ = [
    "draw_bounding_boxes",
    "draw_segmentation_masks",
    "plot_bounding_box_gallery",
    "plot_image_gallery",
    "plot_segmentation_mask_gallery",
]
