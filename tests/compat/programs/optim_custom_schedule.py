# A LearningRateSchedule subclass (the Transformer tutorial's warmup schedule) drives Adam.
import numpy as np
import tensorflow as tf


class CustomSchedule(tf.keras.optimizers.schedules.LearningRateSchedule):
    def __init__(self, d_model, warmup_steps=4):
        super().__init__()
        self.d_model = tf.cast(d_model, tf.float32)
        self.warmup_steps = warmup_steps

    def __call__(self, step):
        step = tf.cast(step, dtype=tf.float32) + 1.0
        arg1 = 1.0 / tf.math.sqrt(step)
        arg2 = step * (self.warmup_steps**-1.5)
        return tf.math.minimum(arg1, arg2) / tf.math.sqrt(self.d_model)

    def get_config(self):
        return {"d_model": float(self.d_model.numpy()), "warmup_steps": self.warmup_steps}


def expected_rate(step, d_model=16.0, warmup=4):
    step = step + 1.0
    return d_model**-0.5 * min(step**-0.5, step * warmup**-1.5)


schedule = CustomSchedule(16)
np.testing.assert_allclose(
    [float(schedule(s)) for s in range(8)], [expected_rate(s) for s in range(8)], rtol=1e-6
)

w = tf.Variable(0.0)
opt = tf.keras.optimizers.SGD(learning_rate=schedule)
for _ in range(6):
    opt.apply_gradients([(tf.constant(1.0), w)])
np.testing.assert_allclose(w.numpy(), -sum(expected_rate(s) for s in range(6)), rtol=1e-5)

config = tf.keras.optimizers.SGD(learning_rate=schedule).get_config()
assert config["learning_rate"]["config"] == {"d_model": 16.0, "warmup_steps": 4}
print("custom schedule ok")
