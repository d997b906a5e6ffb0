# tf.data guide, "Resampling": balance an imbalanced labelled dataset with
# Dataset.rejection_resample (class, element pairs) and with sample_from_datasets.
import numpy as np
import tensorflow as tf

rng = np.random.default_rng(0)
features = rng.standard_normal((4000, 3)).astype(np.float32)
labels = (rng.random(4000) < 0.1).astype(np.int64)  # about 10% positives
ds = tf.data.Dataset.from_tensor_slices((features, labels))


def class_func(features, label):
    return label


resampled = ds.rejection_resample(class_func, target_dist=[0.5, 0.5], initial_dist=[0.9, 0.1])
balanced = resampled.map(lambda extra_label, features_and_label: features_and_label)
seen = np.concatenate([y.numpy() for _, y in balanced.batch(64).take(6)])
assert abs(seen.mean() - 0.5) < 0.12, seen.mean()

# without initial_dist the distribution is estimated from the data
estimated = ds.rejection_resample(class_func, target_dist=[0.5, 0.5], seed=7)
classes = np.array([int(c) for c, _ in estimated.take(300)])
assert abs(classes.mean() - 0.5) < 0.12, classes.mean()

# the same balancing with two filtered datasets and sample_from_datasets
positives = ds.filter(lambda x, y: y == 1).repeat()
negatives = ds.filter(lambda x, y: y == 0).repeat()
mixed = tf.data.Dataset.sample_from_datasets([negatives, positives], weights=[0.5, 0.5], seed=1)
mixed_labels = np.concatenate([y.numpy() for _, y in mixed.batch(100).take(4)])
assert abs(mixed_labels.mean() - 0.5) < 0.1, mixed_labels.mean()
print("rejection resampling ok")
