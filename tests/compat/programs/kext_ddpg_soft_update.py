# keras.io "Deep Deterministic Policy Gradient (DDPG)", on a toy one-step task written in
# NumPy (the reward is highest when the action equals 1.5 * the state): an actor with a
# RandomUniform last-layer initializer and tanh output scaled by the action bound on the
# symbolic tensor, a two-input critic (Concatenate of state and action branches), target
# copies, Ornstein-Uhlenbeck exploration noise, a replay Buffer whose update is a
# tf.function with two GradientTapes and two optimizers, and soft target updates
# (target = tau * original + (1 - tau) * target) through get_weights / set_weights.
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

keras.utils.set_random_seed(9)
np.random.seed(9)

num_states = 1
num_actions = 1
upper_bound = 2.0
lower_bound = -2.0


class OUActionNoise:
    def __init__(self, mean, std_deviation, theta=0.15, dt=1e-2, x_initial=None):
        self.theta = theta
        self.mean = mean
        self.std_dev = std_deviation
        self.dt = dt
        self.x_initial = x_initial
        self.reset()

    def __call__(self):
        x = (
            self.x_prev
            + self.theta * (self.mean - self.x_prev) * self.dt
            + self.std_dev * np.sqrt(self.dt) * np.random.normal(size=self.mean.shape)
        )
        self.x_prev = x
        return x

    def reset(self):
        self.x_prev = self.x_initial if self.x_initial is not None else np.zeros_like(self.mean)


def get_actor():
    last_init = keras.initializers.RandomUniform(minval=-0.003, maxval=0.003)
    inputs = layers.Input(shape=(num_states,))
    out = layers.Dense(32, activation="relu")(inputs)
    out = layers.Dense(32, activation="relu")(out)
    outputs = layers.Dense(1, activation="tanh", kernel_initializer=last_init)(out)
    outputs = outputs * upper_bound
    return keras.Model(inputs, outputs)


def get_critic():
    state_input = layers.Input(shape=(num_states,))
    state_out = layers.Dense(16, activation="relu")(state_input)
    state_out = layers.Dense(32, activation="relu")(state_out)
    action_input = layers.Input(shape=(num_actions,))
    action_out = layers.Dense(32, activation="relu")(action_input)
    concat = layers.Concatenate()([state_out, action_out])
    out = layers.Dense(64, activation="relu")(concat)
    out = layers.Dense(64, activation="relu")(out)
    outputs = layers.Dense(1)(out)
    return keras.Model([state_input, action_input], outputs)


actor_model = get_actor()
critic_model = get_critic()
target_actor = get_actor()
target_critic = get_critic()
target_actor.set_weights(actor_model.get_weights())
target_critic.set_weights(critic_model.get_weights())
# the scaling by upper_bound is an op on the symbolic tensor, not a layer
assert [type(x).__name__ for x in actor_model.layers][-1] == "Dense"
assert np.abs(actor_model.layers[-1].kernel.numpy()).max() <= 0.003
critic_optimizer = keras.optimizers.Adam(0.005)
actor_optimizer = keras.optimizers.Adam(0.002)
gamma = 0.0  # one-step episodes: the target is the reward
tau = 0.05


class Buffer:
    def __init__(self, buffer_capacity=1000, batch_size=64):
        self.buffer_capacity = buffer_capacity
        self.batch_size = batch_size
        self.buffer_counter = 0
        self.state_buffer = np.zeros((self.buffer_capacity, num_states))
        self.action_buffer = np.zeros((self.buffer_capacity, num_actions))
        self.reward_buffer = np.zeros((self.buffer_capacity, 1))
        self.next_state_buffer = np.zeros((self.buffer_capacity, num_states))

    def record(self, obs_tuple):
        index = self.buffer_counter % self.buffer_capacity
        self.state_buffer[index] = obs_tuple[0]
        self.action_buffer[index] = obs_tuple[1]
        self.reward_buffer[index] = obs_tuple[2]
        self.next_state_buffer[index] = obs_tuple[3]
        self.buffer_counter += 1

    @tf.function
    def update(self, state_batch, action_batch, reward_batch, next_state_batch):
        with tf.GradientTape() as tape:
            target_actions = target_actor(next_state_batch, training=True)
            y = reward_batch + gamma * target_critic(
                [next_state_batch, target_actions], training=True
            )
            critic_value = critic_model([state_batch, action_batch], training=True)
            critic_loss = keras.ops.mean(keras.ops.square(y - critic_value))
        critic_grad = tape.gradient(critic_loss, critic_model.trainable_variables)
        critic_optimizer.apply_gradients(zip(critic_grad, critic_model.trainable_variables))
        with tf.GradientTape() as tape:
            actions = actor_model(state_batch, training=True)
            critic_value = critic_model([state_batch, actions], training=True)
            actor_loss = -keras.ops.mean(critic_value)
        actor_grad = tape.gradient(actor_loss, actor_model.trainable_variables)
        actor_optimizer.apply_gradients(zip(actor_grad, actor_model.trainable_variables))
        return critic_loss

    def learn(self):
        record_range = min(self.buffer_counter, self.buffer_capacity)
        batch_indices = np.random.choice(record_range, self.batch_size)
        state_batch = keras.ops.convert_to_tensor(self.state_buffer[batch_indices])
        action_batch = keras.ops.convert_to_tensor(self.action_buffer[batch_indices])
        reward_batch = keras.ops.convert_to_tensor(self.reward_buffer[batch_indices])
        reward_batch = keras.ops.cast(reward_batch, dtype="float32")
        next_state_batch = keras.ops.convert_to_tensor(self.next_state_buffer[batch_indices])
        return self.update(state_batch, action_batch, reward_batch, next_state_batch)


def update_target(target, original, tau):
    target_weights = target.get_weights()
    original_weights = original.get_weights()
    for i in range(len(target_weights)):
        target_weights[i] = original_weights[i] * tau + target_weights[i] * (1 - tau)
    target.set_weights(target_weights)


def policy(state, noise_object):
    sampled_actions = keras.ops.squeeze(actor_model(state))
    noise = noise_object()
    sampled_actions = sampled_actions.numpy() + noise
    legal_action = np.clip(sampled_actions, lower_bound, upper_bound)
    return [np.squeeze(legal_action)]


# soft update arithmetic on known weights
a, b = get_actor(), get_actor()
expected = [0.25 * wa + 0.75 * wb for wa, wb in zip(a.get_weights(), b.get_weights())]
update_target(b, a, 0.25)
for e, w in zip(expected, b.get_weights()):
    np.testing.assert_allclose(e, w, rtol=1e-6)

ou_noise = OUActionNoise(mean=np.zeros(1), std_deviation=float(0.5) * np.ones(1))
buffer = Buffer(1000, 32)
critic_losses, rewards = [], []
for step in range(300):
    prev_state = np.random.uniform(-1, 1, size=(num_states,))
    tf_prev_state = keras.ops.expand_dims(keras.ops.convert_to_tensor(prev_state), 0)
    action = policy(tf_prev_state, ou_noise)
    reward = -float((action[0] - 1.5 * prev_state[0]) ** 2)
    state = np.random.uniform(-1, 1, size=(num_states,))
    buffer.record((prev_state, action, reward, state))
    rewards.append(reward)
    if step >= 32:
        critic_losses.append(float(buffer.learn()))
        update_target(target_actor, actor_model, tau)
        update_target(target_critic, critic_model, tau)

assert all(np.isfinite(critic_losses))
states = np.linspace(-0.9, 0.9, 7).reshape(-1, 1).astype("float32")
greedy = actor_model.predict(states, verbose=0)[:, 0]
assert np.abs(greedy).max() <= upper_bound
err = np.abs(greedy - 1.5 * states[:, 0])
assert err.mean() < 0.35, (greedy, err)
assert np.mean(rewards[-50:]) > 2 * np.mean(rewards[:50]), (rewards[:50], rewards[-50:])
# the target actor trails the actor: close, but not equal
gap = [np.abs(t - o).max() for t, o in zip(target_actor.get_weights(), actor_model.get_weights())]
assert 0 < max(gap) < 0.5, gap
print("ddpg ok", greedy.round(2), round(float(err.mean()), 3))
