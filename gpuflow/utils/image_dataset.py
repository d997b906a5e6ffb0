"""``keras.utils.image_dataset_from_directory``: labelled images from class folders.

Images are decoded as ``tf.io.decode_image`` does (Pillow underneath, an optional
dependency: ``pip install Pillow``).
"""

from __future__ import annotations

import os

import numpy as np

from ..data import AUTOTUNE, Dataset

ALLOWLIST_FORMATS = (".bmp", ".gif", ".jpeg", ".jpg", ".png")
_CHANNELS = {"rgb": (3, "RGB"), "rgba": (4, "RGBA"), "grayscale": (1, "L")}
_RESAMPLE = {
    "bilinear": "BILINEAR",
    "nearest": "NEAREST",
    "bicubic": "BICUBIC",
    "area": "BOX",
    "lanczos3": "LANCZOS",
    "lanczos5": "LANCZOS",
}


def _pillow():
    try:
        from PIL import Image
    except ImportError:
        raise ImportError(
            "image_dataset_from_directory needs Pillow to decode images; "
            "install it with `pip install Pillow`"
        ) from None
    return Image


def _index(
    directory,
    labels,
    class_names,
    follow_links: bool,
    formats=ALLOWLIST_FORMATS,
    op="image_dataset_from_directory",
):
    """Relative file paths in Keras' order (sorted classes, then sorted walk) and labels
    (text_dataset_from_directory passes its own ``formats`` and ``op``)."""
    if labels == "inferred":
        subdirs = sorted(
            d
            for d in os.listdir(directory)
            if os.path.isdir(os.path.join(directory, d)) and not d.startswith(".")
        )
        if class_names is not None:
            if not set(class_names) <= set(subdirs):
                raise ValueError(
                    f"{op}: class_names {class_names} do not "
                    f"match the subdirectories {subdirs} (or a subset of them)"
                )
            subdirs = list(class_names)
    else:
        subdirs = [""]
    paths, found_labels = [], []
    for index, subdir in enumerate(subdirs):
        top = os.path.join(directory, subdir)
        for root, _, files in sorted(os.walk(top, followlinks=follow_links), key=lambda w: w[0]):
            for name in sorted(files):
                if name.lower().endswith(formats):
                    paths.append(os.path.join(root, name))
                    found_labels.append(index)
    if labels == "inferred":
        return paths, np.asarray(found_labels, dtype=np.int32), subdirs
    if labels is None:
        return paths, None, None
    if len(labels) != len(paths):
        raise ValueError(
            f"{op}: expected as many labels as files: "
            f"len(labels) is {len(labels)}, {len(paths)} files found in "
            f"{directory}"
        )
    return paths, np.asarray(labels), [str(label) for label in sorted(set(labels))]


def _ordered_files(
    directory,
    labels,
    label_mode,
    class_names,
    follow_links: bool,
    shuffle: bool,
    seed,
    verbose: bool,
    formats=ALLOWLIST_FORMATS,
    op="image_dataset_from_directory",
):
    """``(paths, labels, class_names, seed)``: the files in Keras' order, shuffled once
    with ``seed`` (drawn when None) before any validation split, as Keras does."""
    paths, found, names = _index(directory, labels, class_names, follow_links, formats, op)
    if verbose:
        print(
            f"Found {len(paths)} files."
            if found is None
            else f"Found {len(paths)} files belonging to {len(names)} classes."
        )
    if label_mode == "binary" and len(names) != 2:
        raise ValueError(
            f'{op}: label_mode="binary" needs exactly 2 classes, received class_names={names}'
        )
    if seed is None:
        seed = np.random.randint(1_000_000)
    if shuffle:
        order = np.arange(len(paths))
        np.random.RandomState(seed).shuffle(order)
        paths = [paths[i] for i in order]
        found = None if found is None else found[order]
    return paths, found, names, seed


def _check_args(
    labels,
    label_mode,
    class_names,
    color_mode,
    image_size,
    interpolation,
    validation_split,
    subset,
    shuffle,
    seed,
):
    if labels not in ("inferred", None) and not isinstance(labels, (list, tuple)):
        raise ValueError(
            f'image_dataset_from_directory: labels must be "inferred", None, or a '
            f"list of integer labels, received {labels!r}"
        )
    if labels not in ("inferred", None) and class_names:
        raise ValueError('image_dataset_from_directory: class_names needs labels="inferred"')
    if label_mode not in ("int", "categorical", "binary", None):
        raise ValueError(
            f'image_dataset_from_directory: label_mode must be "int", '
            f'"categorical", "binary" or None, received {label_mode!r}'
        )
    if color_mode not in _CHANNELS:
        raise ValueError(
            f'image_dataset_from_directory: color_mode must be one of "rgb", '
            f'"rgba", "grayscale", received {color_mode!r}'
        )
    if not (isinstance(image_size, (list, tuple)) and len(image_size) == 2):
        raise ValueError(
            f"image_dataset_from_directory: image_size must be a tuple of 2 ints, "
            f"received {image_size!r}"
        )
    if interpolation.lower() not in _RESAMPLE:
        raise ValueError(
            f"image_dataset_from_directory: interpolation must be one of "
            f"{tuple(_RESAMPLE)}, received {interpolation!r}"
        )
    if validation_split and not 0 < validation_split < 1:
        raise ValueError(
            f"image_dataset_from_directory: validation_split must be between 0 "
            f"and 1, received {validation_split}"
        )
    if bool(validation_split) != bool(subset):
        raise ValueError(
            "image_dataset_from_directory: if subset is set, validation_split must "
            "be set, and inversely"
        )
    if subset not in ("training", "validation", "both", None):
        raise ValueError(
            f'image_dataset_from_directory: subset must be "training", '
            f'"validation" or "both", received {subset!r}'
        )
    if validation_split and shuffle and seed is None:
        raise ValueError(
            "image_dataset_from_directory: with validation_split and shuffle, "
            "pass a seed so that the training and validation subsets do not "
            "overlap"
        )


def _loader(image_size, color_mode, interpolation, crop, pad, channels_first):
    """A function from a path to a float32 image array of ``image_size``, loaded as Keras 3
    loads it: ``tf.io.decode_image`` (TensorFlow's pixels, the first frame of a GIF), then
    ``tf.image.resize`` in float (``smart_resize`` / ``resize_with_pad`` for the aspect-ratio
    options), so the values equal TF's, fractions included."""
    from ..io.codecs import decode_image
    from ..keras.preprocessing.image import smart_resize
    from ..ops.image_resize import resize, resize_with_pad

    _pillow()  # the decoder's dependency, named for this function when missing
    height, width = int(image_size[0]), int(image_size[1])
    channels = _CHANNELS[color_mode][0]
    method = interpolation.lower()  # checked by the caller

    def load(path: str) -> np.ndarray:
        with open(path, "rb") as file:
            image = decode_image(file.read(), channels=channels, expand_animations=False)
        if crop:  # the largest centred crop of the target aspect ratio
            image = smart_resize(image, (height, width), interpolation=method)
        elif pad:  # the smallest centred black canvas of the target aspect ratio
            image = resize_with_pad(image, height, width, method=method)
        else:
            image = resize(image, (height, width), method=method)
        array = np.asarray(image.numpy(), dtype=np.float32).reshape(height, width, channels)
        return np.moveaxis(array, -1, 0) if channels_first else array

    return load


def _dataset(paths, labels, label_mode, num_classes, load, shuffle, buffer, seed, batch_size):
    def element(index):
        i = int(index)
        image = load(paths[i])
        if label_mode is None:
            return image
        if label_mode == "binary":
            return image, np.asarray([labels[i]], dtype=np.float32)
        if label_mode == "categorical":
            return image, np.eye(num_classes, dtype=np.float32)[labels[i]]
        return image, np.asarray(labels[i], dtype=np.int32)

    dataset = Dataset.from_tensor_slices(np.arange(len(paths), dtype=np.int64))
    if shuffle:
        dataset = dataset.shuffle(buffer, seed=seed)
    dataset = dataset.map(element, num_parallel_calls=AUTOTUNE)
    if batch_size is not None:
        dataset = dataset.batch(batch_size)
    return dataset.prefetch(AUTOTUNE)


def image_dataset_from_directory(
    directory,
    labels="inferred",
    label_mode="int",
    class_names=None,
    color_mode="rgb",
    batch_size=32,
    image_size=(256, 256),
    shuffle=True,
    seed=None,
    validation_split=None,
    subset=None,
    interpolation="bilinear",
    follow_links=False,
    crop_to_aspect_ratio=False,
    pad_to_aspect_ratio=False,
    data_format=None,
    verbose=True,
):
    """A dataset of ``(images, labels)`` batches from ``directory/<class>/<image files>``.

    Args:
        directory: the folder; with ``labels="inferred"`` one subfolder per class.
        labels: "inferred" (from the subfolders), None (images only), or a list of integer
            labels in the sorted order of the file paths.
        label_mode: "int" (int32), "categorical" (one-hot float32), "binary" (float32 of
            shape (1,)) or None.
        class_names: the subfolders to use, in label order (default: all, sorted).
        color_mode: "rgb", "rgba" or "grayscale".
        batch_size: images per batch; None for single images.
        image_size: ``(height, width)`` images are resized to.
        shuffle: shuffle the files (default True); False keeps alphanumeric order.
        seed: seed for the shuffle and the validation split.
        validation_split: fraction of the files for validation.
        subset: "training", "validation" or "both" (then a tuple of two datasets).
        interpolation: "bilinear", "nearest", "bicubic", "area", "lanczos3" or "lanczos5".
        follow_links: follow symbolic links to subfolders.
        crop_to_aspect_ratio: centre-crop to the target aspect ratio before resizing.
        pad_to_aspect_ratio: pad (with black) to the target aspect ratio before resizing.
        data_format: "channels_last" (default) or "channels_first".
        verbose: print how many files and classes were found.

    Returns:
        A Dataset with ``class_names`` and ``file_paths`` attributes (two for "both").
    """
    if pad_to_aspect_ratio and crop_to_aspect_ratio:
        raise ValueError(
            "image_dataset_from_directory: only one of crop_to_aspect_ratio and "
            "pad_to_aspect_ratio can be True"
        )
    if data_format not in (None, "channels_last", "channels_first"):
        raise ValueError(
            f'image_dataset_from_directory: data_format must be "channels_last" or '
            f'"channels_first", received {data_format!r}'
        )
    if isinstance(image_size, int):
        image_size = (image_size, image_size)
    _check_args(
        labels,
        label_mode,
        class_names,
        color_mode,
        image_size,
        interpolation,
        validation_split,
        subset,
        shuffle,
        seed,
    )
    if labels is None or label_mode is None:
        labels, label_mode = None, None
    load = _loader(
        image_size,
        color_mode,
        interpolation,
        crop_to_aspect_ratio,
        pad_to_aspect_ratio,
        data_format == "channels_first",
    )
    paths, found, names, seed = _ordered_files(
        directory, labels, label_mode, class_names, follow_links, shuffle, seed, verbose
    )
    buffer = 8 * batch_size if batch_size is not None else 1024
    subsets = ["training", "validation"] if subset == "both" else [subset]
    datasets = []
    for part in subsets:
        part_paths, part_labels = _split(paths, found, validation_split, part, verbose)
        if not part_paths:
            raise ValueError(
                f"image_dataset_from_directory: no images found in {directory} "
                f"for subset {part!r}; allowed formats: {ALLOWLIST_FORMATS}"
            )
        dataset = _dataset(
            part_paths,
            part_labels,
            label_mode,
            len(names or ()),
            load,
            shuffle and part != "validation",
            buffer,
            seed,
            batch_size,
        )
        dataset.class_names = names
        dataset.file_paths = part_paths
        datasets.append(dataset)
    return tuple(datasets) if subset == "both" else datasets[0]


def _split(paths, labels, validation_split, subset, verbose):
    if not validation_split:
        return paths, labels
    count = int(validation_split * len(paths))
    if subset == "training":
        if verbose:
            print(f"Using {len(paths) - count} files for training.")
        return paths[: len(paths) - count], None if labels is None else labels[: len(paths) - count]
    if verbose:
        print(f"Using {count} files for validation.")
    return paths[len(paths) - count :], None if labels is None else labels[len(paths) - count :]
