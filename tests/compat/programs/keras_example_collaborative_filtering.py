# keras.io "Collaborative Filtering for Movie Recommendations": a subclassed keras.Model
# with user / movie Embedding layers (he_normal, l2 regularizer) and per-entity bias
# embeddings, scored by tf.tensordot of the two embeddings plus biases, sigmoid; trained
# on (user, movie) index pairs with ratings scaled to [0, 1], then top-k recommendations.
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

keras.utils.set_random_seed(5)
rng = np.random.default_rng(5)
num_users, num_movies, dim = 40, 30, 3
user_f = rng.normal(size=(num_users, dim))
movie_f = rng.normal(size=(num_movies, dim))
pairs = np.array([(u, m) for u in range(num_users) for m in range(num_movies)])
pairs = pairs[rng.permutation(len(pairs))[:900]]
raw = (user_f[pairs[:, 0]] * movie_f[pairs[:, 1]]).sum(1)
rating = np.clip(np.round(3 + raw), 0.5, 5.0)
min_rating, max_rating = rating.min(), rating.max()
y = ((rating - min_rating) / (max_rating - min_rating)).astype("float32")
x = pairs.astype("int64")
train_indices = int(0.9 * len(x))
x_train, x_val, y_train, y_val = (
    x[:train_indices],
    x[train_indices:],
    y[:train_indices],
    y[train_indices:],
)

EMBEDDING_SIZE = 8


class RecommenderNet(keras.Model):
    def __init__(self, num_users, num_movies, embedding_size, **kwargs):
        super().__init__(**kwargs)
        self.num_users = num_users
        self.num_movies = num_movies
        self.embedding_size = embedding_size
        self.user_embedding = layers.Embedding(
            num_users,
            embedding_size,
            embeddings_initializer="he_normal",
            embeddings_regularizer=keras.regularizers.l2(1e-6),
        )
        self.user_bias = layers.Embedding(num_users, 1)
        self.movie_embedding = layers.Embedding(
            num_movies,
            embedding_size,
            embeddings_initializer="he_normal",
            embeddings_regularizer=keras.regularizers.l2(1e-6),
        )
        self.movie_bias = layers.Embedding(num_movies, 1)

    def call(self, inputs):
        user_vector = self.user_embedding(inputs[:, 0])
        user_bias = self.user_bias(inputs[:, 0])
        movie_vector = self.movie_embedding(inputs[:, 1])
        movie_bias = self.movie_bias(inputs[:, 1])
        dot_user_movie = tf.tensordot(user_vector, movie_vector, 2)
        # Add all the components (including bias)
        x = dot_user_movie + user_bias + movie_bias
        # The sigmoid activation forces the rating to between 0 and 1
        return tf.nn.sigmoid(x)


model = RecommenderNet(num_users, num_movies, EMBEDDING_SIZE)
model.compile(
    loss=keras.losses.BinaryCrossentropy(), optimizer=keras.optimizers.Adam(learning_rate=0.01)
)
out = model(x_train[:5])
assert out.shape == (5, 1), out.shape
# tensordot over both axes of two (batch, dim) matrices is one scalar for the batch
u = model.user_embedding(x_train[:5, 0])
m = model.movie_embedding(x_train[:5, 1])
np.testing.assert_allclose(
    float(tf.tensordot(u, m, 2)), float(np.sum(u.numpy() * m.numpy())), rtol=1e-5
)
# regularization losses: one per regularized embedding
assert len(model.losses) == 2, model.losses
assert all(float(loss) > 0 for loss in model.losses)
assert len(model.trainable_weights) == 4
shapes = sorted(tuple(w.shape) for w in model.trainable_weights)
assert shapes == [(30, 1), (30, 8), (40, 1), (40, 8)], shapes

history = model.fit(
    x=x_train, y=y_train, batch_size=64, epochs=8, verbose=0, validation_data=(x_val, y_val)
)
assert history.history["loss"][-1] < history.history["loss"][0], history.history

# the per-example variant (row-wise dot product) learns the ratings themselves


class DotRecommender(RecommenderNet):
    def call(self, inputs):
        user_vector = self.user_embedding(inputs[:, 0])
        movie_vector = self.movie_embedding(inputs[:, 1])
        dot = tf.reduce_sum(user_vector * movie_vector, axis=1, keepdims=True)
        return tf.nn.sigmoid(dot + self.user_bias(inputs[:, 0]) + self.movie_bias(inputs[:, 1]))


dot_model = DotRecommender(num_users, num_movies, EMBEDDING_SIZE)
dot_model.compile(loss="mse", optimizer=keras.optimizers.Adam(learning_rate=0.02))
base = float(np.mean((y_val - y_train.mean()) ** 2))
dot_model.fit(x_train, y_train, batch_size=64, epochs=40, verbose=0)
val_mse = dot_model.evaluate(x_val, y_val, verbose=0)
assert val_mse < 0.6 * base, (val_mse, base)

user_id = 7
movies_watched = x[x[:, 0] == user_id][:, 1]
movies_not_watched = np.array([m for m in range(num_movies) if m not in set(movies_watched)])
user_movie_array = np.hstack(
    ([[user_id]] * len(movies_not_watched), movies_not_watched[:, None])
).astype("int64")
ratings = dot_model.predict(user_movie_array, verbose=0).flatten()
top_ratings_indices = ratings.argsort()[-5:][::-1]
recommended = movies_not_watched[top_ratings_indices]
assert len(set(recommended)) == 5
true_scores = (user_f[user_id] * movie_f[movies_not_watched]).sum(1)
# the recommended movies score above the median of the unseen ones for this user
assert np.mean(true_scores[top_ratings_indices]) > np.median(true_scores), recommended
print("val mse", val_mse, "baseline", base, "recommended", recommended)
