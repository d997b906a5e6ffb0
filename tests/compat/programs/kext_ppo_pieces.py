# keras.io "Proximal Policy Optimization", on a toy contextual bandit written in NumPy: actor
# and critic MLPs built with a small mlp() helper (the critic's output squeezed with
# keras.ops.squeeze on the symbolic tensor), actions from keras.random.categorical with a
# SeedGenerator inside a tf.function, log-probabilities from keras.ops.log_softmax and
# one_hot, discounted cumulative sums, GAE advantages normalised per epoch, and the clipped
# surrogate objective plus an approximate KL stop, each update in a tf.function.
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

keras.utils.set_random_seed(17)
rng = np.random.default_rng(17)

observation_dimensions = 3
num_actions = 2
steps_per_epoch = 256
epochs = 8
gamma = 0.5
clip_ratio = 0.2
train_policy_iterations = 20
train_value_iterations = 20
lam = 0.97
target_kl = 0.05
hidden_sizes = (32, 32)


def discounted_cumulative_sums(x, discount):
    # scipy.signal.lfilter([1], [1, -discount], x[::-1])[::-1] in the example
    out = np.zeros(len(x), dtype="float64")
    running = 0.0
    for i in reversed(range(len(x))):
        running = x[i] + discount * running
        out[i] = running
    return out


np.testing.assert_allclose(discounted_cumulative_sums([1.0, 2.0, 3.0], 0.5), [2.75, 3.5, 3.0])


class Buffer:
    def __init__(self, observation_dimensions, size, gamma=0.99, lam=0.95):
        self.observation_buffer = np.zeros((size, observation_dimensions), dtype=np.float32)
        self.action_buffer = np.zeros(size, dtype=np.int32)
        self.advantage_buffer = np.zeros(size, dtype=np.float32)
        self.reward_buffer = np.zeros(size, dtype=np.float32)
        self.return_buffer = np.zeros(size, dtype=np.float32)
        self.value_buffer = np.zeros(size, dtype=np.float32)
        self.logprobability_buffer = np.zeros(size, dtype=np.float32)
        self.gamma, self.lam = gamma, lam
        self.pointer, self.trajectory_start_index = 0, 0

    def store(self, observation, action, reward, value, logprobability):
        self.observation_buffer[self.pointer] = observation
        self.action_buffer[self.pointer] = action
        self.reward_buffer[self.pointer] = reward
        self.value_buffer[self.pointer] = value
        self.logprobability_buffer[self.pointer] = logprobability
        self.pointer += 1

    def finish_trajectory(self, last_value=0):
        path_slice = slice(self.trajectory_start_index, self.pointer)
        rewards = np.append(self.reward_buffer[path_slice], last_value)
        values = np.append(self.value_buffer[path_slice], last_value)
        deltas = rewards[:-1] + self.gamma * values[1:] - values[:-1]
        self.advantage_buffer[path_slice] = discounted_cumulative_sums(
            deltas, self.gamma * self.lam
        )
        self.return_buffer[path_slice] = discounted_cumulative_sums(rewards, self.gamma)[:-1]
        self.trajectory_start_index = self.pointer

    def get(self):
        self.pointer, self.trajectory_start_index = 0, 0
        advantage_mean, advantage_std = (
            np.mean(self.advantage_buffer),
            np.std(self.advantage_buffer),
        )
        self.advantage_buffer = (self.advantage_buffer - advantage_mean) / advantage_std
        return (
            self.observation_buffer,
            self.action_buffer,
            self.advantage_buffer,
            self.return_buffer,
            self.logprobability_buffer,
        )


def mlp(x, sizes, activation=keras.activations.tanh, output_activation=None):
    for size in sizes[:-1]:
        x = layers.Dense(units=size, activation=activation)(x)
    return layers.Dense(units=sizes[-1], activation=output_activation)(x)


def logprobabilities(logits, a):
    logprobabilities_all = keras.ops.log_softmax(logits)
    logprobability = keras.ops.sum(keras.ops.one_hot(a, num_actions) * logprobabilities_all, axis=1)
    return logprobability


seed_generator = keras.random.SeedGenerator(1337)


@tf.function
def sample_action(observation):
    logits = actor(observation)
    action = keras.ops.squeeze(keras.random.categorical(logits, 1, seed=seed_generator), axis=1)
    return logits, action


@tf.function
def train_policy(observation_buffer, action_buffer, logprobability_buffer, advantage_buffer):
    with tf.GradientTape() as tape:
        ratio = keras.ops.exp(
            logprobabilities(actor(observation_buffer), action_buffer) - logprobability_buffer
        )
        min_advantage = keras.ops.where(
            advantage_buffer > 0,
            (1 + clip_ratio) * advantage_buffer,
            (1 - clip_ratio) * advantage_buffer,
        )
        policy_loss = -keras.ops.mean(keras.ops.minimum(ratio * advantage_buffer, min_advantage))
    policy_grads = tape.gradient(policy_loss, actor.trainable_variables)
    policy_optimizer.apply_gradients(zip(policy_grads, actor.trainable_variables))
    kl = keras.ops.mean(
        logprobability_buffer - logprobabilities(actor(observation_buffer), action_buffer)
    )
    kl = keras.ops.sum(kl)
    return kl


@tf.function
def train_value_function(observation_buffer, return_buffer):
    with tf.GradientTape() as tape:
        value_loss = keras.ops.mean((return_buffer - critic(observation_buffer)) ** 2)
    value_grads = tape.gradient(value_loss, critic.trainable_variables)
    value_optimizer.apply_gradients(zip(value_grads, critic.trainable_variables))


buffer = Buffer(observation_dimensions, steps_per_epoch, gamma, lam)
observation_input = keras.Input(shape=(observation_dimensions,), dtype="float32")
logits = mlp(observation_input, list(hidden_sizes) + [num_actions])
actor = keras.Model(inputs=observation_input, outputs=logits)
value = keras.ops.squeeze(mlp(observation_input, list(hidden_sizes) + [1]), axis=1)
critic = keras.Model(inputs=observation_input, outputs=value)
assert critic.output_shape == (None,)
policy_optimizer = keras.optimizers.Adam(learning_rate=3e-3)
value_optimizer = keras.optimizers.Adam(learning_rate=1e-2)

# the toy environment: reward 1 when the action matches the sign of the first feature;
# an episode lasts 8 steps
observation, episode_return, episode_length = rng.normal(size=3).astype("float32"), 0, 0
mean_rewards, kls = [], []
for epoch in range(epochs):
    total = 0.0
    for t in range(steps_per_epoch):
        observation = observation.reshape(1, -1)
        logits, action = sample_action(observation)
        action = int(action[0])
        reward = float(action == int(observation[0, 0] > 0))
        total += reward
        episode_return += reward
        episode_length += 1
        value_t = critic(observation)
        logprobability_t = logprobabilities(logits, np.array([action]))
        buffer.store(observation, action, reward, value_t[0], logprobability_t[0])
        observation = rng.normal(size=3).astype("float32")
        terminal = episode_length == 8
        if terminal or (t == steps_per_epoch - 1):
            last_value = 0 if terminal else critic(observation.reshape(1, -1))
            buffer.finish_trajectory(last_value)
            episode_return, episode_length = 0, 0
    mean_rewards.append(total / steps_per_epoch)
    (
        observation_buffer,
        action_buffer,
        advantage_buffer,
        return_buffer,
        logprobability_buffer,
    ) = buffer.get()
    assert abs(float(np.mean(advantage_buffer))) < 1e-4
    for _ in range(train_policy_iterations):
        kl = train_policy(
            observation_buffer, action_buffer, logprobability_buffer, advantage_buffer
        )
        if kl > 1.5 * target_kl:
            break  # early stopping
    kls.append(float(kl))
    for _ in range(train_value_iterations):
        train_value_function(observation_buffer, return_buffer)

assert mean_rewards[0] < 0.7, mean_rewards
assert np.mean(mean_rewards[-2:]) > 0.85, mean_rewards
assert all(np.isfinite(kls)), kls
# the greedy policy follows the sign of the first feature
obs = rng.normal(size=(200, 3)).astype("float32")
greedy = np.argmax(actor.predict(obs, verbose=0), axis=1)
assert np.mean(greedy == (obs[:, 0] > 0)) > 0.9
# the seeded sampler draws reproducible actions
g1 = keras.random.categorical(np.zeros((1, 2), "float32"), 200, seed=5)
g2 = keras.random.categorical(np.zeros((1, 2), "float32"), 200, seed=5)
np.testing.assert_array_equal(np.asarray(g1), np.asarray(g2))
assert 60 < int(np.asarray(g1).sum()) < 140
print("ppo ok", [round(r, 3) for r in mean_rewards], round(kls[-1], 4))
