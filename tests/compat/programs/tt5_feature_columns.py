"""Feature-column descriptions for a pet adoption table: indicator, embedding and crossed
columns over categorical ones, their names, sizes and the parsing spec they need."""

import numpy as np
import tensorflow as tf

fc = tf.feature_column

age = fc.numeric_column("Age")
age_ranges = fc.bucketized_column(age, boundaries=[1, 3, 5])
animal = fc.categorical_column_with_vocabulary_list("Type", ["Cat", "Dog"])
breed = fc.categorical_column_with_hash_bucket("Breed1", hash_bucket_size=50)

animal_one_hot = fc.indicator_column(animal)
assert animal_one_hot.name == "Type_indicator"
assert animal_one_hot.categorical_column is animal
assert tuple(animal_one_hot.variable_shape) == (1, 2)

breed_vectors = fc.embedding_column(breed, dimension=4)
assert breed_vectors.name == "Breed1_embedding"
assert tuple(breed_vectors.variable_shape) == (4,)
assert breed_vectors.combiner == "mean" and breed_vectors.trainable
assert breed_vectors.max_norm is None and breed_vectors.ckpt_to_load_from is None
assert callable(breed_vectors.initializer)
weights = np.asarray(breed_vectors.initializer([2000, 4]))
assert weights.shape == (2000, 4)
# a truncated normal of stddev 1/sqrt(4): nothing beyond two standard deviations
assert np.abs(weights).max() <= 2 * 0.5 + 1e-6

age_by_animal = fc.crossed_column([age_ranges, animal], hash_bucket_size=20)
assert age_by_animal.name == "Age_bucketized_X_Type"
assert age_by_animal.num_buckets == 20 and age_by_animal.hash_key is None
assert age_by_animal.keys == (age_ranges, animal)
crossed_one_hot = fc.indicator_column(age_by_animal)
assert crossed_one_hot.name == "Age_bucketized_X_Type_indicator"
assert tuple(crossed_one_hot.variable_shape) == (1, 20)
by_name = fc.crossed_column(["Type", "Color1"], 8)
assert by_name.name == "Color1_X_Type" and by_name.keys == ("Type", "Color1")

spec = fc.make_parse_example_spec([animal_one_hot, breed_vectors, crossed_one_hot, by_name])
assert list(spec) == ["Type", "Breed1", "Age", "Color1"], list(spec)
assert spec["Age"] == tf.io.FixedLenFeature((1,), tf.float32)
assert spec["Color1"] == tf.io.VarLenFeature(tf.string)

for bad in (
    lambda: fc.indicator_column(age),
    lambda: fc.indicator_column(animal_one_hot),
    lambda: fc.embedding_column(breed, dimension=0),
    lambda: fc.embedding_column(breed, dimension=2, initializer="zeros"),
    lambda: fc.embedding_column(breed, 2, ckpt_to_load_from="ckpt"),
    lambda: fc.crossed_column(["Type"], 4),
    lambda: fc.crossed_column([breed, "Type"], 4),
    lambda: fc.crossed_column([age, "Type"], 4),
):
    try:
        bad()
        raise AssertionError("accepted")
    except ValueError:
        pass

print("tt5_feature_columns OK")
