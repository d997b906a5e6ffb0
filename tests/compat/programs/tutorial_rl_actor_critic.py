# The "Actor-Critic method" tutorial's training step on a toy environment written in
# NumPy (no gym): tf.numpy_function for the environment step, a tf.function episode
# loop writing tf.TensorArrays, tf.random.categorical actions, discounted returns with
# a reversed cumulative loop, and the Huber critic loss with Reduction.SUM.
import numpy as np
import tensorflow as tf
from tensorflow.keras import layers

seed = 42
tf.random.set_seed(seed)
np.random.seed(seed)
eps = np.finfo(np.float32).eps.item()


class Corridor:
    """Walk right (action 1) to the goal at position 5; each step gives reward 1 while
    moving right, 0 otherwise; 12 steps at most."""

    def reset(self):
        self.pos, self.t = 0, 0
        return np.array([0.0, 0.0], np.float32)

    def step(self, action):
        self.t += 1
        reward = 1.0 if action == 1 else 0.0
        self.pos = min(5, self.pos + 1) if action == 1 else max(0, self.pos - 1)
        done = self.pos == 5 or self.t >= 12
        return np.array([self.pos / 5.0, self.t / 12.0], np.float32), reward, done


env = Corridor()


def env_step(action: np.ndarray):
    state, reward, done = env.step(int(action))
    return (state.astype(np.float32), np.array(reward, np.int32), np.array(done, np.int32))


def tf_env_step(action: tf.Tensor):
    return tf.numpy_function(env_step, [action], [tf.float32, tf.int32, tf.int32])


class ActorCritic(tf.keras.Model):
    def __init__(self, num_actions: int, num_hidden_units: int):
        super().__init__()
        self.common = layers.Dense(num_hidden_units, activation="relu")
        self.actor = layers.Dense(num_actions)
        self.critic = layers.Dense(1)

    def call(self, inputs: tf.Tensor):
        x = self.common(inputs)
        return self.actor(x), self.critic(x)


model = ActorCritic(2, 32)


def run_episode(initial_state, model, max_steps: int):
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


def get_expected_return(rewards, gamma: float, standardize: bool = True):
    n = tf.shape(rewards)[0]
    returns = tf.TensorArray(dtype=tf.float32, size=n)
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


r = get_expected_return(tf.constant([1, 1, 1]), gamma=0.5, standardize=False)
np.testing.assert_allclose(r.numpy(), [1.75, 1.5, 1.0])
s = get_expected_return(tf.constant([1, 0, 2]), gamma=0.9)
np.testing.assert_allclose([s.numpy().mean(), s.numpy().std()], [0.0, 1.0], atol=1e-5)

huber_loss = tf.keras.losses.Huber(reduction=tf.keras.losses.Reduction.SUM)


def compute_loss(action_probs, values, returns):
    advantage = returns - values
    action_log_probs = tf.math.log(action_probs)
    actor_loss = -tf.math.reduce_sum(action_log_probs * advantage)
    critic_loss = huber_loss(values, returns)
    return actor_loss + critic_loss


optimizer = tf.keras.optimizers.Adam(learning_rate=0.02)


@tf.function
def train_step(initial_state, model, optimizer, gamma: float, max_steps_per_episode: int):
    with tf.GradientTape() as tape:
        action_probs, values, rewards = run_episode(initial_state, model, max_steps_per_episode)
        returns = get_expected_return(rewards, gamma)
        action_probs, values, returns = [
            tf.expand_dims(x, 1) for x in [action_probs, values, returns]
        ]
        loss = compute_loss(action_probs, values, returns)
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    return tf.math.reduce_sum(rewards)


rewards = []
for episode in range(60):
    initial_state = tf.constant(env.reset(), dtype=tf.float32)
    rewards.append(int(train_step(initial_state, model, optimizer, 0.99, 12)))
assert all(0 <= r <= 12 for r in rewards)
# the agent learns to walk right: the goal takes 5 rewarded steps
assert np.mean(rewards[-10:]) >= 4.5, rewards
logits, value = model(tf.constant([[0.0, 0.0]]))
assert logits.shape == (1, 2) and value.shape == (1, 1)
assert int(tf.argmax(logits[0])) == 1
