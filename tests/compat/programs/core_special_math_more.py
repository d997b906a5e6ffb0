# tf.math.special beyond bessel_i*: Bessel J/Y/K, dawsn, expint, fresnel_cos/sin, spence;
# identities they satisfy, a few reference values, edges and gradients.
import math

import numpy as np
import tensorflow as tf

S = tf.math.special
for name in [
    "bessel_j0",
    "bessel_j1",
    "bessel_y0",
    "bessel_y1",
    "bessel_k0",
    "bessel_k0e",
    "bessel_k1",
    "bessel_k1e",
    "dawsn",
    "expint",
    "fresnel_cos",
    "fresnel_sin",
    "spence",
]:
    assert hasattr(S, name), name

x = tf.constant([0.25, 1.0, 2.404825557695773, 5.5, 13.0, 40.0], tf.float64)
j0, j1, y0, y1 = S.bessel_j0(x), S.bessel_j1(x), S.bessel_y0(x), S.bessel_y1(x)
# the Wronskian J1 Y0 - J0 Y1 = 2 / (pi x); the first zero of J0 is 2.404825557695773
np.testing.assert_allclose((j1 * y0 - j0 * y1).numpy(), 2 / (np.pi * x.numpy()), rtol=1e-11)
assert abs(float(j0[2])) < 1e-14
np.testing.assert_allclose(
    [float(j0[1]), float(j1[1]), float(y0[1]), float(y1[1])],
    [0.7651976865579666, 0.44005058574493355, 0.08825696421567697, -0.7812128213002887],
    rtol=1e-12,
)
k0, k1 = S.bessel_k0(x), S.bessel_k1(x)
i0, i1 = tf.math.bessel_i0(x), tf.math.bessel_i1(x)
# I0 K1 + I1 K0 = 1 / x
np.testing.assert_allclose((i0 * k1 + i1 * k0).numpy(), 1 / x.numpy(), rtol=1e-11)
np.testing.assert_allclose(S.bessel_k0e(x).numpy(), (k0 * tf.exp(x)).numpy(), rtol=1e-12)
np.testing.assert_allclose(S.bessel_k1e(x).numpy(), (k1 * tf.exp(x)).numpy(), rtol=1e-12)
assert abs(float(S.bessel_k0(tf.constant(1.0, tf.float64))) - 0.42102443824070834) < 1e-15

t = tf.constant([0.0, 0.5, 1.0, 3.0, 9.0], tf.float64)
d = S.dawsn(t).numpy()
assert d[0] == 0.0 and abs(d[2] - 0.5380795069127684) < 1e-15
np.testing.assert_allclose(S.dawsn(-t).numpy(), -d)
np.testing.assert_allclose(d[-1], 1 / 18 * (1 + 1 / 162 + 3 / 162**2), rtol=1e-5)  # asymptotic
e = S.expint(tf.constant([1.0, 2.0, 50.0], tf.float64)).numpy()
np.testing.assert_allclose(e[:2], [1.8951178163559368, 4.954234356001891], rtol=1e-14)
assert np.isnan(float(S.expint(tf.constant(-1.0, tf.float64))))
assert float(S.expint(tf.constant(0.0, tf.float64))) == -math.inf
c = S.fresnel_cos(t).numpy()
s = S.fresnel_sin(t).numpy()
np.testing.assert_allclose(c[2], 0.7798934003768228, rtol=1e-14)
np.testing.assert_allclose(s[2], 0.4382591473903548, rtol=1e-14)
assert abs(c[-1] - 0.5) < 0.04 and abs(s[-1] - 0.5) < 0.04
sp = S.spence(tf.constant([0.0, 0.5, 1.0, 2.0], tf.float64)).numpy()
np.testing.assert_allclose(
    sp,
    [math.pi**2 / 6, math.pi**2 / 12 - math.log(2) ** 2 / 2, 0.0, -(math.pi**2) / 12],
    atol=1e-15,
)
assert np.isnan(float(S.spence(tf.constant(-1.0, tf.float64))))

v = tf.constant([0.5, 2.0, 6.0], tf.float64)
with tf.GradientTape(persistent=True) as tape:
    tape.watch(v)
    outs = {
        "j0": S.bessel_j0(v),
        "k0": S.bessel_k0(v),
        "dawsn": S.dawsn(v),
        "expint": S.expint(v),
        "fresnel_sin": S.fresnel_sin(v),
        "spence": S.spence(v),
    }
grads = {k: tape.gradient(o, v).numpy() for k, o in outs.items()}
vn = v.numpy()
np.testing.assert_allclose(grads["j0"], -S.bessel_j1(v).numpy(), rtol=1e-12)
np.testing.assert_allclose(grads["k0"], -S.bessel_k1(v).numpy(), rtol=1e-12)
np.testing.assert_allclose(grads["dawsn"], 1 - 2 * vn * outs["dawsn"].numpy(), rtol=1e-12)
np.testing.assert_allclose(grads["expint"], np.exp(vn) / vn, rtol=1e-12)
np.testing.assert_allclose(grads["fresnel_sin"], np.sin(np.pi / 2 * vn**2), rtol=1e-9)
np.testing.assert_allclose(grads["spence"], np.log(vn) / (1 - vn), rtol=1e-12)

f32 = S.bessel_j1(tf.constant([1.0, 3.0]))
assert f32.dtype == tf.float32
np.testing.assert_allclose(f32.numpy(), [0.44005059, 0.33905896], rtol=1e-6)
print("ok")
