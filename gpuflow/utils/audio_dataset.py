"""``keras.utils.audio_dataset_from_directory``: labelled sounds from class folders of
``.wav`` files, as ``(audio, labels)`` batches (audio ``[batch, samples, channels]``
float32 in [-1, 1], decoded by ``tf.audio.decode_wav``)."""

from __future__ import annotations

import numpy as np

from ..audio import decode_wav
from ..data import AUTOTUNE
from .image_dataset import _ordered_files, _split
from .text_dataset import _check_args, labelled_files

_OP = "audio_dataset_from_directory"


def _decoded(path: str, length) -> np.ndarray:
    with open(path, "rb") as f:
        contents = f.read()
    audio, _ = decode_wav(contents, desired_samples=-1 if length is None else int(length))
    return np.asarray(audio.numpy(), dtype=np.float32)


def _loader(length, ragged):
    def load(path):
        audio = _decoded(path, length)
        if ragged:
            from ..ragged import RaggedTensor

            return RaggedTensor.from_tensor(audio)
        return audio

    return load


def audio_dataset_from_directory(
    directory,
    labels="inferred",
    label_mode="int",
    class_names=None,
    batch_size=32,
    sampling_rate=None,
    output_sequence_length=None,
    ragged=False,
    shuffle=True,
    seed=None,
    validation_split=None,
    subset=None,
    follow_links=False,
    verbose=True,
):
    """A dataset of ``(audio, labels)`` batches from ``directory/<class>/<name>.wav``.

    Args:
        directory: the folder; with ``labels="inferred"`` one subfolder per class.
        labels: "inferred" (from the subfolders), None (audio only), or a list of integer
            labels in the sorted order of the file paths.
        label_mode: "int" (int32), "categorical" (one-hot float32), "binary" (float32 of
            shape (1,)) or None.
        class_names: the subfolders to use, in label order (default: all, sorted).
        batch_size: sounds per batch; None for single sounds.
        sampling_rate: resampling (Keras does it with tensorflow-io): not supported, must
            be None.
        output_sequence_length: pad with zeros or truncate every sound to this many
            samples; None pads each batch to its longest sound.
        ragged: give each sound its own length (a RaggedTensor batch).
        shuffle, seed, validation_split, subset, follow_links, verbose: as
            ``text_dataset_from_directory``.

    Returns:
        A Dataset (a list of two for ``subset="both"``) with a ``class_names`` attribute.
    """
    _check_args(labels, label_mode, class_names, validation_split, subset, shuffle, seed, _OP)
    if ragged and output_sequence_length is not None:
        raise ValueError(f"{_OP}: cannot set both `ragged` and `output_sequence_length`")
    if sampling_rate is not None:
        raise ValueError(
            f"{_OP}: sampling_rate={sampling_rate!r} asks for resampling, which Keras does "
            "with tensorflow-io and gpuflow does not; pass sampling_rate=None (the files' "
            "own rate)"
        )
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
        (".wav",),
        _OP,
    )
    buffer = 8 * batch_size if batch_size is not None else 1024
    datasets = []
    for part in ["training", "validation"] if subset == "both" else [subset]:
        part_paths, part_labels = _split(paths, found, validation_split, part, verbose)
        if not part_paths:
            raise ValueError(
                f"{_OP}: no audio files found in directory {directory} for subset {part!r}; "
                "allowed format: .wav"
            )
        dataset = labelled_files(
            part_paths,
            part_labels,
            label_mode,
            len(names or ()),
            _loader(output_sequence_length, ragged),
            shuffle and part != "validation",
            buffer,
            seed,
        )
        if batch_size is not None:
            if output_sequence_length is None and not ragged:
                dataset = dataset.padded_batch(batch_size)
            else:
                dataset = dataset.batch(batch_size)
        dataset = dataset.prefetch(AUTOTUNE)
        dataset.class_names = names
        datasets.append(dataset)
    return datasets if subset == "both" else datasets[0]
