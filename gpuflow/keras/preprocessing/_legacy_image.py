"""Keras 1's image augmentation, which tf.keras still exports from ``preprocessing.image``:
``ImageDataGenerator`` and its iterators, and the random / affine helpers.

The iterators are :class:`~gpuflow.utils.PyDataset` subclasses, so ``model.fit`` takes
them as it takes any PyDataset. Random draws use NumPy's global random state, as Keras
does (``seed`` arguments reseed it), and the geometric transforms resample with
:func:`._affine.affine_transform_2d`, which gives ``scipy.ndimage.affine_transform``'s
values without scipy.
"""

from __future__ import annotations

import collections
import math
import os
import threading
import warnings

import numpy as np

from ...config.settings import floatx
from ...utils import image_utils
from ...utils.py_dataset import PyDataset
from ._affine import FILL_MODES, affine_transform_2d

__all__ = [
    "DirectoryIterator",
    "ImageDataGenerator",
    "Iterator",
    "NumpyArrayIterator",
    "apply_affine_transform",
    "apply_brightness_shift",
    "apply_channel_shift",
    "random_brightness",
    "random_channel_shift",
    "random_rotation",
    "random_shear",
    "random_shift",
    "random_zoom",
]


def _image_data_format():
    from ..backend import image_data_format

    return image_data_format()


class Iterator(PyDataset):
    """Base of the image iterators: batches of ``batch_size`` sample indices.

    ``it[i]`` is batch ``i`` of the current order (reshuffled by ``on_epoch_end`` when
    ``shuffle``); ``next(it)`` walks the batches endlessly, as Keras' iterators do.

    Args:
        n: the number of samples.
        batch_size: samples per batch.
        shuffle: shuffle the order at each epoch.
        seed: seed of the shuffles and random transforms (reseeds ``np.random``).
    """

    white_list_formats = ("png", "jpg", "jpeg", "bmp", "ppm", "tif", "tiff")

    def __init__(self, n, batch_size, shuffle, seed, **kwargs):
        super().__init__(**kwargs)
        if (
            isinstance(batch_size, bool)
            or not isinstance(batch_size, (int, np.integer))
            or (batch_size < 1)
        ):
            raise ValueError(
                f"{type(self).__name__}: batch_size must be a positive integer, received "
                f"{batch_size!r}"
            )
        self.n = n
        self.batch_size = batch_size
        self.seed = seed
        self.shuffle = shuffle
        self.batch_index = 0
        self.total_batches_seen = 0
        self.lock = threading.Lock()
        self.index_array = None
        self.index_generator = self._flow_index()

    def _set_index_array(self):
        self.index_array = np.arange(self.n)
        if self.shuffle:
            self.index_array = np.random.permutation(self.n)

    def __getitem__(self, idx):
        if idx >= len(self):
            raise ValueError(
                f"Asked to retrieve element {idx}, but the Sequence has length {len(self)}"
            )
        if self.seed is not None:
            np.random.seed(self.seed + self.total_batches_seen)
        self.total_batches_seen += 1
        if self.index_array is None:
            self._set_index_array()
        index_array = self.index_array[self.batch_size * idx : self.batch_size * (idx + 1)]
        return self._get_batches_of_transformed_samples(index_array)

    def __len__(self):
        return (self.n + self.batch_size - 1) // self.batch_size

    def on_epoch_end(self):
        self._set_index_array()

    def reset(self):
        self.batch_index = 0

    def _flow_index(self):
        self.reset()
        while 1:
            if self.seed is not None:
                np.random.seed(self.seed + self.total_batches_seen)
            if self.batch_index == 0:
                self._set_index_array()
            current_index = 0 if self.n == 0 else (self.batch_index * self.batch_size) % self.n
            if self.n > current_index + self.batch_size:
                self.batch_index += 1
            else:
                self.batch_index = 0
            self.total_batches_seen += 1
            yield self.index_array[current_index : current_index + self.batch_size]

    def __iter__(self):
        return self

    def __next__(self):
        with self.lock:
            index_array = next(self.index_generator)
        return self._get_batches_of_transformed_samples(index_array)

    def _get_batches_of_transformed_samples(self, index_array):
        raise NotImplementedError(
            f"{type(self).__name__}: an Iterator must implement "
            "_get_batches_of_transformed_samples(index_array)"
        )


class NumpyArrayIterator(Iterator):
    """Batches of augmented images from a rank-4 array (``ImageDataGenerator.flow``).

    A batch is ``x``, ``(x, y)`` or ``(x, y, sample_weight)``; with ``x = (images,
    [extra arrays])`` the first element is ``[images, *extras]``.
    """

    def __init__(
        self,
        x,
        y,
        image_data_generator,
        batch_size=32,
        shuffle=False,
        sample_weight=None,
        seed=None,
        data_format=None,
        save_to_dir=None,
        save_prefix="",
        save_format="png",
        subset=None,
        ignore_class_split=False,
        dtype=None,
    ):
        if data_format is None:
            data_format = _image_data_format()
        if dtype is None:
            dtype = floatx()
        self.dtype = dtype
        if isinstance(x, (tuple, list)):
            if not isinstance(x[1], list):
                x_misc = [np.asarray(x[1])]
            else:
                x_misc = [np.asarray(xx) for xx in x[1]]
            x = x[0]
            for xx in x_misc:
                if len(x) != len(xx):
                    raise ValueError(
                        "All of the arrays in `x` should have the same length. "
                        f"Found a pair with: len(x[0]) = {len(x)}, len(x[?]) = {len(xx)}"
                    )
        else:
            x_misc = []
        if y is not None and len(x) != len(y):
            raise ValueError(
                "`x` (images tensor) and `y` (labels) should have the same length. "
                f"Found: x.shape = {np.asarray(x).shape}, y.shape = {np.asarray(y).shape}"
            )
        if sample_weight is not None and len(x) != len(sample_weight):
            raise ValueError(
                "`x` (images tensor) and `sample_weight` should have the same length. "
                f"Found: x.shape = {np.asarray(x).shape}, "
                f"sample_weight.shape = {np.asarray(sample_weight).shape}"
            )
        if subset is not None:
            if subset not in {"training", "validation"}:
                raise ValueError(
                    f'Invalid subset name: {subset}; expected "training" or "validation".'
                )
            split_idx = int(len(x) * image_data_generator._validation_split)
            if (
                y is not None
                and not ignore_class_split
                and not np.array_equal(np.unique(y[:split_idx]), np.unique(y[split_idx:]))
            ):
                raise ValueError(
                    "Training and validation subsets have different number of classes after "
                    "the split. If your numpy arrays are sorted by the label, you might want "
                    "to shuffle them."
                )
            if subset == "validation":
                x = x[:split_idx]
                x_misc = [np.asarray(xx[:split_idx]) for xx in x_misc]
                if y is not None:
                    y = y[:split_idx]
                if sample_weight is not None:
                    sample_weight = sample_weight[:split_idx]
            else:
                x = x[split_idx:]
                x_misc = [np.asarray(xx[split_idx:]) for xx in x_misc]
                if y is not None:
                    y = y[split_idx:]
                if sample_weight is not None:
                    sample_weight = sample_weight[split_idx:]
        self.x = np.asarray(x, dtype=self.dtype)
        self.x_misc = x_misc
        if self.x.ndim != 4:
            raise ValueError(
                "Input data in `NumpyArrayIterator` should have rank 4. You passed an array "
                f"with shape {self.x.shape}"
            )
        channels_axis = 3 if data_format == "channels_last" else 1
        if self.x.shape[channels_axis] not in {1, 3, 4}:
            warnings.warn(
                f'NumpyArrayIterator is set to use the data format convention "{data_format}" '
                f"(channels on axis {channels_axis}), i.e. expected either 1, 3, or 4 "
                f"channels on axis {channels_axis}. However, it was passed an array with "
                f"shape {self.x.shape} ({self.x.shape[channels_axis]} channels).",
                stacklevel=2,
            )
        self.y = np.asarray(y) if y is not None else None
        self.sample_weight = np.asarray(sample_weight) if sample_weight is not None else None
        self.image_data_generator = image_data_generator
        self.data_format = data_format
        self.save_to_dir = save_to_dir
        self.save_prefix = save_prefix
        self.save_format = save_format
        super().__init__(self.x.shape[0], batch_size, shuffle, seed)

    def _get_batches_of_transformed_samples(self, index_array):
        batch_x = np.zeros((len(index_array),) + self.x.shape[1:], dtype=self.dtype)
        for i, j in enumerate(index_array):
            x = self.x[j]
            params = self.image_data_generator.get_random_transform(x.shape)
            x = self.image_data_generator.apply_transform(x.astype(self.dtype), params)
            x = self.image_data_generator.standardize(x)
            batch_x[i] = x
        if self.save_to_dir:
            for i, j in enumerate(index_array):
                img = image_utils.array_to_img(batch_x[i], self.data_format, scale=True)
                fname = f"{self.save_prefix}_{j}_{np.random.randint(1e4)}.{self.save_format}"
                img.save(os.path.join(self.save_to_dir, fname))
        batch_x_miscs = [xx[index_array] for xx in self.x_misc]
        output = (batch_x if not batch_x_miscs else [batch_x] + batch_x_miscs,)
        if self.y is None:
            return output[0]
        output += (self.y[index_array],)
        if self.sample_weight is not None:
            output += (self.sample_weight[index_array],)
        return output


def _iter_valid_files(directory, white_list_formats, follow_links):
    for root, _, files in sorted(os.walk(directory, followlinks=follow_links), key=lambda x: x[0]):
        for fname in sorted(files):
            if fname.lower().endswith(".tiff"):
                warnings.warn(
                    'Using ".tiff" files with multiple bands will cause distortion. '
                    "Please verify your output.",
                    stacklevel=2,
                )
            if fname.lower().endswith(white_list_formats):
                yield root, fname


def _list_valid_filenames_in_directory(
    directory, white_list_formats, split, class_indices, follow_links
):
    dirname = os.path.basename(directory)
    valid_files = list(_iter_valid_files(directory, white_list_formats, follow_links))
    if split:
        start, stop = int(split[0] * len(valid_files)), int(split[1] * len(valid_files))
        valid_files = valid_files[start:stop]
    classes, filenames = [], []
    for root, fname in valid_files:
        classes.append(class_indices[dirname])
        absolute_path = os.path.join(root, fname)
        filenames.append(os.path.join(dirname, os.path.relpath(absolute_path, directory)))
    return classes, filenames


class BatchFromFilesMixin:
    """Loading, augmenting and labelling batches of image files (directory / dataframe)."""

    def set_processing_attrs(
        self,
        image_data_generator,
        target_size,
        color_mode,
        data_format,
        save_to_dir,
        save_prefix,
        save_format,
        subset,
        interpolation,
        keep_aspect_ratio,
    ):
        self.image_data_generator = image_data_generator
        self.target_size = tuple(target_size)
        self.keep_aspect_ratio = keep_aspect_ratio
        if color_mode not in {"rgb", "rgba", "grayscale"}:
            raise ValueError(
                f'Invalid color mode: {color_mode}; expected "rgb", "rgba", or "grayscale".'
            )
        self.color_mode = color_mode
        self.data_format = data_format
        channels = {"rgba": 4, "rgb": 3, "grayscale": 1}[color_mode]
        if data_format == "channels_last":
            self.image_shape = self.target_size + (channels,)
        else:
            self.image_shape = (channels,) + self.target_size
        self.save_to_dir = save_to_dir
        self.save_prefix = save_prefix
        self.save_format = save_format
        self.interpolation = interpolation
        if subset is not None:
            validation_split = self.image_data_generator._validation_split
            if subset == "validation":
                split = (0, validation_split)
            elif subset == "training":
                split = (validation_split, 1)
            else:
                raise ValueError(
                    f'Invalid subset name: {subset}; expected "training" or "validation"'
                )
        else:
            split = None
        self.split = split
        self.subset = subset

    def _get_batches_of_transformed_samples(self, index_array):
        batch_x = np.zeros((len(index_array),) + self.image_shape, dtype=self.dtype)
        filepaths = self.filepaths
        for i, j in enumerate(index_array):
            img = image_utils.load_img(
                filepaths[j],
                color_mode=self.color_mode,
                target_size=self.target_size,
                interpolation=self.interpolation,
                keep_aspect_ratio=self.keep_aspect_ratio,
            )
            x = image_utils.img_to_array(img, data_format=self.data_format)
            if hasattr(img, "close"):
                img.close()
            if self.image_data_generator:
                params = self.image_data_generator.get_random_transform(x.shape)
                x = self.image_data_generator.apply_transform(x, params)
                x = self.image_data_generator.standardize(x)
            batch_x[i] = x
        if self.save_to_dir:
            for i, j in enumerate(index_array):
                img = image_utils.array_to_img(batch_x[i], self.data_format, scale=True)
                fname = f"{self.save_prefix}_{j}_{np.random.randint(1e7)}.{self.save_format}"
                img.save(os.path.join(self.save_to_dir, fname))
        if self.class_mode == "input":
            batch_y = batch_x.copy()
        elif self.class_mode in {"binary", "sparse"}:
            batch_y = np.empty(len(batch_x), dtype=self.dtype)
            for i, n_observation in enumerate(index_array):
                batch_y[i] = self.classes[n_observation]
        elif self.class_mode == "categorical":
            batch_y = np.zeros((len(batch_x), len(self.class_indices)), dtype=self.dtype)
            for i, n_observation in enumerate(index_array):
                batch_y[i, self.classes[n_observation]] = 1.0
        elif self.class_mode == "multi_output":
            batch_y = [output[index_array] for output in self.labels]
        elif self.class_mode == "raw":
            batch_y = self.labels[index_array]
        else:
            return batch_x
        if self.sample_weight is None:
            return batch_x, batch_y
        return batch_x, batch_y, self.sample_weight[index_array]


class DirectoryIterator(BatchFromFilesMixin, Iterator):
    """Batches of augmented images read from ``directory/<class>/*`` (``flow_from_directory``).

    Classes are the sub-folders in alphabetical order (or ``classes``); ``class_mode``
    ``"categorical"`` gives one-hot labels, ``"binary"`` / ``"sparse"`` class indices,
    ``"input"`` the images themselves and None no labels.
    """

    allowed_class_modes = {"categorical", "binary", "sparse", "input", None}

    def __init__(
        self,
        directory,
        image_data_generator,
        target_size=(256, 256),
        color_mode="rgb",
        classes=None,
        class_mode="categorical",
        batch_size=32,
        shuffle=True,
        seed=None,
        data_format=None,
        save_to_dir=None,
        save_prefix="",
        save_format="png",
        follow_links=False,
        subset=None,
        interpolation="nearest",
        keep_aspect_ratio=False,
        dtype=None,
    ):
        if data_format is None:
            data_format = _image_data_format()
        if dtype is None:
            dtype = floatx()
        super().set_processing_attrs(
            image_data_generator,
            target_size,
            color_mode,
            data_format,
            save_to_dir,
            save_prefix,
            save_format,
            subset,
            interpolation,
            keep_aspect_ratio,
        )
        if not os.path.isdir(directory):
            raise FileNotFoundError(
                f"flow_from_directory: {directory!r} is not a directory (expected one "
                "sub-folder of images per class)"
            )
        self.directory = directory
        self.classes = classes
        if class_mode not in self.allowed_class_modes:
            raise ValueError(
                f"Invalid class_mode: {class_mode}; expected one of: {self.allowed_class_modes}"
            )
        self.class_mode = class_mode
        self.dtype = dtype
        if not classes:
            classes = [
                subdir
                for subdir in sorted(os.listdir(directory))
                if os.path.isdir(os.path.join(directory, subdir))
            ]
        self.num_classes = len(classes)
        self.class_indices = dict(zip(classes, range(len(classes))))
        self.filenames = []
        classes_list = []
        for subdir in classes:
            labels, filenames = _list_valid_filenames_in_directory(
                os.path.join(directory, subdir),
                self.white_list_formats,
                self.split,
                self.class_indices,
                follow_links,
            )
            classes_list.append(labels)
            self.filenames += filenames
        self.samples = len(self.filenames)
        self.classes = np.zeros((self.samples,), dtype="int32")
        i = 0
        for labels in classes_list:
            self.classes[i : i + len(labels)] = labels
            i += len(labels)
        print(f"Found {self.samples} images belonging to {self.num_classes} classes.")
        self._filepaths = [os.path.join(self.directory, fname) for fname in self.filenames]
        super().__init__(self.samples, batch_size, shuffle, seed)

    @property
    def filepaths(self):
        return self._filepaths

    @property
    def labels(self):
        return self.classes

    @property
    def sample_weight(self):
        return None


def flip_axis(x, axis):
    """``x`` reversed along ``axis``."""
    x = np.asarray(x).swapaxes(axis, 0)
    x = x[::-1, ...]
    return x.swapaxes(0, axis)


def transform_matrix_offset_center(matrix, x, y):
    """``matrix`` (3x3, homogeneous) about the centre of an ``x`` by ``y`` image."""
    o_x = float(x) / 2 - 0.5
    o_y = float(y) / 2 - 0.5
    offset_matrix = np.array([[1, 0, o_x], [0, 1, o_y], [0, 0, 1]])
    reset_matrix = np.array([[1, 0, -o_x], [0, 1, -o_y], [0, 0, 1]])
    return np.dot(np.dot(offset_matrix, matrix), reset_matrix)


def apply_affine_transform(
    x,
    theta=0,
    tx=0,
    ty=0,
    shear=0,
    zx=1,
    zy=1,
    row_axis=1,
    col_axis=2,
    channel_axis=0,
    fill_mode="nearest",
    cval=0.0,
    order=1,
):
    """Rotates, shifts, shears and zooms one image (rank 3) about its centre.

    Args:
        x: the image, rank 3 (channels first or last).
        theta: rotation, degrees.
        tx, ty: shift along the rows / columns, pixels.
        shear: shear angle, degrees.
        zx, zy: zoom along the rows / columns (the output samples the input every ``z``
            pixels: above 1 shrinks the content).
        row_axis, col_axis, channel_axis: the axes of ``x`` (channel 0 or 2).
        fill_mode: ``"constant"``, ``"nearest"``, ``"reflect"`` or ``"wrap"`` (as scipy).
        cval: the fill value of ``"constant"``.
        order: interpolation order, 0 (nearest) or 1 (linear).

    Returns:
        The transformed image, of ``x``'s shape and dtype.
    """
    if np.unique([row_axis, col_axis, channel_axis]).size != 3:
        raise ValueError("'row_axis', 'col_axis', and 'channel_axis' must be distinct")
    valid_indices = {0, 1, 2}
    actual_indices = {row_axis, col_axis, channel_axis}
    if actual_indices != valid_indices:
        raise ValueError(f"Invalid axis' indices: {actual_indices - valid_indices}")
    x = np.asarray(x)
    if x.ndim != 3:
        raise ValueError("Input arrays must be multi-channel 2D images.")
    if channel_axis not in [0, 2]:
        raise ValueError("Channels are allowed and the first and last dimensions.")
    if fill_mode not in FILL_MODES:
        raise ValueError(
            f"apply_affine_transform: fill_mode must be one of {FILL_MODES}, received {fill_mode!r}"
        )
    transform_matrix = None
    if theta != 0:
        theta = np.deg2rad(theta)
        transform_matrix = np.array(
            [[np.cos(theta), -np.sin(theta), 0], [np.sin(theta), np.cos(theta), 0], [0, 0, 1]]
        )
    if tx != 0 or ty != 0:
        shift_matrix = np.array([[1, 0, tx], [0, 1, ty], [0, 0, 1]])
        transform_matrix = (
            shift_matrix if transform_matrix is None else np.dot(transform_matrix, shift_matrix)
        )
    if shear != 0:
        shear = np.deg2rad(shear)
        shear_matrix = np.array([[1, -np.sin(shear), 0], [0, np.cos(shear), 0], [0, 0, 1]])
        transform_matrix = (
            shear_matrix if transform_matrix is None else np.dot(transform_matrix, shear_matrix)
        )
    if zx != 1 or zy != 1:
        zoom_matrix = np.array([[zx, 0, 0], [0, zy, 0], [0, 0, 1]])
        transform_matrix = (
            zoom_matrix if transform_matrix is None else np.dot(transform_matrix, zoom_matrix)
        )
    if transform_matrix is not None:
        h, w = x.shape[row_axis], x.shape[col_axis]
        transform_matrix = transform_matrix_offset_center(transform_matrix, h, w)
        x = np.rollaxis(x, channel_axis, 0)
        if col_axis > row_axis:
            transform_matrix[:, [0, 1]] = transform_matrix[:, [1, 0]]
            transform_matrix[[0, 1]] = transform_matrix[[1, 0]]
        final_affine_matrix = transform_matrix[:2, :2]
        final_offset = transform_matrix[:2, 2]
        channel_images = [
            affine_transform_2d(
                x_channel, final_affine_matrix, final_offset, order=order, mode=fill_mode,
                cval=cval,
            )
            for x_channel in x
        ]  # fmt: skip
        x = np.stack(channel_images, axis=0)
        x = np.rollaxis(x, 0, channel_axis + 1)
    return x


def random_rotation(
    x, rg, row_axis=1, col_axis=2, channel_axis=0, fill_mode="nearest", cval=0.0,
    interpolation_order=1,
):  # fmt: skip
    """Rotates ``x`` by an angle drawn uniformly from ``[-rg, rg]`` degrees."""
    theta = np.random.uniform(-rg, rg)
    return apply_affine_transform(
        x, theta=theta, row_axis=row_axis, col_axis=col_axis, channel_axis=channel_axis,
        fill_mode=fill_mode, cval=cval, order=interpolation_order,
    )  # fmt: skip


def random_shift(
    x, wrg, hrg, row_axis=1, col_axis=2, channel_axis=0, fill_mode="nearest", cval=0.0,
    interpolation_order=1,
):  # fmt: skip
    """Shifts ``x`` by up to ``hrg`` of its height and ``wrg`` of its width (uniform)."""
    h, w = x.shape[row_axis], x.shape[col_axis]
    tx = np.random.uniform(-hrg, hrg) * h
    ty = np.random.uniform(-wrg, wrg) * w
    return apply_affine_transform(
        x, tx=tx, ty=ty, row_axis=row_axis, col_axis=col_axis, channel_axis=channel_axis,
        fill_mode=fill_mode, cval=cval, order=interpolation_order,
    )  # fmt: skip


def random_shear(
    x, intensity, row_axis=1, col_axis=2, channel_axis=0, fill_mode="nearest", cval=0.0,
    interpolation_order=1,
):  # fmt: skip
    """Shears ``x`` by an angle drawn uniformly from ``[-intensity, intensity]`` degrees."""
    shear = np.random.uniform(-intensity, intensity)
    return apply_affine_transform(
        x, shear=shear, row_axis=row_axis, col_axis=col_axis, channel_axis=channel_axis,
        fill_mode=fill_mode, cval=cval, order=interpolation_order,
    )  # fmt: skip


def random_zoom(
    x, zoom_range, row_axis=1, col_axis=2, channel_axis=0, fill_mode="nearest", cval=0.0,
    interpolation_order=1,
):  # fmt: skip
    """Zooms ``x`` by factors ``zx, zy`` drawn uniformly from ``zoom_range = (lo, hi)``."""
    if len(zoom_range) != 2:
        raise ValueError(
            f"`zoom_range` should be a tuple or list of two floats. Received: {zoom_range}"
        )
    if zoom_range[0] == 1 and zoom_range[1] == 1:
        zx, zy = 1, 1
    else:
        zx, zy = np.random.uniform(zoom_range[0], zoom_range[1], 2)
    return apply_affine_transform(
        x, zx=zx, zy=zy, row_axis=row_axis, col_axis=col_axis, channel_axis=channel_axis,
        fill_mode=fill_mode, cval=cval, order=interpolation_order,
    )  # fmt: skip


def apply_channel_shift(x, intensity, channel_axis=0):
    """Adds ``intensity`` to every channel, clipped to ``x``'s original min and max."""
    x = np.rollaxis(np.asarray(x), channel_axis, 0)
    min_x, max_x = np.min(x), np.max(x)
    x = np.stack([np.clip(c + intensity, min_x, max_x) for c in x], axis=0)
    return np.rollaxis(x, 0, channel_axis + 1)


def random_channel_shift(x, intensity_range, channel_axis=0):
    """``apply_channel_shift`` by an intensity drawn from ``[-range, range]``."""
    intensity = np.random.uniform(-intensity_range, intensity_range)
    return apply_channel_shift(x, intensity, channel_axis=channel_axis)


def apply_brightness_shift(x, brightness, scale=True):
    """Multiplies the brightness of an image (channels last) by ``brightness`` with Pillow.

    As Keras: the image goes through an 8-bit Pillow image (rescaled to 0..255 when
    ``scale`` or when its values leave that range), so values are rounded to 1/255 of
    the range; with ``scale=False`` an out-of-range image is mapped back to its range.
    """
    from PIL import ImageEnhance

    x = np.asarray(x)
    x_min, x_max = np.min(x), np.max(x)
    local_scale = (x_min < 0) or (x_max > 255)
    img = image_utils.array_to_img(x, scale=local_scale or scale)
    img = ImageEnhance.Brightness(img).enhance(brightness)
    x = image_utils.img_to_array(img)
    if not scale and local_scale:
        x = x / 255 * (x_max - x_min) + x_min
    return x


def random_brightness(x, brightness_range, scale=True):
    """``apply_brightness_shift`` by a factor drawn from ``brightness_range = (lo, hi)``."""
    if len(brightness_range) != 2:
        raise ValueError(
            f"`brightness_range should be tuple or list of two floats. Received: {brightness_range}"
        )
    u = np.random.uniform(brightness_range[0], brightness_range[1])
    return apply_brightness_shift(x, u, scale)


def _check_range(name, value):
    """Shift ranges: a number, or a list / tuple / array of candidate values."""
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        return
    if (
        isinstance(value, (list, tuple, np.ndarray))
        and len(value)
        and all(isinstance(v, (int, float, np.integer, np.floating)) for v in np.ravel(value))
    ):
        return
    raise ValueError(
        f"ImageDataGenerator: {name} must be a float, an int or a non-empty list of numbers, "
        f"received {value!r}"
    )


class ImageDataGenerator:
    """Real-time augmentation of image batches (Keras 1's API, still in tf.keras).

    Each image drawn by :meth:`flow` / :meth:`flow_from_directory` gets a random
    transform (:meth:`get_random_transform`, applied by :meth:`apply_transform`) and is
    then normalised by :meth:`standardize` (``preprocessing_function``, ``rescale``,
    sample-wise then feature-wise centring / scaling).

    Args:
        featurewise_center, featurewise_std_normalization: subtract the data set's mean /
            divide by its std, per channel (call :meth:`fit` first).
        samplewise_center, samplewise_std_normalization: the same per image.
        zca_whitening, zca_epsilon: ZCA whitening fitted by :meth:`fit`.
        rotation_range: degrees, drawn uniformly from ``[-r, r]``.
        width_shift_range, height_shift_range: a float (a fraction of the size if < 1,
            pixels otherwise), or a list of allowed pixel shifts (random sign for ints).
        brightness_range: ``(lo, hi)`` brightness factors.
        shear_range: degrees.
        zoom_range: a float ``z`` (``[1 - z, 1 + z]``) or ``[lo, hi]``.
        channel_shift_range: added to every channel, drawn from ``[-r, r]``.
        fill_mode: ``"constant"``, ``"nearest"``, ``"reflect"`` or ``"wrap"``.
        cval: the fill value of ``"constant"``.
        horizontal_flip, vertical_flip: flip with probability 1/2.
        rescale: multiply every image by this factor (None or 0: nothing).
        preprocessing_function: a function applied to each image first.
        data_format: ``"channels_last"`` (default) or ``"channels_first"``.
        validation_split: the fraction held out for ``subset="validation"``.
        interpolation_order: 0 (nearest) or 1 (linear).
        dtype: the dtype of the batches (default floatx).
    """

    def __init__(
        self,
        featurewise_center=False,
        samplewise_center=False,
        featurewise_std_normalization=False,
        samplewise_std_normalization=False,
        zca_whitening=False,
        zca_epsilon=1e-6,
        rotation_range=0,
        width_shift_range=0.0,
        height_shift_range=0.0,
        brightness_range=None,
        shear_range=0.0,
        zoom_range=0.0,
        channel_shift_range=0.0,
        fill_mode="nearest",
        cval=0.0,
        horizontal_flip=False,
        vertical_flip=False,
        rescale=None,
        preprocessing_function=None,
        data_format=None,
        validation_split=0.0,
        interpolation_order=1,
        dtype=None,
    ):
        if data_format is None:
            data_format = _image_data_format()
        if dtype is None:
            dtype = floatx()
        self.featurewise_center = featurewise_center
        self.samplewise_center = samplewise_center
        self.featurewise_std_normalization = featurewise_std_normalization
        self.samplewise_std_normalization = samplewise_std_normalization
        self.zca_whitening = zca_whitening
        self.zca_epsilon = zca_epsilon
        self.rotation_range = rotation_range
        self.width_shift_range = width_shift_range
        self.height_shift_range = height_shift_range
        self.shear_range = shear_range
        self.zoom_range = zoom_range
        self.channel_shift_range = channel_shift_range
        self.fill_mode = fill_mode
        self.cval = cval
        self.horizontal_flip = horizontal_flip
        self.vertical_flip = vertical_flip
        self.rescale = rescale
        self.preprocessing_function = preprocessing_function
        self.dtype = dtype
        self.interpolation_order = interpolation_order
        if data_format not in {"channels_last", "channels_first"}:
            raise ValueError(
                '`data_format` should be `"channels_last"` (channel after row and column) or '
                '`"channels_first"` (channel before row and column). '
                f"Received: {data_format}"
            )
        if fill_mode not in FILL_MODES:
            raise ValueError(
                f"ImageDataGenerator: fill_mode must be one of {FILL_MODES}, received {fill_mode!r}"
            )
        if interpolation_order not in (0, 1):
            raise ValueError(
                "ImageDataGenerator: interpolation_order must be 0 (nearest) or 1 (linear) "
                f"in gpuflow (no spline resampler), received {interpolation_order!r}"
            )
        _check_range("width_shift_range", width_shift_range)
        _check_range("height_shift_range", height_shift_range)
        self.data_format = data_format
        if data_format == "channels_first":
            self.channel_axis, self.row_axis, self.col_axis = 1, 2, 3
        else:
            self.channel_axis, self.row_axis, self.col_axis = 3, 1, 2
        if validation_split and not 0 < validation_split < 1:
            raise ValueError(
                "`validation_split` must be strictly between 0 and 1. "
                f" Received: {validation_split}"
            )
        self._validation_split = validation_split
        self.mean = None
        self.std = None
        self.zca_whitening_matrix = None
        if isinstance(zoom_range, (float, int)):
            self.zoom_range = [1 - zoom_range, 1 + zoom_range]
        elif len(zoom_range) == 2 and all(isinstance(val, (float, int)) for val in zoom_range):
            self.zoom_range = [zoom_range[0], zoom_range[1]]
        else:
            raise ValueError(
                "`zoom_range` should be a float or a tuple or list of two floats. "
                f"Received: {zoom_range}"
            )
        if zca_whitening:
            if not featurewise_center:
                self.featurewise_center = True
                warnings.warn(
                    "This ImageDataGenerator specifies `zca_whitening`, which overrides "
                    "setting of `featurewise_center`.",
                    stacklevel=2,
                )
            if featurewise_std_normalization:
                self.featurewise_std_normalization = False
                warnings.warn(
                    "This ImageDataGenerator specifies `zca_whitening` which overrides "
                    "setting of`featurewise_std_normalization`.",
                    stacklevel=2,
                )
        if featurewise_std_normalization and not featurewise_center:
            self.featurewise_center = True
            warnings.warn(
                "This ImageDataGenerator specifies `featurewise_std_normalization`, which "
                "overrides setting of `featurewise_center`.",
                stacklevel=2,
            )
        if samplewise_std_normalization and not samplewise_center:
            self.samplewise_center = True
            warnings.warn(
                "This ImageDataGenerator specifies `samplewise_std_normalization`, which "
                "overrides setting of `samplewise_center`.",
                stacklevel=2,
            )
        if brightness_range is not None:
            if not isinstance(brightness_range, (tuple, list)) or len(brightness_range) != 2:
                raise ValueError(
                    "`brightness_range should be tuple or list of two floats. "
                    f"Received: {brightness_range}"
                )
        self.brightness_range = brightness_range

    def flow(
        self,
        x,
        y=None,
        batch_size=32,
        shuffle=True,
        sample_weight=None,
        seed=None,
        save_to_dir=None,
        save_prefix="",
        save_format="png",
        ignore_class_split=False,
        subset=None,
    ):
        """A :class:`NumpyArrayIterator` of augmented batches of the images ``x`` (rank 4)."""
        return NumpyArrayIterator(
            x,
            y,
            self,
            batch_size=batch_size,
            shuffle=shuffle,
            sample_weight=sample_weight,
            seed=seed,
            data_format=self.data_format,
            save_to_dir=save_to_dir,
            save_prefix=save_prefix,
            save_format=save_format,
            ignore_class_split=ignore_class_split,
            subset=subset,
            dtype=self.dtype,
        )

    def flow_from_directory(
        self,
        directory,
        target_size=(256, 256),
        color_mode="rgb",
        classes=None,
        class_mode="categorical",
        batch_size=32,
        shuffle=True,
        seed=None,
        save_to_dir=None,
        save_prefix="",
        save_format="png",
        follow_links=False,
        subset=None,
        interpolation="nearest",
        keep_aspect_ratio=False,
    ):
        """A :class:`DirectoryIterator` over ``directory/<class>/<image files>``."""
        return DirectoryIterator(
            directory,
            self,
            target_size=target_size,
            color_mode=color_mode,
            keep_aspect_ratio=keep_aspect_ratio,
            classes=classes,
            class_mode=class_mode,
            data_format=self.data_format,
            batch_size=batch_size,
            shuffle=shuffle,
            seed=seed,
            save_to_dir=save_to_dir,
            save_prefix=save_prefix,
            save_format=save_format,
            follow_links=follow_links,
            subset=subset,
            interpolation=interpolation,
            dtype=self.dtype,
        )

    def flow_from_dataframe(
        self,
        dataframe,
        directory=None,
        x_col="filename",
        y_col="class",
        weight_col=None,
        target_size=(256, 256),
        color_mode="rgb",
        classes=None,
        class_mode="categorical",
        batch_size=32,
        shuffle=True,
        seed=None,
        save_to_dir=None,
        save_prefix="",
        save_format="png",
        subset=None,
        interpolation="nearest",
        validate_filenames=True,
        **kwargs,
    ):
        """A :class:`DataFrameIterator` over the image files a pandas DataFrame lists.

        ``x_col`` holds the paths (relative to ``directory``), ``y_col`` the labels;
        ``class_mode`` as in :meth:`flow_from_directory`, plus ``"multi_output"`` and
        ``"raw"``. Needs pandas (for the DataFrame); gpuflow itself does not.
        """
        return _flow_from_dataframe(
            self, dataframe, directory, x_col=x_col, y_col=y_col, weight_col=weight_col,
            target_size=target_size, color_mode=color_mode, classes=classes,
            class_mode=class_mode, batch_size=batch_size, shuffle=shuffle, seed=seed,
            save_to_dir=save_to_dir, save_prefix=save_prefix, save_format=save_format,
            subset=subset, interpolation=interpolation,
            validate_filenames=validate_filenames, **kwargs,
        )  # fmt: skip

    def standardize(self, x):
        """Normalises one image (in place when it is a float array), as configured.

        ``preprocessing_function``, then ``rescale``, then sample-wise and feature-wise
        centring and scaling (feature-wise ones need :meth:`fit`).
        """
        if self.preprocessing_function:
            x = self.preprocessing_function(x)
        if self.rescale:
            x *= self.rescale
        if self.samplewise_center:
            x -= np.mean(x, keepdims=True)
        if self.samplewise_std_normalization:
            x /= np.std(x, keepdims=True) + 1e-6
        if self.featurewise_center:
            if self.mean is not None:
                x -= self.mean
            else:
                warnings.warn(
                    "This ImageDataGenerator specifies `featurewise_center`, but it hasn't "
                    "been fit on any training data. Fit it first by calling `.fit(numpy_data)`.",
                    stacklevel=2,
                )
        if self.featurewise_std_normalization:
            if self.std is not None:
                x /= self.std + 1e-6
            else:
                warnings.warn(
                    "This ImageDataGenerator specifies `featurewise_std_normalization`, but "
                    "it hasn't been fit on any training data. Fit it first by calling "
                    "`.fit(numpy_data)`.",
                    stacklevel=2,
                )
        if self.zca_whitening:
            if self.zca_whitening_matrix is not None:
                flat_x = x.reshape(-1, math.prod(x.shape[-3:]))
                white_x = flat_x @ self.zca_whitening_matrix
                x = np.reshape(white_x, x.shape)
            else:
                warnings.warn(
                    "This ImageDataGenerator specifies `zca_whitening`, but it hasn't been "
                    "fit on any training data. Fit it first by calling `.fit(numpy_data)`.",
                    stacklevel=2,
                )
        return x

    def _draw_shift(self, value, size):
        if (value.size == 0 or not value.any()) if isinstance(value, np.ndarray) else not value:
            return 0
        if isinstance(value, (list, tuple, np.ndarray)) or isinstance(value, (int, np.integer)):
            shift = np.random.choice(value)  # ints and lists: a pixel count, random sign
            shift *= np.random.choice([-1, 1])
        else:
            shift = np.random.uniform(-value, value)
        if np.max(value) < 1:
            shift *= size
        return shift

    def get_random_transform(self, img_shape, seed=None):
        """Draws the parameters of one random transform of an image of ``img_shape``.

        Returns:
            A dict: ``theta``, ``tx``, ``ty``, ``shear``, ``zx``, ``zy``,
            ``flip_horizontal``, ``flip_vertical``, ``channel_shift_intensity``,
            ``brightness`` (for :meth:`apply_transform`).
        """
        img_row_axis = self.row_axis - 1
        img_col_axis = self.col_axis - 1
        if seed is not None:
            np.random.seed(seed)
        theta = (
            np.random.uniform(-self.rotation_range, self.rotation_range)
            if (self.rotation_range)
            else 0
        )
        tx = self._draw_shift(self.height_shift_range, img_shape[img_row_axis])
        ty = self._draw_shift(self.width_shift_range, img_shape[img_col_axis])
        shear = np.random.uniform(-self.shear_range, self.shear_range) if self.shear_range else 0
        if self.zoom_range[0] == 1 and self.zoom_range[1] == 1:
            zx, zy = 1, 1
        else:
            zx, zy = np.random.uniform(self.zoom_range[0], self.zoom_range[1], 2)
        flip_horizontal = (np.random.random() < 0.5) * self.horizontal_flip
        flip_vertical = (np.random.random() < 0.5) * self.vertical_flip
        channel_shift_intensity = None
        if self.channel_shift_range != 0:
            channel_shift_intensity = np.random.uniform(
                -self.channel_shift_range, self.channel_shift_range
            )
        brightness = None
        if self.brightness_range is not None:
            brightness = np.random.uniform(self.brightness_range[0], self.brightness_range[1])
        return {
            "theta": theta,
            "tx": tx,
            "ty": ty,
            "shear": shear,
            "zx": zx,
            "zy": zy,
            "flip_horizontal": flip_horizontal,
            "flip_vertical": flip_vertical,
            "channel_shift_intensity": channel_shift_intensity,
            "brightness": brightness,
        }

    def apply_transform(self, x, transform_parameters):
        """Applies a transform (a dict as :meth:`get_random_transform` returns) to one image."""
        img_row_axis = self.row_axis - 1
        img_col_axis = self.col_axis - 1
        img_channel_axis = self.channel_axis - 1
        x = apply_affine_transform(
            x,
            transform_parameters.get("theta", 0),
            transform_parameters.get("tx", 0),
            transform_parameters.get("ty", 0),
            transform_parameters.get("shear", 0),
            transform_parameters.get("zx", 1),
            transform_parameters.get("zy", 1),
            row_axis=img_row_axis,
            col_axis=img_col_axis,
            channel_axis=img_channel_axis,
            fill_mode=self.fill_mode,
            cval=self.cval,
            order=self.interpolation_order,
        )
        if transform_parameters.get("channel_shift_intensity") is not None:
            x = apply_channel_shift(
                x, transform_parameters["channel_shift_intensity"], img_channel_axis
            )
        if transform_parameters.get("flip_horizontal", False):
            x = flip_axis(x, img_col_axis)
        if transform_parameters.get("flip_vertical", False):
            x = flip_axis(x, img_row_axis)
        if transform_parameters.get("brightness") is not None:
            x = apply_brightness_shift(x, transform_parameters["brightness"], False)
        return x

    def random_transform(self, x, seed=None):
        """One image, randomly transformed (``get_random_transform`` + ``apply_transform``)."""
        params = self.get_random_transform(x.shape, seed)
        return self.apply_transform(x, params)

    def fit(self, x, augment=False, rounds=1, seed=None):
        """Computes the feature-wise mean / std (and ZCA matrix) of the images ``x`` (rank 4).

        Args:
            x: sample images.
            augment: fit on ``rounds`` randomly transformed copies instead.
            rounds: copies per image when ``augment``.
            seed: reseeds ``np.random`` first.
        """
        x = np.asarray(x, dtype=self.dtype)
        if x.ndim != 4:
            raise ValueError(
                f"Input to `.fit()` should have rank 4. Got array with shape: {x.shape}"
            )
        if x.shape[self.channel_axis] not in {1, 3, 4}:
            warnings.warn(
                "Expected input to be images (as Numpy array) following the data format "
                f'convention "{self.data_format}" (channels on axis {self.channel_axis}), '
                f"i.e. expected either 1, 3 or 4 channels on axis {self.channel_axis}. "
                f"However, it was passed an array with shape {x.shape} "
                f"({x.shape[self.channel_axis]} channels).",
                stacklevel=2,
            )
        if seed is not None:
            np.random.seed(seed)
        x = np.copy(x)
        if self.rescale:
            x *= self.rescale
        if augment:
            ax = np.zeros((rounds * x.shape[0],) + x.shape[1:], dtype=self.dtype)
            for r in range(rounds):
                for i in range(x.shape[0]):
                    ax[i + r * x.shape[0]] = self.random_transform(x[i])
            x = ax
        broadcast_shape = [1, 1, 1]
        broadcast_shape[self.channel_axis - 1] = x.shape[self.channel_axis]
        if self.featurewise_center:
            self.mean = np.reshape(
                np.mean(x, axis=(0, self.row_axis, self.col_axis)), broadcast_shape
            )
            x -= self.mean
        if self.featurewise_std_normalization:
            self.std = np.reshape(
                np.std(x, axis=(0, self.row_axis, self.col_axis)), broadcast_shape
            )
            x /= self.std + 1e-6
        if self.zca_whitening:
            n = len(x)
            flat_x = np.reshape(x, (n, -1))
            u, s, _ = np.linalg.svd(flat_x.T, full_matrices=False)
            s_inv = np.sqrt(n) / (s + self.zca_epsilon)
            self.zca_whitening_matrix = (u * s_inv).dot(u.T)


def _valid_file(filename, white_list_formats):
    return filename.lower().endswith(white_list_formats) and os.path.isfile(filename)


class DataFrameIterator(BatchFromFilesMixin, Iterator):
    """Batches of augmented images whose paths (``x_col``) and labels (``y_col``) a
    DataFrame holds. ``class_mode``: ``"categorical"``, ``"binary"``, ``"sparse"``,
    ``"input"``, ``"multi_output"``, ``"raw"`` or None, as in Keras."""

    allowed_class_modes = {"binary", "categorical", "input", "multi_output", "raw", "sparse", None}

    def __init__(
        self,
        dataframe,
        directory=None,
        image_data_generator=None,
        x_col="filename",
        y_col="class",
        weight_col=None,
        target_size=(256, 256),
        color_mode="rgb",
        classes=None,
        class_mode="categorical",
        batch_size=32,
        shuffle=True,
        seed=None,
        data_format="channels_last",
        save_to_dir=None,
        save_prefix="",
        save_format="png",
        subset=None,
        interpolation="nearest",
        keep_aspect_ratio=False,
        dtype="float32",
        validate_filenames=True,
    ):
        super().set_processing_attrs(
            image_data_generator,
            target_size,
            color_mode,
            data_format,
            save_to_dir,
            save_prefix,
            save_format,
            subset,
            interpolation,
            keep_aspect_ratio,
        )
        df = dataframe.copy()
        self.directory = directory or ""
        self.class_mode = class_mode
        self.dtype = dtype
        self._check_params(df, x_col, y_col, weight_col, classes)
        if validate_filenames:
            df = self._filter_valid_filepaths(df, x_col)
        labelled = class_mode not in ["input", "multi_output", "raw", None]
        if labelled:
            df, classes = self._filter_classes(df, y_col, classes)
            num_classes = len(classes)
            self.class_indices = dict(zip(classes, range(len(classes))))
        if self.split:
            num_files = len(df)
            df = df.iloc[int(self.split[0] * num_files) : int(self.split[1] * num_files), :]
        if labelled:
            self.classes = self.get_classes(df, y_col)
        self.filenames = df[x_col].tolist()
        self._sample_weight = df[weight_col].values if weight_col else None
        if class_mode == "multi_output":
            self._targets = [np.array(df[col].tolist()) for col in y_col]
        if class_mode == "raw":
            self._targets = df[y_col].values
        self.samples = len(self.filenames)
        validated = "validated" if validate_filenames else "non-validated"
        if labelled:
            print(
                f"Found {self.samples} {validated} image filenames belonging to "
                f"{num_classes} classes."
            )
        else:
            print(f"Found {self.samples} {validated} image filenames.")
        self._filepaths = [os.path.join(self.directory, fname) for fname in self.filenames]
        super().__init__(self.samples, batch_size, shuffle, seed)

    def _check_params(self, df, x_col, y_col, weight_col, classes):
        if self.class_mode not in self.allowed_class_modes:
            raise ValueError(
                f"Invalid class_mode: {self.class_mode}; expected one of: "
                f"{self.allowed_class_modes}"
            )
        if self.class_mode == "multi_output" and not isinstance(y_col, list):
            raise TypeError(
                f'If class_mode="{self.class_mode}", y_col must be a list. '
                f"Received {type(y_col).__name__}."
            )
        if not all(df[x_col].apply(lambda x: isinstance(x, str))):
            raise TypeError(f"All values in column x_col={x_col} must be strings.")
        if self.class_mode in {"binary", "sparse"}:
            if not all(df[y_col].apply(lambda x: isinstance(x, str))):
                raise TypeError(
                    f'If class_mode="{self.class_mode}", y_col="{y_col}" column values must '
                    "be strings."
                )
        if self.class_mode == "binary":
            if classes:
                if len(set(classes)) != 2:
                    raise ValueError(
                        'If class_mode="binary" there must be 2 classes. '
                        f"{len(set(classes))} class/es were given."
                    )
            elif df[y_col].nunique() != 2:
                raise ValueError(
                    'If class_mode="binary" there must be 2 classes. '
                    f"Found {df[y_col].nunique()} classes."
                )
        if self.class_mode == "categorical":
            if not all(df[y_col].apply(lambda x: isinstance(x, (str, list, tuple)))):
                raise TypeError(
                    f'If class_mode="{self.class_mode}", y_col="{y_col}" column values must '
                    "be type string, list or tuple."
                )
        if classes and self.class_mode in {"input", "multi_output", "raw", None}:
            warnings.warn(
                f'`classes` will be ignored given the class_mode="{self.class_mode}"',
                stacklevel=3,
            )
        if weight_col and not issubclass(df[weight_col].dtype.type, np.number):
            raise TypeError(f"Column weight_col={weight_col} must be numeric.")

    def get_classes(self, df, y_col):
        labels = []
        for label in df[y_col]:
            if isinstance(label, (list, tuple)):
                labels.append([self.class_indices[lbl] for lbl in label])
            else:
                labels.append(self.class_indices[label])
        return labels

    @staticmethod
    def _filter_classes(df, y_col, classes):
        df = df.copy()

        def remove_classes(labels, classes):
            if isinstance(labels, (list, tuple)):
                return [cls for cls in labels if cls in classes] or None
            if isinstance(labels, str):
                return labels if labels in classes else None
            raise TypeError(
                f"Expect string, list or tuple but found {type(labels)} in {y_col} column "
            )

        if classes:
            classes = list(collections.OrderedDict.fromkeys(classes).keys())
            df[y_col] = df[y_col].apply(lambda x: remove_classes(x, classes))
        else:
            found = set()
            for v in df[y_col]:
                if isinstance(v, (list, tuple)):
                    found.update(v)
                else:
                    found.add(v)
            classes = sorted(found)
        return df.dropna(subset=[y_col]), classes

    def _filter_valid_filepaths(self, df, x_col):
        filepaths = df[x_col].map(lambda fname: os.path.join(self.directory, fname))
        mask = filepaths.apply(_valid_file, args=(self.white_list_formats,))
        n_invalid = (~mask).sum()
        if n_invalid:
            warnings.warn(
                f'Found {n_invalid} invalid image filename(s) in x_col="{x_col}". '
                "These filename(s) will be ignored.",
                stacklevel=3,
            )
        return df[mask]

    @property
    def filepaths(self):
        return self._filepaths

    @property
    def labels(self):
        if self.class_mode in {"multi_output", "raw"}:
            return self._targets
        return self.classes

    @property
    def sample_weight(self):
        return self._sample_weight


def _flow_from_dataframe(
    generator,
    dataframe,
    directory=None,
    x_col="filename",
    y_col="class",
    weight_col=None,
    target_size=(256, 256),
    color_mode="rgb",
    classes=None,
    class_mode="categorical",
    batch_size=32,
    shuffle=True,
    seed=None,
    save_to_dir=None,
    save_prefix="",
    save_format="png",
    subset=None,
    interpolation="nearest",
    validate_filenames=True,
    **kwargs,
):
    """``ImageDataGenerator.flow_from_dataframe`` with Keras' arguments and deprecations."""
    for old, message in (
        ("has_ext", "has_ext is deprecated, filenames in the dataframe have to match the "
                    "exact filenames in disk."),
        ("sort", "sort is deprecated, batches will be created in the same order than the "
                 "filenames provided if `shuffle` is set to `False`."),
        ("drop_duplicates", "drop_duplicates is deprecated, you can drop duplicates by using "
                            "the pandas.DataFrame.drop_duplicates method."),
    ):  # fmt: skip
        if old in kwargs:
            warnings.warn(message, DeprecationWarning, stacklevel=3)
            kwargs.pop(old)
    if kwargs:
        raise TypeError(f"flow_from_dataframe: unexpected keyword arguments {sorted(kwargs)}")
    if class_mode == "other":
        warnings.warn(
            '`class_mode="other"` is deprecated, please use `class_mode="raw"`.',
            DeprecationWarning,
            stacklevel=3,
        )
        class_mode = "raw"
    return DataFrameIterator(
        dataframe,
        directory,
        generator,
        x_col=x_col,
        y_col=y_col,
        weight_col=weight_col,
        target_size=target_size,
        color_mode=color_mode,
        classes=classes,
        class_mode=class_mode,
        data_format=generator.data_format,
        batch_size=batch_size,
        shuffle=shuffle,
        seed=seed,
        save_to_dir=save_to_dir,
        save_prefix=save_prefix,
        save_format=save_format,
        subset=subset,
        interpolation=interpolation,
        validate_filenames=validate_filenames,
        dtype=generator.dtype,
    )
