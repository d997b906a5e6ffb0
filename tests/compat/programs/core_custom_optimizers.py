# The "Custom optimizers with Core APIs" guide: gradient descent, momentum and Adam
# written as tf.Module classes with tf.Variable slots and @tf.function apply_gradients,
# tested on a convex loss and compared with a hand computation.
import numpy as np
import tensorflow as tf

tf.random.set_seed(22)


class GradientDescent(tf.Module):
    def __init__(self, learning_rate=1e-3):
        self.learning_rate = learning_rate
        self.title = f"Gradient descent optimizer: learning rate={self.learning_rate}"

    def apply_gradients(self, grads, vars):
        for grad, var in zip(grads, vars):
            var.assign_sub(self.learning_rate * grad)


class Momentum(tf.Module):
    def __init__(self, learning_rate=1e-3, momentum=0.7):
        self.learning_rate = learning_rate
        self.momentum = momentum
        self.change = 0.0
        self.title = f"Gradient descent optimizer: learning rate={self.learning_rate}"

    def apply_gradients(self, grads, vars):
        for grad, var in zip(grads, vars):
            curr_change = self.learning_rate * grad + self.momentum * self.change
            var.assign_sub(curr_change)
            self.change = curr_change


class Adam(tf.Module):
    def __init__(self, learning_rate=1e-3, beta_1=0.9, beta_2=0.999, ep=1e-7):
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.learning_rate = learning_rate
        self.ep = ep
        self.t = 1.0
        self.v_dvar, self.s_dvar = [], []
        self.title = f"Adam: learning rate={self.learning_rate}"
        self.built = False

    def apply_gradients(self, grads, vars):
        if not self.built:
            for var in vars:
                v = tf.Variable(tf.zeros(shape=var.shape))
                s = tf.Variable(tf.zeros(shape=var.shape))
                self.v_dvar.append(v)
                self.s_dvar.append(s)
            self.built = True
        for i, (d_var, var) in enumerate(zip(grads, vars)):
            self.v_dvar[i].assign(self.beta_1 * self.v_dvar[i] + (1 - self.beta_1) * d_var)
            self.s_dvar[i].assign(
                self.beta_2 * self.s_dvar[i] + (1 - self.beta_2) * tf.square(d_var)
            )
            v_dvar_bc = self.v_dvar[i] / (1 - (self.beta_1**self.t))
            s_dvar_bc = self.s_dvar[i] / (1 - (self.beta_2**self.t))
            var.assign_sub(self.learning_rate * (v_dvar_bc / (tf.sqrt(s_dvar_bc) + self.ep)))
        self.t += 1.0


def loss(x):
    return 2 * (x**4) + 3 * (x**3) + 2


def grad(f, x):
    with tf.GradientTape() as tape:
        tape.watch(x)
        result = f(x)
    return tape.gradient(result, x)


def convergence_test(optimizer, loss_fn, grad_fn=grad, init_val=-2.0, max_iters=2000):
    print(optimizer.title)
    x_star = tf.Variable(init_val)
    param_path = []
    converged = False
    for iter in range(1, max_iters + 1):
        x_grad = grad_fn(loss_fn, x_star)
        if tf.math.is_nan(x_grad):
            print(f"Gradient exploded at iteration {iter}\n")
            return []
        optimizer.apply_gradients([x_grad], [x_star])
        param_path.append(x_star.numpy())
        if x_grad == 0:
            converged = True
            print(f"Converged in {iter} iterations\n")
            break
    if not converged:
        print(f"Exceeded maximum of {max_iters} iterations. Test terminated.\n")
    return param_path


# the minimum of 2x^4 + 3x^3 + 2 is at x = -9/8
path = convergence_test(GradientDescent(learning_rate=1e-3), loss_fn=loss, max_iters=3000)
assert abs(path[-1] - (-1.125)) < 0.05, path[-1]
x0 = -2.0
np.testing.assert_allclose(path[0], x0 - 1e-3 * (8 * x0**3 + 9 * x0**2), rtol=1e-6)

# from x = 2 gradient descent stalls at the saddle point x = 0 (the gradient vanishes)
stalled = convergence_test(GradientDescent(learning_rate=1e-3), loss_fn=loss, init_val=2.0)
assert 0 < stalled[-1] < 0.1, stalled[-1]

m_path = convergence_test(Momentum(learning_rate=1e-3, momentum=0.7), loss_fn=loss)
assert abs(m_path[-1] - (-1.125)) < 0.05
assert len(m_path) < len(path)  # momentum converges in fewer steps

a_path = convergence_test(Adam(learning_rate=1e-2), loss_fn=loss, max_iters=1500)
assert abs(a_path[-1] - (-1.125)) < 0.05, a_path[-1]
# Adam's first step is learning_rate * sign(gradient) (bias-corrected moments)
np.testing.assert_allclose(a_path[0], x0 + 1e-2, rtol=1e-5)


# the optimizers in a compiled training loop over a tf.Module model
class Linear(tf.Module):
    def __init__(self):
        self.w = tf.Variable(tf.random.normal([3, 1]))
        self.b = tf.Variable(tf.zeros([1]))

    @tf.function
    def __call__(self, x):
        return tf.matmul(x, self.w) + self.b


x = tf.random.normal([64, 3])
y = x @ tf.constant([[1.0], [-2.0], [0.5]]) + 3.0
model = Linear()
opt = Adam(learning_rate=0.1)
for step in range(300):
    with tf.GradientTape() as tape:
        batch_loss = tf.reduce_mean((model(x) - y) ** 2)
    grads = tape.gradient(batch_loss, model.trainable_variables)
    opt.apply_gradients(grads, model.trainable_variables)
assert float(batch_loss) < 1e-3, float(batch_loss)
np.testing.assert_allclose(model.b.numpy(), [3.0], atol=0.05)
assert len(opt.v_dvar) == 2 and len(opt.trainable_variables) == 4
