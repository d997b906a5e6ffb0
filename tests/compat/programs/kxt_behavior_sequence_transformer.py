# keras.io "A Transformer-based recommendation system" (Behavior Sequence Transformer),
# small and synthetic: a "|"-separated CSV of user ids, comma-joined movie-id sequences and
# rating sequences read with tf.data.experimental.make_csv_dataset, split in a map with
# tf.strings.split(...).to_tensor() and tf.strings.to_number (the last movie of a sequence is
# the target, a rank-1 column fed to an Input of shape (1,)), StringLookup(mask_token=None,
# num_oov_indices=0) + Embedding per string feature, position embeddings, the sequence
# embeddings multiplied by the ratings, a MultiHeadAttention block over the history and the
# target movie, user features concatenated, an MLP with BatchNormalization / LeakyReLU, and
# a rating regressor with MeanAbsoluteError, compared with the mean-rating baseline.
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers, ops

keras.utils.set_random_seed(71)
rng = np.random.default_rng(71)
num_movies, num_users, num_genres, sequence_length = 16, 24, 4, 5
movie_vocabulary = [f"movie_{i}" for i in range(num_movies)]
user_vocabulary = [f"user_{i}" for i in range(num_users)]
favourite = rng.integers(0, num_genres, num_users)


def rating(user, movie):
    # each genre has its own rating, and the user's favourite genre gets half a star more
    return 1.0 + movie % num_genres + (0.5 if movie % num_genres == favourite[user] else 0.0)


def write_csv(path, n):
    with open(path, "w") as f:
        for _ in range(n):
            user = int(rng.integers(0, num_users))
            movies = rng.choice(num_movies, sequence_length, replace=False)
            ratings = [rating(user, m) for m in movies]
            f.write(
                f"user_{user}|"
                + ",".join(f"movie_{m}" for m in movies)
                + "|"
                + ",".join(str(r) for r in ratings)
                + "\n"
            )


write_csv("train_data.csv", 800)
write_csv("test_data.csv", 200)
CSV_HEADER = ["user_id", "sequence_movie_ids", "sequence_ratings"]


def get_dataset_from_csv(csv_file_path, shuffle=False, batch_size=64):
    def process(features):
        movie_ids_string = features["sequence_movie_ids"]
        sequence_movie_ids = tf.strings.split(movie_ids_string, ",").to_tensor()
        features["target_movie_id"] = sequence_movie_ids[:, -1]
        features["sequence_movie_ids"] = sequence_movie_ids[:, :-1]
        ratings_string = features["sequence_ratings"]
        sequence_ratings = tf.strings.to_number(
            tf.strings.split(ratings_string, ","), tf.dtypes.float32
        ).to_tensor()
        target = sequence_ratings[:, -1]
        features["sequence_ratings"] = sequence_ratings[:, :-1]
        # a plain dict: Keras 3 flattens an OrderedDict in insertion order, a dict by key
        return dict(features), target

    return tf.data.experimental.make_csv_dataset(
        csv_file_path,
        batch_size=batch_size,
        column_names=CSV_HEADER,
        num_epochs=1,
        header=False,
        field_delim="|",
        shuffle=shuffle,
        shuffle_seed=3,
    ).map(process)


features, target = next(iter(get_dataset_from_csv("test_data.csv")))
assert features["sequence_movie_ids"].shape == (64, sequence_length - 1)
assert features["sequence_ratings"].dtype == tf.float32 and target.shape == (64,)
assert features["target_movie_id"].shape == (64,) and features["user_id"].dtype == tf.string
with open("test_data.csv") as f:
    first = f.readline().strip().split("|")
assert features["user_id"].numpy()[0].decode() == first[0]
assert features["target_movie_id"].numpy()[0].decode() == first[1].split(",")[-1]
assert float(target[0]) == float(first[2].split(",")[-1])

embed_dim = 8
inputs = {
    "user_id": keras.Input(name="user_id", shape=(1,), dtype="string"),
    "sequence_movie_ids": keras.Input(
        name="sequence_movie_ids", shape=(sequence_length - 1,), dtype="string"
    ),
    "target_movie_id": keras.Input(name="target_movie_id", shape=(1,), dtype="string"),
    "sequence_ratings": keras.Input(
        name="sequence_ratings", shape=(sequence_length - 1,), dtype="float32"
    ),
}

user_index = layers.StringLookup(vocabulary=user_vocabulary, mask_token=None, num_oov_indices=0)
user_embedding = layers.Embedding(num_users, embed_dim, name="user_id_embedding")
encoded_user = layers.Flatten()(user_embedding(user_index(inputs["user_id"])))

movie_index_lookup = layers.StringLookup(
    vocabulary=movie_vocabulary, mask_token=None, num_oov_indices=0, name="movie_index_lookup"
)
assert movie_index_lookup.vocabulary_size() == num_movies
movie_embedding_encoder = layers.Embedding(num_movies, embed_dim, name="movie_embedding")
position_embedding_encoder = layers.Embedding(sequence_length, embed_dim, name="position")

encoded_target_movie = movie_embedding_encoder(movie_index_lookup(inputs["target_movie_id"]))
assert tuple(encoded_target_movie.shape) == (None, 1, embed_dim)
encoded_sequence_movies = movie_embedding_encoder(movie_index_lookup(inputs["sequence_movie_ids"]))
positions = ops.arange(0, sequence_length - 1, 1)
encoded_positions = position_embedding_encoder(positions)
sequence_ratings = ops.expand_dims(inputs["sequence_ratings"], -1)
encoded_sequence_movies_with_position_and_rating = layers.Multiply()(
    [(encoded_sequence_movies + encoded_positions), sequence_ratings]
)
encoded_transformer_features = layers.concatenate(
    [encoded_sequence_movies_with_position_and_rating, encoded_target_movie], axis=1
)
assert tuple(encoded_transformer_features.shape) == (None, sequence_length, embed_dim)

attention_output = layers.MultiHeadAttention(num_heads=2, key_dim=embed_dim, dropout=0.1)(
    encoded_transformer_features, encoded_transformer_features
)
attention_output = layers.Dropout(0.1)(attention_output)
x1 = layers.Add()([encoded_transformer_features, attention_output])
x1 = layers.LayerNormalization()(x1)
x2 = layers.LeakyReLU()(x1)
x2 = layers.Dense(units=x2.shape[-1])(x2)
x2 = layers.Dropout(0.1)(x2)
transformer_features = layers.Add()([x1, x2])
transformer_features = layers.LayerNormalization()(transformer_features)
features = layers.Flatten()(transformer_features)
features = layers.concatenate([features, encoded_user])
for num_units in [32, 16]:
    features = layers.Dense(num_units)(features)
    features = layers.BatchNormalization()(features)
    features = layers.LeakyReLU()(features)
    features = layers.Dropout(0.1)(features)
outputs = layers.Dense(units=1)(features)
model = keras.Model(inputs=inputs, outputs=outputs)

model.compile(
    optimizer=keras.optimizers.Adam(learning_rate=0.01),
    loss=keras.losses.MeanSquaredError(),
    metrics=[keras.metrics.MeanAbsoluteError()],
)
train_dataset = get_dataset_from_csv("train_data.csv", shuffle=True, batch_size=64)
history = model.fit(train_dataset, epochs=8, verbose=0)
test_dataset = get_dataset_from_csv("test_data.csv", batch_size=64)
_, rmse_free_mae = model.evaluate(test_dataset, verbose=0)
targets = np.concatenate([t.numpy() for _, t in test_dataset])
baseline = np.mean(np.abs(targets - targets.mean()))
assert rmse_free_mae < 0.5 * baseline, (rmse_free_mae, baseline, history.history["loss"])

predictions = model.predict(test_dataset, verbose=0)
assert predictions.shape == (200, 1)
assert abs(np.mean(np.abs(predictions[:, 0] - targets)) - rmse_free_mae) < 1e-4
print("behavior sequence transformer ok", rmse_free_mae, baseline)
