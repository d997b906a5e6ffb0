# keras.io "Deep Q-Learning for Atari Breakout", on a toy chain world written in NumPy: a Q
# network and a target network of the same architecture, epsilon-greedy actions from
# model(state, training=False) and keras.ops.argmax(...).numpy(), a replay buffer, targets
# from model_target.predict and keras.ops.amax with done masking, the action-masked Q values
# (keras.ops.one_hot / multiply / sum) under tf.GradientTape with a Huber loss, Adam with
# clipnorm, and model_target.set_weights(model.get_weights()) every few steps.
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

keras.utils.set_random_seed(13)
rng = np.random.default_rng(13)

N_STATES = 6  # the agent starts in state 0; the reward waits in state 5
num_actions = 2  # 0: left, 1: right


def env_step(s, a):
    s_next = max(0, s - 1) if a == 0 else s + 1
    done = s_next == N_STATES - 1
    reward = 1.0 if done else -0.05
    return s_next, reward, done


def one_hot_state(s):
    return np.eye(N_STATES, dtype="float32")[s]


def create_q_model():
    inputs = layers.Input(shape=(N_STATES,))
    layer1 = layers.Dense(32, activation="relu")(inputs)
    layer2 = layers.Dense(32, activation="relu")(layer1)
    action = layers.Dense(num_actions, activation="linear")(layer2)
    return keras.Model(inputs=inputs, outputs=action)


model = create_q_model()
model_target = create_q_model()
model_target.set_weights(model.get_weights())
for a, b in zip(model.weights, model_target.weights):
    np.testing.assert_array_equal(a.numpy(), b.numpy())

gamma = 0.9
epsilon = 1.0
epsilon_min = 0.05
batch_size = 32
optimizer = keras.optimizers.Adam(learning_rate=0.005, clipnorm=1.0)
loss_function = keras.losses.Huber()
action_history, state_history, state_next_history = [], [], []
rewards_history, done_history = [], []
update_target_network = 25
frame_count = 0
episode_lengths = []

for episode in range(50):
    state = 0
    for timestep in range(1, 40):
        frame_count += 1
        if epsilon > rng.random():
            action = int(rng.integers(num_actions))
        else:
            state_tensor = keras.ops.convert_to_tensor(one_hot_state(state))
            state_tensor = keras.ops.expand_dims(state_tensor, 0)
            action_probs = model(state_tensor, training=False)
            action = int(keras.ops.argmax(action_probs[0]).numpy())
        epsilon = max(epsilon * 0.995, epsilon_min)
        state_next, reward, done = env_step(state, action)
        action_history.append(action)
        state_history.append(one_hot_state(state))
        state_next_history.append(one_hot_state(state_next))
        done_history.append(float(done))
        rewards_history.append(reward)
        state = state_next

        if len(done_history) > batch_size:
            indices = rng.choice(range(len(done_history)), size=batch_size)
            state_sample = np.array([state_history[i] for i in indices])
            state_next_sample = np.array([state_next_history[i] for i in indices])
            rewards_sample = np.array([rewards_history[i] for i in indices], dtype="float32")
            action_sample = [action_history[i] for i in indices]
            done_sample = keras.ops.convert_to_tensor([float(done_history[i]) for i in indices])
            future_rewards = model_target.predict(state_next_sample, verbose=0)
            updated_q_values = rewards_sample + gamma * keras.ops.amax(future_rewards, axis=1)
            # the last frame of an episode has no future
            updated_q_values = updated_q_values * (1 - done_sample) + rewards_sample * done_sample
            masks = keras.ops.one_hot(action_sample, num_actions)
            with tf.GradientTape() as tape:
                q_values = model(state_sample)
                q_action = keras.ops.sum(keras.ops.multiply(q_values, masks), axis=1)
                loss = loss_function(updated_q_values, q_action)
            grads = tape.gradient(loss, model.trainable_variables)
            optimizer.apply_gradients(zip(grads, model.trainable_variables))

        if frame_count % update_target_network == 0:
            model_target.set_weights(model.get_weights())
        if done:
            break
    episode_lengths.append(timestep)

assert len(grads) == 6 and all(g.shape == v.shape for g, v in zip(grads, model.trainable_variables))
# the greedy policy walks right from every state, and Q grows towards the goal
q = model.predict(np.eye(N_STATES, dtype="float32")[:-1], verbose=0)
assert (np.argmax(q, axis=1) == 1).all(), q
assert (np.diff(q[:, 1]) > 0).all(), q[:, 1]
# Q(4, right) is the reward itself; Q(3, right) = -0.05 + gamma * 1
np.testing.assert_allclose(q[4, 1], 1.0, atol=0.15)
np.testing.assert_allclose(q[3, 1], -0.05 + gamma, atol=0.15)
assert np.mean(episode_lengths[-10:]) < 8, episode_lengths
print("dqn ok", episode_lengths[-10:], q[:, 1].round(3))
