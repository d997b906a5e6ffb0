# The "Actor-Critic method" tutorial's pieces beyond the training loop, on a NumPy
# environment with state: discounted returns three ways (the tutorial's reversed
# TensorArray loop, tf.scan with reverse=True, and tf.math.cumsum of scaled rewards),
# a tf.numpy_function step whose outputs get set_shape, an episode run in @tf.function
# collecting tf.TensorArrays that stops with `break`, the running reward, and the
# Huber critic loss against its formula.
import collections
import statistics

import numpy as np
import tensorflow as tf

tf.random.set_seed(31)
np.random.seed(31)
eps = np.finfo(np.float32).eps.item()


def get_expected_return(rewards, gamma, standardize=True):
    n = tf.shape(rewards)[0]
    returns = tf.TensorArray(dtype=tf.float32, size=n)
    # Start from the end of `rewards` and accumulate reward sums
    # into the `returns` array
    rewards = tf.cast(rewards[::-1], dtype=tf.float32)
    discounted_sum = tf.constant(0.0)
    discounted_sum_shape = discounted_sum.shape
    for i in tf.range(n):
        reward = rewards[i]
        discounted_sum = reward + gamma * discounted_sum
        discounted_sum.set_shape(discounted_sum_shape)
        returns = returns.write(i, discounted_sum)
    returns = returns.stack()[::-1]
    if standardize:
        returns = (returns - tf.math.reduce_mean(returns)) / (tf.math.reduce_std(returns) + eps)
    return returns


rewards = tf.constant([1, 0, 2, 1, 1], tf.int32)
gamma = 0.9
loop = get_expected_return(rewards, gamma, standardize=False).numpy()
scan = tf.scan(
    lambda acc, r: r + gamma * acc, tf.cast(rewards, tf.float32), initializer=0.0, reverse=True
).numpy()
powers = gamma ** tf.range(5, dtype=tf.float32)
cums = (tf.math.cumsum(tf.cast(rewards, tf.float32) * powers, reverse=True) / powers).numpy()
expected = [sum(gamma**k * r for k, r in enumerate([1, 0, 2, 1, 1][i:])) for i in range(5)]
np.testing.assert_allclose(loop, expected, rtol=1e-5)
np.testing.assert_allclose(scan, expected, rtol=1e-5)
np.testing.assert_allclose(cums, expected, rtol=1e-5)
compiled = tf.function(get_expected_return)
np.testing.assert_allclose(compiled(rewards, gamma, False).numpy(), expected, rtol=1e-5)
std = compiled(rewards, gamma).numpy()
np.testing.assert_allclose([std.mean(), std.std()], [0.0, 1.0], atol=1e-5)


class Pendulum:
    """A point that must stay near 0: the action pushes it left (0) or right (1); the
    drift pushes it away; the episode ends when it leaves [-1, 1] or after 40 steps."""

    def reset(self):
        self.x, self.t = 0.1, 0
        return np.array([self.x, 0.0], np.float32)

    def step(self, action):
        self.t += 1
        self.x += 0.15 * (1 if action == 1 else -1) + 0.1 * np.sign(self.x)
        done = abs(self.x) > 1 or self.t >= 40
        return np.array([self.x, self.t / 40], np.float32), 1, done


env = Pendulum()


def env_step(action):
    state, reward, done = env.step(int(action))
    return (state.astype(np.float32), np.array(reward, np.int32), np.array(done, np.int32))


def tf_env_step(action):
    return tf.numpy_function(env_step, [action], [tf.float32, tf.int32, tf.int32])


env.reset()
state, reward, done = tf_env_step(tf.constant(1, tf.int64))
assert state.dtype == tf.float32 and reward.dtype == tf.int32 and int(done) == 0
np.testing.assert_allclose(state.numpy(), [0.35, 0.025], rtol=1e-5)


class ActorCritic(tf.keras.Model):
    def __init__(self, num_actions, num_hidden_units):
        super().__init__()
        self.common = tf.keras.layers.Dense(num_hidden_units, activation="relu")
        self.actor = tf.keras.layers.Dense(num_actions)
        self.critic = tf.keras.layers.Dense(1)

    def call(self, inputs):
        x = self.common(inputs)
        return self.actor(x), self.critic(x)


model = ActorCritic(2, 32)


@tf.function
def run_episode(initial_state, max_steps):
    action_probs = tf.TensorArray(dtype=tf.float32, size=0, dynamic_size=True)
    values = tf.TensorArray(dtype=tf.float32, size=0, dynamic_size=True)
    rewards = tf.TensorArray(dtype=tf.int32, size=0, dynamic_size=True)
    initial_state_shape = initial_state.shape
    state = initial_state
    for t in tf.range(max_steps):
        state = tf.expand_dims(state, 0)
        action_logits_t, value = model(state)
        action = tf.random.categorical(action_logits_t, 1)[0, 0]
        action_probs_t = tf.nn.softmax(action_logits_t)
        values = values.write(t, tf.squeeze(value))
        action_probs = action_probs.write(t, action_probs_t[0, action])
        state, reward, done = tf_env_step(action)
        state.set_shape(initial_state_shape)
        rewards = rewards.write(t, reward)
        if tf.cast(done, tf.bool):
            break
    return action_probs.stack(), values.stack(), rewards.stack()


huber_loss = tf.keras.losses.Huber(reduction="sum")
values = tf.constant([[0.5], [3.0], [-1.0]])
returns = tf.constant([[0.0], [0.5], [-1.2]])
d = np.abs(values.numpy() - returns.numpy())
manual = np.sum(np.where(d <= 1.0, 0.5 * d**2, d - 0.5))
np.testing.assert_allclose(float(huber_loss(values, returns)), manual, rtol=1e-6)

optimizer = tf.keras.optimizers.Adam(learning_rate=0.02)


@tf.function
def train_step(initial_state, gamma, max_steps):
    with tf.GradientTape() as tape:
        action_probs, values, rewards = run_episode(initial_state, max_steps)
        returns = get_expected_return(rewards, gamma)
        action_probs, values, returns = [
            tf.expand_dims(x, 1) for x in [action_probs, values, returns]
        ]
        advantage = returns - values
        actor_loss = -tf.math.reduce_sum(tf.math.log(action_probs) * advantage)
        loss = actor_loss + huber_loss(values, returns)
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    return tf.math.reduce_sum(rewards), tf.shape(rewards)[0]


episodes_reward = collections.deque(maxlen=10)
running_reward = 0.0
lengths = []
for episode in range(80):
    initial_state = tf.constant(env.reset(), dtype=tf.float32)
    episode_reward, length = train_step(initial_state, 0.95, 40)
    episode_reward = int(episode_reward)
    assert episode_reward == int(length) and 1 <= episode_reward <= 40
    episodes_reward.append(episode_reward)
    running_reward = statistics.mean(episodes_reward)
    lengths.append(int(length))
print("episode lengths", lengths[:10], lengths[-10:], "running reward", running_reward)
# staying inside takes alternating pushes; the trained agent survives much longer
assert np.mean(lengths[-10:]) > 2 * np.mean(lengths[:10]), lengths
assert int(optimizer.iterations) == 80
print("rl returns and episode ok")
