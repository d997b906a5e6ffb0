"""``keras.utils.audio_dataset_from_directory``: labelled sounds from class folders of
``.wav`` files, as ``(audio, labels)`` batches (audio ``[batch, samples, channels]``
float32 in [-1, 1], decoded by ``tf.audio.decode_wav``)."""

from __future__ import annotations

import numpy as np

from ..audio import decode_wav
from .text_dataset import _check_args, files_to_datasets

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

    def batch(dataset, size):  # without a fixed length: each batch padded to its longest
        if output_sequence_length is None and not ragged:
            return dataset.padded_batch(size)
        return dataset.batch(size)

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
        formats=(".wav",),
        kind="audio",
        op=_OP,
        load=_loader(output_sequence_length, ragged),
        batch=batch,
    )
