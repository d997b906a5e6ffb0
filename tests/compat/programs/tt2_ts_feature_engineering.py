# The time-series forecasting tutorial's feature engineering on a synthetic hourly weather
# record: the -9999 wind-speed fix, wind direction and speed turned into a (Wx, Wy) vector,
# day / year sine-cosine signals from timestamps, tf.signal.rfft of the temperature showing
# its daily and yearly peaks, train-statistics normalisation, and a linear model that
# predicts the temperature from the time signals alone, where wind says nothing.
import numpy as np
import tensorflow as tf

tf.keras.utils.set_random_seed(29)
rng = np.random.default_rng(29)
hours = 24 * 365 * 2
timestamp_s = 1_262_304_000 + 3600 * np.arange(hours, dtype="float64")
day = 24 * 60 * 60
year = (365.2425) * day
temp = (
    8 * np.sin(timestamp_s * (2 * np.pi / year))
    + 4 * np.sin(timestamp_s * (2 * np.pi / day))
    + rng.normal(0, 0.5, hours)
)
wv = np.abs(rng.normal(2, 1, hours))
wv[rng.choice(hours, 20, replace=False)] = -9999.0
wd_deg = rng.uniform(0, 360, hours)

bad_wv = wv == -9999.0
wv[bad_wv] = 0.0
assert wv.min() == 0.0 and bad_wv.sum() == 20
wd_rad = wd_deg * np.pi / 180
Wx = wv * np.cos(wd_rad)
Wy = wv * np.sin(wd_rad)
np.testing.assert_allclose(np.hypot(Wx, Wy), wv, atol=1e-9)

day_sin = np.sin(timestamp_s * (2 * np.pi / day))
day_cos = np.cos(timestamp_s * (2 * np.pi / day))
year_sin = np.sin(timestamp_s * (2 * np.pi / year))
year_cos = np.cos(timestamp_s * (2 * np.pi / year))
np.testing.assert_allclose(day_sin[:24], day_sin[24:48], atol=1e-6)  # a 24-hour period

fft = tf.signal.rfft(tf.constant(temp, tf.float32))
assert fft.dtype == tf.complex64 and fft.shape == (hours // 2 + 1,)
np.testing.assert_allclose(
    np.abs(fft.numpy()), np.abs(np.fft.rfft(temp.astype("float32"))), rtol=2e-3, atol=0.5
)
f_per_dataset = np.arange(0, len(fft))
n_samples_h = len(temp)
hours_per_year = 24 * 365.2524
years_per_dataset = n_samples_h / (hours_per_year)
f_per_year = f_per_dataset / years_per_dataset
spectrum = np.abs(fft.numpy())
top_two = f_per_year[np.argsort(spectrum[1:])[-2:] + 1]
assert np.allclose(sorted(top_two), [1.0, 365.2524], rtol=0.01), top_two  # per year, per day

features = np.stack([temp, Wx, Wy, day_sin, day_cos, year_sin, year_cos], axis=1)
features = features.astype("float32")
n = len(features)
train, val = features[: int(n * 0.7)], features[int(n * 0.7) :]
train_mean, train_std = train.mean(axis=0), train.std(axis=0)
train = (train - train_mean) / train_std
val = (val - train_mean) / train_std
np.testing.assert_allclose(train.mean(axis=0), 0.0, atol=1e-4)


def fit_linear(columns):
    # the temperature of the same hour from the chosen columns
    model = tf.keras.Sequential([tf.keras.Input(shape=(len(columns),)), tf.keras.layers.Dense(1)])
    model.compile(loss="mse", optimizer=tf.keras.optimizers.Adam(0.02))
    model.fit(train[:, columns], train[:, 0], batch_size=256, epochs=8, verbose=0)
    return model.evaluate(val[:, columns], val[:, 0], verbose=0)


wind_only = fit_linear([1, 2])
time_only = fit_linear([3, 4, 5, 6])
print("temperature mse: wind only", wind_only, "time signals only", time_only)
# the temperature is a daily plus a yearly cycle: the time signals explain almost all of it
assert time_only < 0.1 and wind_only > 0.5, (wind_only, time_only)
print("time series feature engineering ok")
