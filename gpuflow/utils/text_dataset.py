"""``keras.utils.text_dataset_from_directory``: labelled texts from class folders of
``.txt`` files, as ``(strings, labels)`` batches."""

from __future__ import annotations

import numpy as np

from ..data import AUTOTUNE, Dataset
from .image_dataset import _ordered_files, _split

_OP = "text_dataset_from_directory"


def _check_args(
    labels, label_mode, class_names, validation_split, subset, shuffle, seed, op: str = _OP
):
    if labels not in ("inferred", None) and not isinstance(labels, (list, tuple)):
        raise ValueError(
            f'{op}: labels must be "inferred", None, or a list/tuple of integer labels '
            f"(one per text file), received labels={labels!r}"
        )
    if labels not in ("inferred", None) and class_names:
        raise ValueError(f'{op}: class_names can only be passed with labels="inferred"')
    if label_mode not in ("int", "categorical", "binary", None):
        raise ValueError(
            f'{op}: label_mode must be "int", "categorical", "binary" or None, received '
            f"label_mode={label_mode!r}"
        )
    if validation_split and not 0 < validation_split < 1:
        raise ValueError(
            f"{op}: validation_split must be between 0 and 1, received {validation_split}"
        )
    if bool(validation_split) != bool(subset):
        raise ValueError(f"{op}: if subset is set, validation_split must be set, and inversely")
    if subset not in ("training", "validation", "both", None):
        raise ValueError(
            f'{op}: subset must be "training", "validation" or "both", received {subset!r}'
        )
    if validation_split and shuffle and seed is None:
        raise ValueError(
            f"{op}: with validation_split and shuffle, pass a seed so that the training and "
            "validation subsets do not overlap"
        )


def _read(path: str, max_length) -> np.ndarray:
    with open(path, "rb") as f:
        text = f.read()
    if max_length is not None:
        text = text[:max_length]  # bytes, as tf.strings.substr(text, 0, max_length)
    element = np.empty((), dtype=object)
    element[()] = text
    return element


def labelled_files(paths, labels, label_mode, num_classes, load, shuffle, buffer, seed):
    """A dataset of ``load(path)`` for each file (with its label as ``label_mode`` encodes
    it), in ``paths``'s order or shuffled with ``seed``; what the text and audio dataset
    functions share."""

    def element(index):
        i = int(index)
        value = load(paths[i])
        if label_mode is None:
            return value
        if label_mode == "binary":
            return value, np.asarray([labels[i]], dtype=np.float32)
        if label_mode == "categorical":
            return value, np.eye(num_classes, dtype=np.float32)[labels[i]]
        return value, np.asarray(labels[i], dtype=np.int32)

    dataset = Dataset.from_tensor_slices(np.arange(len(paths), dtype=np.int64))
    if shuffle:
        dataset = dataset.shuffle(buffer, seed=seed)
    return dataset.map(element, num_parallel_calls=AUTOTUNE)


def files_to_datasets(
    directory,
    *,
    labels,
    label_mode,
    class_names,
    batch_size,
    shuffle,
    seed,
    validation_split,
    subset,
    follow_links,
    verbose,
    formats: tuple,
    kind: str,
    op: str,
    load,
    batch=lambda dataset, size: dataset.batch(size),
):
    """The files of ``directory`` (Keras's order, seeded shuffle and validation split) as
    one dataset per subset of ``load(path)`` values with their labels, batched by
    ``batch``; what the text and audio dataset functions share."""
    if labels is None or label_mode is None:
        labels, label_mode = None, None
    paths, found, names, seed = _ordered_files(
        directory,
        labels,
        label_mode,
        class_names,
        follow_links,
        shuffle,
        seed,
        verbose,
        formats,
        op,
    )
    buffer = 8 * batch_size if batch_size is not None else 1024
    datasets = []
    for part in ["training", "validation"] if subset == "both" else [subset]:
        part_paths, part_labels = _split(paths, found, validation_split, part, verbose)
        if not part_paths:
            raise ValueError(
                f"{op}: no {kind} files found in directory {directory} for subset {part!r}; "
                f"allowed format: {', '.join(formats)}"
            )
        dataset = labelled_files(
            part_paths,
            part_labels,
            label_mode,
            len(names or ()),
            load,
            shuffle and part != "validation",
            buffer,
            seed,
        )
        if batch_size is not None:
            dataset = batch(dataset, batch_size)
        dataset = dataset.prefetch(AUTOTUNE)
        dataset.class_names = names
        datasets.append(dataset)
    return datasets if subset == "both" else datasets[0]


def text_dataset_from_directory(
    directory,
    labels="inferred",
    label_mode="int",
    class_names=None,
    batch_size=32,
    max_length=None,
    shuffle=True,
    seed=None,
    validation_split=None,
    subset=None,
    follow_links=False,
    format="tf",  # noqa: A002 - Keras' name
    verbose=True,
):
    """A dataset of ``(texts, labels)`` batches from ``directory/<class>/<name>.txt``.

    Args:
        directory: the folder; with ``labels="inferred"`` one subfolder per class.
        labels: "inferred" (from the subfolders), None (texts only), or a list of integer
            labels in the sorted order of the file paths.
        label_mode: "int" (int32), "categorical" (one-hot float32), "binary" (float32 of
            shape (1,)) or None.
        class_names: the subfolders to use, in label order (default: all, sorted).
        batch_size: texts per batch; None for single texts.
        max_length: keep at most this many bytes of each text.
        shuffle: shuffle the files (default True); False keeps alphanumeric order.
        seed: seed for the shuffle and the validation split.
        validation_split: fraction of the files for validation (the last ones after the
            seeded shuffle, as Keras).
        subset: "training", "validation" or "both" (then a list of two datasets).
        follow_links: follow symbolic links to subfolders.
        format: "tf" (the only one here).
        verbose: print how many files and classes were found.

    Returns:
        A Dataset of string tensors (and labels), with a ``class_names`` attribute.
    """
    if format != "tf":
        raise ValueError(f'{_OP}: only format="tf" is supported, received format={format!r}')
    _check_args(labels, label_mode, class_names, validation_split, subset, shuffle, seed)
    return files_to_datasets(
        directory,
        labels=labels,
        label_mode=label_mode,
        class_names=class_names,
        batch_size=batch_size,
        shuffle=shuffle,
        seed=seed,
        validation_split=validation_split,
        subset=subset,
        follow_links=follow_links,
        verbose=verbose,
        formats=(".txt",),
        kind="text",
        op=_OP,
        load=lambda path: _read(path, max_length),
    )
