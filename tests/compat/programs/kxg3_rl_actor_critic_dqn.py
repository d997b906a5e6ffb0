# keras.io "Actor Critic Method" and "Deep Q Network Method", on a tiny NumPy environment in
# place of gym's CartPole: a two-headed functional model called step by step under one
# GradientTape (log-probabilities, Huber critic loss on Python lists of tensors), and a Q
# network refitted on replayed float64 states with float32 targets.
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers


class LineWorld:
    """Push a point left or right; the episode ends when it leaves [-0.5, 0.5] or times out."""

    def __init__(self, seed):
        self.rng = np.random.default_rng(seed)

    def reset(self):
        self.state = self.rng.uniform(-0.05, 0.05, 4)
        self.t = 0
        return self.state

    def step(self, action):
        push = 0.1 if action == 1 else -0.1
        self.state = self.state + push * np.array([1.0, 0.5, -1.0, 0.2])
        self.t += 1
        done = bool(abs(self.state[0]) > 0.5 or self.t >= 12)
        return self.state, 1.0, done, {}


np.random.seed(1)
tf.random.set_seed(1)
env = LineWorld(0)
gamma = 0.99
eps = np.finfo(np.float32).eps.item()

# --- actor-critic
inputs = layers.Input(shape=(4,))
common = layers.Dense(16, activation="relu")(inputs)
actor = layers.Dense(2, activation="softmax")(common)
critic = layers.Dense(1)(common)
model = keras.Model(inputs=inputs, outputs=[actor, critic])
optimizer = keras.optimizers.Adam(learning_rate=0.01)
huber = keras.losses.Huber()
for episode in range(2):
    state = env.reset()
    log_probs, values, rewards = [], [], []
    with tf.GradientTape() as tape:
        while True:
            state = tf.expand_dims(tf.convert_to_tensor(state), 0)
            assert state.dtype == tf.float64
            probs, value = model(state)
            assert probs.dtype == tf.float32 and probs.shape == (1, 2)
            values.append(value[0, 0])
            action = np.random.choice(2, p=np.squeeze(probs))
            log_probs.append(tf.math.log(probs[0, action]))
            state, reward, done, _ = env.step(action)
            rewards.append(reward)
            if done:
                break
        returns, running = [], 0.0
        for r in rewards[::-1]:
            running = r + gamma * running
            returns.insert(0, running)
        returns = np.array(returns)
        returns = ((returns - returns.mean()) / (returns.std() + eps)).tolist()
        actor_losses, critic_losses = [], []
        for log_prob, value, ret in zip(log_probs, values, returns):
            actor_losses.append(-log_prob * (ret - value))
            critic_losses.append(huber(tf.expand_dims(value, 0), tf.expand_dims(ret, 0)))
        loss = sum(actor_losses) + sum(critic_losses)
    assert loss.dtype == tf.float32 and loss.shape == ()
    grads = tape.gradient(loss, model.trainable_variables)
    assert all(g is not None for g in grads) and len(grads) == 6
    assert all(np.isfinite(g.numpy()).all() for g in grads)
    before = model.trainable_variables[0].numpy().copy()
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    assert not np.allclose(before, model.trainable_variables[0].numpy())
assert int(optimizer.iterations) == 2

# --- deep Q network with a replay buffer
q_in = layers.Input(shape=(4,))
q_hidden = layers.Dense(12, activation="relu")(layers.Dense(12, activation="relu")(q_in))
q_model = keras.Model(q_in, layers.Dense(2, activation="linear")(q_hidden))
q_model.compile(loss=keras.losses.MeanSquaredError(), optimizer=keras.optimizers.Adam(0.01))
states, next_states, actions, rewards, dones = [], [], [], [], []
epsilon, fits = 1.0, 0
for episode in range(2):
    state = env.reset()
    while True:
        q_values = q_model(tf.expand_dims(tf.convert_to_tensor(state), 0))
        action = np.argmax(q_values[0])
        assert isinstance(action, np.integer)
        if epsilon > np.random.rand():
            action = np.random.choice(2)
        epsilon = max(0.05, epsilon * 0.9)
        next_state, reward, done, _ = env.step(action)
        states.append(state)
        next_states.append(next_state)
        actions.append(action)
        rewards.append(reward if not done else -1.0)
        dones.append(done)
        state = next_state
        if done:
            break
    picks = np.random.choice(len(states), size=8)
    batch_states = np.take(states, picks, axis=0)
    targets = []
    for s, s2, a, r, d in zip(
        batch_states,
        np.take(next_states, picks, axis=0),
        np.take(actions, picks),
        np.take(rewards, picks),
        np.take(dones, picks),
    ):
        update = r if d else r + gamma * np.amax(q_model(tf.expand_dims(s2, 0))[0])
        row = np.array(q_model(tf.expand_dims(s, 0)))[0]
        assert row.dtype == np.float32
        row[a] = update
        targets.append(row)
    x_batch, y_batch = tf.convert_to_tensor(batch_states), tf.convert_to_tensor(targets)
    assert x_batch.dtype == tf.float64 and y_batch.dtype == tf.float32
    history = q_model.fit(x_batch, y_batch, verbose=0)
    assert np.isfinite(history.history["loss"][0])
    fits += 1
assert fits == 2 and int(q_model.optimizer.iterations) == 2
print("ok")
