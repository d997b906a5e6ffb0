# Stateful metrics accumulate over batches: update_state twice, then result().
import numpy as np
import tensorflow as tf

metrics = tf.keras.metrics

precision = metrics.Precision()
precision.update_state([1, 0, 1, 1], [0.9, 0.8, 0.3, 0.6])
precision.update_state([0, 1], [0.7, 0.95])
np.testing.assert_allclose(precision.result().numpy(), 3 / 5, rtol=1e-6)

recall = metrics.Recall(thresholds=[0.5, 0.85])
recall.update_state([1, 0, 1, 1], [0.9, 0.8, 0.3, 0.6])
recall.update_state([0, 1], [0.7, 0.95])
np.testing.assert_allclose(recall.result().numpy(), [3 / 4, 2 / 4], rtol=1e-6)

auc = metrics.AUC(num_thresholds=3)
auc.update_state([0, 0, 1, 1], [0.0, 0.5, 0.3, 0.9])
np.testing.assert_allclose(auc.result().numpy(), 0.75, rtol=1e-6)

mean = metrics.Mean()
mean.update_state([1.0, 3.0])
mean.update_state([5.0], sample_weight=[2.0])
np.testing.assert_allclose(mean.result().numpy(), (1 + 3 + 10) / 4, rtol=1e-6)

rmse = metrics.RootMeanSquaredError()
rmse.update_state([[1.0], [2.0]], [[2.0], [2.0]])
rmse.update_state([[0.0]], [[3.0]])
np.testing.assert_allclose(rmse.result().numpy(), np.sqrt(10 / 3), rtol=1e-6)

top2 = metrics.SparseTopKCategoricalAccuracy(k=2)
top2.update_state([2, 0], [[0.1, 0.5, 0.4], [0.2, 0.3, 0.5]])
top2.update_state([1], [[0.6, 0.3, 0.1]])
np.testing.assert_allclose(top2.result().numpy(), 2 / 3, rtol=1e-6)

f1 = metrics.F1Score(average="micro", threshold=0.5)
f1.update_state(
    np.array([[1, 0], [0, 1]], "float32"), np.array([[0.8, 0.6], [0.2, 0.9]], "float32")
)
np.testing.assert_allclose(f1.result().numpy(), 2 * 1.0 * (2 / 3) / (1.0 + 2 / 3), rtol=1e-4)

iou = metrics.MeanIoU(num_classes=2)
iou.update_state([0, 0, 1, 1], [0, 1, 0, 1])
np.testing.assert_allclose(iou.result().numpy(), (1 / 3 + 1 / 3) / 2, rtol=1e-5)

r2 = metrics.R2Score()
r2.update_state(np.array([[1.0], [2.0], [3.0]]), np.array([[1.0], [2.0], [2.0]]))
np.testing.assert_allclose(r2.result().numpy(), 1 - 1 / 2, rtol=1e-5)

precision.reset_state()
assert float(precision.result()) == 0.0
print("metric streaming ok")
