# keras.io "Character-level recurrent sequence-to-sequence model", small: one-hot character
# arrays for a tiny word dictionary (tab starts and newline ends each target), an LSTM
# encoder whose return_state states initialise the decoder LSTM (teacher forcing),
# fit with validation_split, a .keras save/load, then the inference models rebuilt from
# the loaded model's model.input / model.layers[i].output, and the greedy decoding loop
# that feeds each sampled character and the states back into the decoder.
import numpy as np
from tensorflow import keras

keras.utils.set_random_seed(3)

pairs = [
    ("go", "va"),
    ("hi", "salut"),
    ("run", "cours"),
    ("wow", "ouah"),
    ("fire", "au feu"),
    ("help", "aide"),
    ("stop", "arrete"),
    ("wait", "attends"),
    ("hello", "bonjour"),
    ("thanks", "merci"),
]
input_texts = [a for a, _ in pairs] * 10
target_texts = ["\t" + b + "\n" for _, b in pairs] * 10
input_characters = sorted({c for t in input_texts for c in t})
target_characters = sorted({c for t in target_texts for c in t})
num_encoder_tokens = len(input_characters)
num_decoder_tokens = len(target_characters)
max_encoder_seq_length = max(len(t) for t in input_texts)
max_decoder_seq_length = max(len(t) for t in target_texts)
input_token_index = {char: i for i, char in enumerate(input_characters)}
target_token_index = {char: i for i, char in enumerate(target_characters)}
latent_dim = 48

encoder_input_data = np.zeros(
    (len(input_texts), max_encoder_seq_length, num_encoder_tokens), dtype="float32"
)
decoder_input_data = np.zeros(
    (len(input_texts), max_decoder_seq_length, num_decoder_tokens), dtype="float32"
)
decoder_target_data = np.zeros(
    (len(input_texts), max_decoder_seq_length, num_decoder_tokens), dtype="float32"
)
for i, (input_text, target_text) in enumerate(zip(input_texts, target_texts)):
    for t, char in enumerate(input_text):
        encoder_input_data[i, t, input_token_index[char]] = 1.0
    encoder_input_data[i, t + 1 :, input_token_index["o"]] = 1.0  # pad as the example pads
    for t, char in enumerate(target_text):
        decoder_input_data[i, t, target_token_index[char]] = 1.0
        if t > 0:
            # decoder_target_data is ahead of decoder_input_data by one timestep
            decoder_target_data[i, t - 1, target_token_index[char]] = 1.0
    decoder_input_data[i, t + 1 :, target_token_index[" "]] = 1.0
    decoder_target_data[i, t:, target_token_index[" "]] = 1.0
order = np.random.default_rng(3).permutation(len(input_texts))
encoder_input_data = encoder_input_data[order]
decoder_input_data = decoder_input_data[order]
decoder_target_data = decoder_target_data[order]

encoder_inputs = keras.Input(shape=(None, num_encoder_tokens))
encoder = keras.layers.LSTM(latent_dim, return_state=True)
encoder_outputs, state_h, state_c = encoder(encoder_inputs)
encoder_states = [state_h, state_c]
decoder_inputs = keras.Input(shape=(None, num_decoder_tokens))
decoder_lstm = keras.layers.LSTM(latent_dim, return_sequences=True, return_state=True)
decoder_outputs, _, _ = decoder_lstm(decoder_inputs, initial_state=encoder_states)
decoder_dense = keras.layers.Dense(num_decoder_tokens, activation="softmax")
decoder_outputs = decoder_dense(decoder_outputs)
model = keras.Model([encoder_inputs, decoder_inputs], decoder_outputs)
assert model.output_shape == (None, None, num_decoder_tokens)

model.compile(
    optimizer=keras.optimizers.RMSprop(0.01),
    loss="categorical_crossentropy",
    metrics=["accuracy"],
)
history = model.fit(
    [encoder_input_data, decoder_input_data],
    decoder_target_data,
    batch_size=16,
    epochs=40,
    validation_split=0.2,
    verbose=0,
)
assert sorted(history.history) == ["accuracy", "loss", "val_accuracy", "val_loss"]
assert history.history["loss"][-1] < 0.2 * history.history["loss"][0], history.history["loss"]
assert history.history["val_accuracy"][-1] > 0.95, history.history["val_accuracy"]
model.save("s2s_model.keras")

# restore the model and construct the encoder and decoder
model = keras.models.load_model("s2s_model.keras")
encoder_inputs = model.input[0]  # input_1
encoder_outputs, state_h_enc, state_c_enc = model.layers[2].output  # lstm_1
encoder_states = [state_h_enc, state_c_enc]
encoder_model = keras.Model(encoder_inputs, encoder_states)

decoder_inputs = model.input[1]  # input_2
decoder_state_input_h = keras.Input(shape=(latent_dim,))
decoder_state_input_c = keras.Input(shape=(latent_dim,))
decoder_states_inputs = [decoder_state_input_h, decoder_state_input_c]
decoder_lstm = model.layers[3]
decoder_outputs, state_h_dec, state_c_dec = decoder_lstm(
    decoder_inputs, initial_state=decoder_states_inputs
)
decoder_states = [state_h_dec, state_c_dec]
decoder_dense = model.layers[4]
decoder_outputs = decoder_dense(decoder_outputs)
decoder_model = keras.Model(
    [decoder_inputs] + decoder_states_inputs, [decoder_outputs] + decoder_states
)
assert [type(layer).__name__ for layer in model.layers] == [
    "InputLayer",
    "InputLayer",
    "LSTM",
    "LSTM",
    "Dense",
]

reverse_target_char_index = dict((i, char) for char, i in target_token_index.items())


def decode_sequence(input_seq):
    states_value = encoder_model.predict(input_seq, verbose=0)
    target_seq = np.zeros((1, 1, num_decoder_tokens))
    target_seq[0, 0, target_token_index["\t"]] = 1.0
    stop_condition = False
    decoded_sentence = ""
    while not stop_condition:
        output_tokens, h, c = decoder_model.predict([target_seq] + states_value, verbose=0)
        sampled_token_index = np.argmax(output_tokens[0, -1, :])
        sampled_char = reverse_target_char_index[sampled_token_index]
        decoded_sentence += sampled_char
        if sampled_char == "\n" or len(decoded_sentence) > max_decoder_seq_length:
            stop_condition = True
        target_seq = np.zeros((1, 1, num_decoder_tokens))
        target_seq[0, 0, sampled_token_index] = 1.0
        states_value = [h, c]
    return decoded_sentence


correct = 0
for source, target in pairs:
    seq = np.zeros((1, max_encoder_seq_length, num_encoder_tokens), dtype="float32")
    for t, char in enumerate(source):
        seq[0, t, input_token_index[char]] = 1.0
    seq[0, t + 1 :, input_token_index["o"]] = 1.0
    correct += decode_sequence(seq) == target + "\n"
assert correct >= 8, correct
print("seq2seq ok", correct, round(history.history["loss"][-1], 4))
