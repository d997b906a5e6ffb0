"""keras.utils.audio_dataset_from_directory: shapes, labels, padding, ragged, errors."""

import os
import wave

import numpy as np
import pytest

import gpuflow as tf


@pytest.fixture
def folder(tmp_path):
    rng = np.random.default_rng(0)
    for label, count in (("no", 3), ("yes", 2)):
        os.makedirs(tmp_path / label)
        for i in range(count):
            samples = (rng.standard_normal(700 + 100 * i) * 3000).astype(np.int16)
            with wave.open(str(tmp_path / label / f"{i}.wav"), "wb") as f:
                f.setnchannels(1)
                f.setsampwidth(2)
                f.setframerate(16000)
                f.writeframes(samples.tobytes())
    return str(tmp_path)


def test_batches_are_padded_to_the_longest_sound_or_cut(folder):
    ds = tf.keras.utils.audio_dataset_from_directory(
        folder, batch_size=5, shuffle=False, verbose=False
    )
    audio, labels = next(iter(ds))
    assert tuple(audio.shape) == (5, 900, 1) and labels.numpy().tolist() == [0, 0, 0, 1, 1]
    assert float(tf.reduce_sum(tf.abs(audio[0, 700:]))) == 0.0  # zero padding
    cut = tf.keras.utils.audio_dataset_from_directory(
        folder,
        batch_size=2,
        shuffle=False,
        output_sequence_length=750,
        label_mode="categorical",
        verbose=False,
    )
    audio, labels = next(iter(cut))
    assert tuple(audio.shape) == (2, 750, 1) and labels.numpy().tolist() == [[1, 0], [1, 0]]


def test_ragged_and_unlabelled(folder):
    ragged = tf.keras.utils.audio_dataset_from_directory(
        folder, batch_size=5, shuffle=False, ragged=True, labels=None, verbose=False
    )
    audio = next(iter(ragged))
    assert isinstance(audio, tf.RaggedTensor)
    assert audio.row_lengths().numpy().tolist() == [700, 800, 900, 700, 800]


def test_bad_arguments_name_the_function(folder):
    with pytest.raises(ValueError, match="audio_dataset_from_directory: cannot set both"):
        tf.keras.utils.audio_dataset_from_directory(folder, ragged=True, output_sequence_length=10)
    with pytest.raises(ValueError, match="audio_dataset_from_directory: sampling_rate=8000"):
        tf.keras.utils.audio_dataset_from_directory(folder, sampling_rate=8000)
    with pytest.raises(ValueError, match="audio_dataset_from_directory: label_mode"):
        tf.keras.utils.audio_dataset_from_directory(folder, label_mode="sparse")
