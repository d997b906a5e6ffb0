"""Layer build checks as Keras 3 makes them: a Conv2D input smaller than its kernel is a
ValueError at build; parameter counts, weight names and config round trips of common
layers (values checked on TensorFlow 2.21 + Keras 3)."""

import keras
import numpy as np

layers = keras.layers

for data_format, shape in (("channels_last", (2, 2, 9, 1)), ("channels_first", (2, 1, 2, 9))):
    try:
        layers.Conv2D(2, 3, data_format=data_format)(np.ones(shape, "float32"))
    except ValueError as e:
        assert "output size" in str(e), str(e)
    else:
        raise AssertionError("an input smaller than the kernel must raise")
try:
    keras.Sequential([keras.Input((4, 4, 1)), layers.Conv2D(2, 3, strides=2), layers.Conv2D(2, 3)])
except ValueError:
    pass
else:
    raise AssertionError("a model whose second Conv2D gets a 1x1 input must raise")

# (layer, input shape, parameter count, weight names)
table = [
    (lambda: layers.Dense(3), (4,), 15, ["kernel", "bias"]),
    (lambda: layers.Conv2D(2, 3, use_bias=False), (6, 6, 3), 54, ["kernel"]),
    (
        lambda: layers.SeparableConv2D(2, 3),
        (6, 6, 3),
        35,
        ["depthwise_kernel", "pointwise_kernel", "bias"],
    ),
    (lambda: layers.DepthwiseConv2D(3, depth_multiplier=2), (6, 6, 3), 60, ["kernel", "bias"]),
    (lambda: layers.Conv2DTranspose(2, 3), (4, 4, 3), 56, ["kernel", "bias"]),
    (
        lambda: layers.BatchNormalization(),
        (5,),
        20,
        ["gamma", "beta", "moving_mean", "moving_variance"],
    ),
    (lambda: layers.LayerNormalization(), (5,), 10, ["gamma", "beta"]),
    (lambda: layers.Embedding(10, 3), (4,), 30, ["embeddings"]),
    (lambda: layers.LSTM(3), (5, 4), 96, ["kernel", "recurrent_kernel", "bias"]),
    (lambda: layers.GRU(3), (5, 4), 81, ["kernel", "recurrent_kernel", "bias"]),
    (lambda: layers.GRU(3, reset_after=False), (5, 4), 72, ["kernel", "recurrent_kernel", "bias"]),
    (lambda: layers.SimpleRNN(3), (5, 4), 24, ["kernel", "recurrent_kernel", "bias"]),
    (lambda: layers.MultiHeadAttention(2, 3), (3, 4), 118, None),
    (lambda: layers.PReLU(), (4,), 4, ["alpha"]),
    (
        lambda: layers.EinsumDense("ab,bc->ac", output_shape=3, bias_axes="c"),
        (4,),
        15,
        ["kernel", "bias"],
    ),
]
for make, shape, count, names in table:
    layer = make()
    x = np.ones((2, *shape), "float32")
    y = layer(x, x) if isinstance(layer, layers.MultiHeadAttention) else layer(x)
    assert layer.count_params() == count, (layer.name, layer.count_params(), count)
    if names is not None:
        assert [w.name for w in layer.weights] == names, (
            layer.name,
            [w.name for w in layer.weights],
        )
    again = type(layer).from_config(layer.get_config())
    y2 = again(x, x) if isinstance(again, layers.MultiHeadAttention) else again(x)
    assert tuple(y2.shape) == tuple(y.shape) and again.count_params() == count
    again.set_weights(layer.get_weights())
    y3 = again(x, x) if isinstance(again, layers.MultiHeadAttention) else again(x)
    np.testing.assert_allclose(np.asarray(y3), np.asarray(y), rtol=1e-5, atol=1e-6)
print("kl6_layer_build_checks: ok")
