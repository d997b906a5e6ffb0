# keras.io "MobileViT: A mobile-friendly Transformer-based model for image classification":
# keras.activations.swish applied directly to KerasTensors in a functional model, inverted
# residual blocks (ZeroPadding2D from a correct_pad helper, DepthwiseConv2D with "valid"
# padding for stride 2), and the MobileViT block that unfolds a feature map into
# (patch_size, num_patches, dim) with Reshape and runs MultiHeadAttention on those rank-4
# tensors (attention over both axes at once, as Keras' default attention_axes). Checks the
# rank-4 attention against a NumPy reference, the model's shapes, training from a tf.data
# pipeline with random crops, and a .keras save/load round trip.
import keras
import numpy as np
import tensorflow as tf
from keras import layers

keras.utils.set_random_seed(8)
rng = np.random.default_rng(8)
patch_size = 4
image_size = 16

# keras.activations on KerasTensors build the graph (and equal the eager values)
probe = keras.Input((3,))
act_model = keras.Model(probe, keras.activations.swish(keras.activations.gelu(probe)))
xs = np.linspace(-3, 3, 6, dtype="float32").reshape(2, 3)
expected = keras.activations.swish(keras.activations.gelu(tf.constant(xs)))
np.testing.assert_allclose(act_model.predict(xs, verbose=0), expected.numpy(), rtol=1e-5)

# MultiHeadAttention on (batch, P, N, dim): one softmax over all P*N key positions
mha = layers.MultiHeadAttention(num_heads=2, key_dim=3)
seq = rng.normal(size=(2, 2, 3, 4)).astype("float32")
out, scores = mha(seq, seq, return_attention_scores=True)
assert out.shape == (2, 2, 3, 4) and scores.shape == (2, 2, 2, 3, 2, 3)
assert mha.get_config()["attention_axes"] == (1, 2)
wq, bq, wk, bk, wv, bv, wo, bo = [w.numpy() for w in mha.weights]
q = np.einsum("bpnd,dhk->bhpnk", seq, wq) + bq[None, :, None, None]
k = np.einsum("bpnd,dhk->bhpnk", seq, wk) + bk[None, :, None, None]
v = np.einsum("bpnd,dhk->bhpnk", seq, wv) + bv[None, :, None, None]
logits = np.einsum("bhpnk,bhqmk->bhpnqm", q / np.sqrt(3.0), k).reshape(2, 2, 2, 3, 6)
weights = np.exp(logits - logits.max(-1, keepdims=True))
weights = (weights / weights.sum(-1, keepdims=True)).reshape(2, 2, 2, 3, 2, 3)
np.testing.assert_allclose(scores.numpy(), weights, rtol=1e-4, atol=1e-6)
mixed = np.einsum("bhpnqm,bhqmk->bpnhk", weights, v)
np.testing.assert_allclose(out.numpy(), np.einsum("bpnhk,hko->bpno", mixed, wo) + bo, atol=1e-4)


def conv_block(x, filters=16, kernel_size=3, strides=2):
    return layers.Conv2D(
        filters, kernel_size, strides=strides, activation=keras.activations.swish, padding="same"
    )(x)


def correct_pad(inputs, kernel_size):
    input_size = inputs.shape[1:3]
    adjust = (1 - input_size[0] % 2, 1 - input_size[1] % 2)
    correct = (kernel_size // 2, kernel_size // 2)
    return ((correct[0] - adjust[0], correct[0]), (correct[1] - adjust[1], correct[1]))


def inverted_residual_block(x, expanded_channels, output_channels, strides=1):
    m = layers.Conv2D(expanded_channels, 1, padding="same", use_bias=False)(x)
    m = keras.activations.swish(layers.BatchNormalization()(m))
    if strides == 2:
        m = layers.ZeroPadding2D(padding=correct_pad(m, 3))(m)
    m = layers.DepthwiseConv2D(
        3, strides=strides, padding="same" if strides == 1 else "valid", use_bias=False
    )(m)
    m = keras.activations.swish(layers.BatchNormalization()(m))
    m = layers.BatchNormalization()(layers.Conv2D(output_channels, 1, use_bias=False)(m))
    if x.shape[-1] == output_channels and strides == 1:
        return layers.Add()([m, x])
    return m


def transformer_block(x, transformer_layers, projection_dim, num_heads=2):
    for _ in range(transformer_layers):
        x1 = layers.LayerNormalization(epsilon=1e-6)(x)
        attention = layers.MultiHeadAttention(num_heads, projection_dim, dropout=0.1)(x1, x1)
        x2 = layers.Add()([attention, x])
        x3 = layers.LayerNormalization(epsilon=1e-6)(x2)
        x3 = layers.Dense(x.shape[-1] * 2, activation=keras.activations.swish)(x3)
        x3 = layers.Dense(x.shape[-1], activation=keras.activations.swish)(x3)
        x = layers.Add()([x3, x2])
    return x


def mobilevit_block(x, num_blocks, projection_dim):
    local = conv_block(x, filters=projection_dim, strides=1)
    local = conv_block(local, filters=projection_dim, kernel_size=1, strides=1)
    num_patches = (local.shape[1] * local.shape[2]) // patch_size
    unfolded = layers.Reshape((patch_size, num_patches, projection_dim))(local)
    assert unfolded.shape == (None, patch_size, num_patches, projection_dim)
    global_features = transformer_block(unfolded, num_blocks, projection_dim)
    folded = layers.Reshape((*local.shape[1:-1], projection_dim))(global_features)
    folded = conv_block(folded, filters=x.shape[-1], kernel_size=1, strides=1)
    fused = layers.Concatenate(axis=-1)([x, folded])
    return conv_block(fused, filters=projection_dim, strides=1)


inputs = keras.Input((image_size, image_size, 3))
x = layers.Rescaling(scale=1.0 / 255)(inputs)
x = conv_block(x, filters=8)  # 8x8
x = inverted_residual_block(x, expanded_channels=16, output_channels=8)
x = inverted_residual_block(x, expanded_channels=16, output_channels=12, strides=2)  # 4x4
assert x.shape == (None, 4, 4, 12)
x = mobilevit_block(x, num_blocks=1, projection_dim=16)
x = conv_block(x, filters=24, kernel_size=1, strides=1)
outputs = layers.Dense(3, activation="softmax")(layers.GlobalAvgPool2D()(x))
model = keras.Model(inputs, outputs)
assert model.output_shape == (None, 3)


def preprocess(image, label):
    image = tf.image.resize(image, (20, 20))
    image = tf.image.random_crop(image, (image_size, image_size, 3))
    image = tf.image.random_flip_left_right(image)
    return image, tf.one_hot(label, depth=3)


images = rng.integers(0, 255, (8, 24, 24, 3)).astype("uint8")
labels = rng.integers(0, 3, (8,))
train = tf.data.Dataset.from_tensor_slices((images, labels)).map(preprocess).batch(4)
model.compile(
    optimizer=keras.optimizers.Adam(0.002),
    loss=keras.losses.CategoricalCrossentropy(label_smoothing=0.1),
    metrics=["accuracy"],
)
history = model.fit(train, epochs=2, verbose=0)
assert all(np.isfinite(history.history["loss"]))
batch = next(iter(train))[0]
model.save("mobilevit.keras")
restored = keras.models.load_model("mobilevit.keras")
np.testing.assert_allclose(
    restored.predict(batch, verbose=0), model.predict(batch, verbose=0), rtol=1e-5, atol=1e-6
)
print("ok")
