# keras.io "Review Classification using Active Learning", small and synthetic: a balanced
# initial training split taken with Dataset.take / skip, a pool of unlabeled reviews,
# TextVectorization applied in a Dataset.map, a model trained with a ModelCheckpoint
# (.keras, save_best_only) and EarlyStopping, then rounds of uncertainty sampling: the
# best checkpoint reloaded with keras.models.load_model, pool predictions, the least
# certain reviews "labelled" and appended with Dataset.concatenate, a retrain each round.
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

keras.utils.set_random_seed(61)
rng = np.random.default_rng(61)
good = ["great", "loved", "superb", "fun", "moving"]
bad = ["boring", "awful", "dull", "waste", "poor"]
neutral = ["film", "plot", "actor", "scene", "the", "a", "was", "story", "ending", "music"]


def make_reviews(n, clarity):
    texts, labels = [], []
    for _ in range(n):
        label = int(rng.integers(0, 2))
        words = list(rng.choice(neutral, 8))
        strong = int(rng.random() < clarity)  # vague reviews hold one cue word only
        words += list(rng.choice(good if label else bad, 1 + 2 * strong))
        rng.shuffle(words)
        texts.append(" ".join(words))
        labels.append(label)
    return np.array(texts), np.array(labels, dtype="float32")


train_texts, train_y = make_reviews(60, clarity=1.0)
pool_texts, pool_y = make_reviews(400, clarity=0.5)
test_texts, test_y = make_reviews(200, clarity=0.75)

vectorizer = layers.TextVectorization(max_tokens=30, output_sequence_length=12)
vectorizer.adapt(np.concatenate([train_texts, pool_texts]))


def vectorize(text, label):
    return vectorizer(text), label


full = tf.data.Dataset.from_tensor_slices((train_texts, train_y))
val_dataset = full.take(20).batch(16).map(vectorize)
train_dataset = full.skip(20)
assert int(train_dataset.cardinality()) == 40 and int(val_dataset.cardinality()) == 2
test_dataset = tf.data.Dataset.from_tensor_slices((test_texts, test_y)).batch(64).map(vectorize)


def create_model():
    model = keras.Sequential(
        [
            layers.Input(shape=(12,)),
            layers.Embedding(input_dim=30, output_dim=16),
            layers.GlobalAveragePooling1D(),
            layers.Dense(16, activation="relu"),
            layers.Dense(1, activation="sigmoid"),
        ]
    )
    model.compile(
        loss="binary_crossentropy",
        optimizer=keras.optimizers.Adam(0.02),
        metrics=["accuracy", keras.metrics.FalseNegatives(), keras.metrics.FalsePositives()],
    )
    return model


def train(model, dataset, epochs):
    checkpoint = keras.callbacks.ModelCheckpoint("AL_Model.keras", save_best_only=True, verbose=0)
    early_stopping = keras.callbacks.EarlyStopping(patience=6, verbose=0)
    history = model.fit(
        dataset.shuffle(500, seed=0).batch(16).map(vectorize),
        epochs=epochs,
        validation_data=val_dataset,
        callbacks=[checkpoint, early_stopping],
        verbose=0,
    )
    best = keras.models.load_model("AL_Model.keras")
    best_loss = best.evaluate(val_dataset, verbose=0)[0]
    assert abs(min(history.history["val_loss"]) - best_loss) < 1e-5, (history.history, best_loss)
    return best


model = train(create_model(), train_dataset, epochs=25)
initial = model.evaluate(test_dataset, verbose=0, return_dict=True)

labelled = 40
pool = np.arange(len(pool_texts))
for round_index in range(3):
    probs = model.predict(vectorizer(pool_texts[pool]), verbose=0)[:, 0]
    uncertainty = -np.abs(probs - 0.5)
    chosen = pool[np.argsort(uncertainty)[-40:]]
    pool = np.setdiff1d(pool, chosen)
    new = tf.data.Dataset.from_tensor_slices((pool_texts[chosen], pool_y[chosen]))
    train_dataset = train_dataset.concatenate(new)
    labelled += len(chosen)
    assert int(train_dataset.cardinality()) == labelled
    model = train(model, train_dataset, epochs=10)

assert len(pool) == 400 - 3 * 40 and labelled == 160
final = model.evaluate(test_dataset, verbose=0, return_dict=True)
assert set(final) == {"loss", "accuracy", "false_negatives", "false_positives"}, final
assert final["accuracy"] > 0.9 and final["accuracy"] >= initial["accuracy"] - 0.03, (initial, final)
assert final["false_negatives"] + final["false_positives"] == round(200 * (1 - final["accuracy"]))
print("active learning ok", final)
