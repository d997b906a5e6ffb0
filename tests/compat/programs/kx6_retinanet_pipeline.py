# keras.io "Object Detection with RetinaNet", shrunk: anchor boxes tiled by sizes that are
# float tensors (tf.math.ceil(height / stride) in a tf.tile / tf.reshape size list, which
# TensorFlow casts to int), pairwise IOU, a tf.data pipeline of images of varying sizes with
# a Python `if` on a random tensor in map, padded_batch with padding_values (its spec keeps
# the known sizes: 3 channels, 4 box coordinates), label encoding through a TensorArray in a second
# map, custom reduction="none" losses wrapped in a focal + smooth-L1 loss, a subclassed
# detector on a tiny functional backbone trained with PiecewiseConstantDecay SGD, and
# tf.image.combined_non_max_suppression on its decoded boxes, also as an inference model
# whose decoder layer takes the image and the predictions computed from it.
import keras
import numpy as np
import tensorflow as tf

keras.utils.set_random_seed(5)
tf.random.set_seed(5)
STRIDES = (8, 16)
NUM_ANCHORS = 2
NUM_CLASSES = 3


def to_corners(boxes):
    return tf.concat(
        [boxes[..., :2] - boxes[..., 2:] / 2.0, boxes[..., :2] + boxes[..., 2:] / 2.0], -1
    )


def iou(a, b):
    ca, cb = to_corners(a), to_corners(b)
    lu = tf.maximum(ca[:, None, :2], cb[:, :2])
    rd = tf.minimum(ca[:, None, 2:], cb[:, 2:])
    inter = tf.maximum(0.0, rd - lu)
    inter = inter[:, :, 0] * inter[:, :, 1]
    union = tf.maximum(a[:, None, 2] * a[:, None, 3] + b[:, 2] * b[:, 3] - inter, 1e-8)
    return tf.clip_by_value(inter / union, 0.0, 1.0)


np.testing.assert_allclose(
    iou(tf.constant([[5.0, 5.0, 4.0, 4.0]]), tf.constant([[6.0, 5.0, 4.0, 4.0], [50, 50, 2, 2]])),
    [[0.6, 0.0]],
    atol=1e-6,
)


def anchors_for(height, width):
    out = []
    for stride in STRIDES:
        fh = tf.math.ceil(height / stride)  # float tensors used as sizes below
        fw = tf.math.ceil(width / stride)
        centers = tf.stack(tf.meshgrid(tf.range(fw) + 0.5, tf.range(fh) + 0.5), -1) * stride
        centers = tf.tile(tf.expand_dims(centers, -2), [1, 1, NUM_ANCHORS, 1])
        dims = tf.reshape(tf.constant([[stride * 2.0] * 2, [stride * 4.0] * 2]), [1, 1, 2, 2])
        dims = tf.tile(dims, [fh, fw, 1, 1])
        out.append(tf.reshape(tf.concat([centers, dims], -1), [fh * fw * NUM_ANCHORS, 4]))
    return tf.concat(out, 0)


anchors = anchors_for(32.0, 48.0)
assert tuple(anchors.shape) == ((4 * 6 + 2 * 3) * NUM_ANCHORS, 4)
np.testing.assert_allclose(anchors[:2].numpy(), [[4, 4, 16, 16], [4, 4, 32, 32]])
np.testing.assert_allclose(anchors[-1].numpy(), [40, 24, 64, 64])
assert tuple(tf.tile(tf.ones((1, 2)), [tf.constant(2.9), 1]).shape) == (2, 2)  # cast down

rng = np.random.default_rng(0)
samples = []
for k in range(6):
    h, w = (32, 40) if k % 2 else (40, 32)
    n = 1 + k % 3
    y0, x0 = rng.uniform(0, 0.5, n), rng.uniform(0, 0.5, n)
    boxes = np.stack([y0, x0, y0 + 0.4, x0 + 0.45], -1).astype("float32")
    labels = rng.integers(0, NUM_CLASSES, n)
    samples.append((rng.uniform(0, 255, (h, w, 3)).astype("float32"), boxes, labels))


def gen():
    yield from samples


signature = (
    tf.TensorSpec((None, None, 3), tf.float32),
    tf.TensorSpec((None, 4), tf.float32),
    tf.TensorSpec((None,), tf.int64),
)


def preprocess(image, boxes, labels):
    boxes = tf.stack([boxes[:, 1], boxes[:, 0], boxes[:, 3], boxes[:, 2]], -1)  # to x, y
    if tf.random.uniform(()) > 0.5:
        image = tf.image.flip_left_right(image)
        boxes = tf.stack([1 - boxes[:, 2], boxes[:, 1], 1 - boxes[:, 0], boxes[:, 3]], -1)
    shape = tf.cast(tf.shape(image)[:2], tf.float32)
    image = tf.image.pad_to_bounding_box(image, 0, 0, 48, 48)
    boxes = tf.stack(
        [
            boxes[:, 0] * shape[1],
            boxes[:, 1] * shape[0],
            boxes[:, 2] * shape[1],
            boxes[:, 3] * shape[0],
        ],
        -1,
    )
    xywh = tf.concat([(boxes[:, :2] + boxes[:, 2:]) / 2.0, boxes[:, 2:] - boxes[:, :2]], -1)
    return image, xywh, tf.cast(labels, tf.int32)


def encode_batch(images, boxes, labels):
    shape = tf.shape(images)
    anchor_boxes = anchors_for(tf.cast(shape[1], tf.float32), tf.cast(shape[2], tf.float32))
    targets = tf.TensorArray(tf.float32, size=shape[0], dynamic_size=True)
    for i in range(shape[0]):
        overlap = iou(anchor_boxes, boxes[i])
        best = tf.argmax(overlap, axis=1)
        best_iou = tf.reduce_max(overlap, axis=1)
        matched = tf.gather(boxes[i], best)
        box_target = tf.concat(
            [
                (matched[:, :2] - anchor_boxes[:, :2]) / anchor_boxes[:, 2:],
                tf.math.log(matched[:, 2:] / anchor_boxes[:, 2:]),
            ],
            -1,
        )
        cls = tf.gather(tf.cast(labels[i], tf.float32), best)
        cls = tf.where(best_iou >= 0.5, cls, tf.where(best_iou < 0.4, -1.0, -2.0))
        targets = targets.write(i, tf.concat([box_target, cls[:, None]], -1))
    return keras.applications.resnet.preprocess_input(images), targets.stack()


ds = tf.data.Dataset.from_generator(gen, output_signature=signature).map(preprocess)
padded = ds.padded_batch(2, padding_values=(0.0, 1e-8, -1), drop_remainder=True)
spec = padded.element_spec
assert [tuple(s.shape) for s in spec] == [(2, 48, 48, 3), (2, None, 4), (2, None)]
raw_spec = (
    tf.data.Dataset.from_generator(gen, output_signature=signature).padded_batch(2).element_spec
)
assert [tuple(s.shape) for s in raw_spec] == [(None, None, None, 3), (None, None, 4), (None, None)]
assert [s.dtype for s in spec] == [tf.float32, tf.float32, tf.int32]
imgs, boxes, labels = next(iter(padded))
assert tuple(imgs.shape) == (2, 48, 48, 3) and boxes.shape[1] == labels.shape[1] == 2
assert labels.numpy()[0, 1] == -1 and np.allclose(boxes.numpy()[0, 1], 1e-8)  # the padding
train = padded.map(encode_batch).prefetch(2)
x, y = next(iter(train))
assert tuple(y.shape) == (2, (36 + 9) * NUM_ANCHORS, 5) and y.dtype == tf.float32
assert set(np.unique(y.numpy()[..., 4])) <= {-2.0, -1.0, 0.0, 1.0, 2.0}
caffe = keras.applications.resnet.preprocess_input(tf.constant([[[[10.0, 20.0, 30.0]]]]))
np.testing.assert_allclose(
    caffe.numpy().ravel(), [30 - 103.939, 20 - 116.779, 10 - 123.68], atol=1e-4
)


class BoxLoss(keras.losses.Loss):
    def __init__(self):
        super().__init__(reduction="none", name="box_loss")

    def call(self, y_true, y_pred):
        diff = tf.abs(y_true - y_pred)
        return tf.reduce_sum(tf.where(diff < 1.0, 0.5 * diff**2, diff - 0.5), -1)


class FocalLoss(keras.losses.Loss):
    def __init__(self):
        super().__init__(reduction="none", name="focal_loss")

    def call(self, y_true, y_pred):
        ce = tf.nn.sigmoid_cross_entropy_with_logits(labels=y_true, logits=y_pred)
        p = tf.nn.sigmoid(y_pred)
        pt = tf.where(tf.equal(y_true, 1.0), p, 1 - p)
        alpha = tf.where(tf.equal(y_true, 1.0), 0.25, 0.75)
        return tf.reduce_sum(alpha * tf.pow(1.0 - pt, 2.0) * ce, -1)


class DetectionLoss(keras.losses.Loss):
    def __init__(self):
        super().__init__(name="detection_loss")
        self.box, self.focal = BoxLoss(), FocalLoss()

    def call(self, y_true, y_pred):
        positive = tf.cast(y_true[:, :, 4] > -1.0, tf.float32)
        ignore = tf.cast(tf.equal(y_true[:, :, 4], -2.0), tf.float32)
        onehot = tf.one_hot(tf.cast(y_true[:, :, 4], tf.int32), NUM_CLASSES)
        clf = tf.where(ignore == 1.0, 0.0, self.focal(onehot, y_pred[:, :, 4:]))
        box = tf.where(positive == 1.0, self.box(y_true[:, :, :4], y_pred[:, :, :4]), 0.0)
        n = tf.reduce_sum(positive, -1)
        return tf.math.divide_no_nan(tf.reduce_sum(clf, -1) + tf.reduce_sum(box, -1), n)


per_anchor = BoxLoss()(tf.zeros((1, 2, 4)), tf.constant([[[0.5, 0, 0, 0], [2.0, 0, 0, 0]]]))
np.testing.assert_allclose(per_anchor.numpy(), [[0.125, 1.5]])


def backbone():
    inputs = keras.Input((None, None, 3))
    c3 = keras.layers.Conv2D(4, 3, strides=8, padding="same", name="c3")(inputs)
    c4 = keras.layers.Conv2D(4, 3, strides=2, padding="same", name="c4")(c3)
    return keras.Model(inputs, [c3, c4])


def head(filters, bias):
    return keras.Sequential(
        [
            keras.Input((None, None, 4)),
            keras.layers.Conv2D(4, 3, padding="same", activation="relu"),
            keras.layers.Conv2D(filters, 3, padding="same", bias_initializer=bias),
        ]
    )


class Detector(keras.Model):
    def __init__(self):
        super().__init__(name="Detector")
        self.backbone = backbone()
        self.cls_head = head(NUM_ANCHORS * NUM_CLASSES, keras.initializers.Constant(-np.log(99.0)))
        self.box_head = head(NUM_ANCHORS * 4, "zeros")

    def call(self, images, training=False):
        n = tf.shape(images)[0]
        boxes, classes = [], []
        for feature in self.backbone(images / 255.0, training=training):
            boxes.append(tf.reshape(self.box_head(feature), [n, -1, 4]))
            classes.append(tf.reshape(self.cls_head(feature), [n, -1, NUM_CLASSES]))
        return tf.concat([tf.concat(boxes, 1), tf.concat(classes, 1)], -1)


schedule = keras.optimizers.schedules.PiecewiseConstantDecay([1, 2], [1e-3, 5e-4, 1e-4])
assert [round(float(schedule(s)), 6) for s in range(4)] == [0.001, 0.001, 0.0005, 0.0001]
model = Detector()
model.compile(loss=DetectionLoss(), optimizer=keras.optimizers.SGD(schedule, momentum=0.9))
history = model.fit(train, epochs=2, verbose=0)
assert len(history.history["loss"]) == 2 and np.isfinite(history.history["loss"]).all()
assert len(list(train)) == 3  # 6 samples in batches of 2

pred = model(x, training=False)
assert tuple(pred.shape) == tuple(y.shape[:2]) + (4 + NUM_CLASSES,)
anchor_boxes = anchors_for(48.0, 48.0)[None]
decoded = tf.concat(
    [
        pred[:, :, :2] * anchor_boxes[:, :, 2:] + anchor_boxes[:, :, :2],
        tf.math.exp(pred[:, :, 2:4]) * anchor_boxes[:, :, 2:],
    ],
    -1,
)
nms = tf.image.combined_non_max_suppression(
    tf.expand_dims(to_corners(decoded), 2),
    tf.nn.sigmoid(pred[:, :, 4:]),
    5,
    5,
    0.5,
    0.0,
    clip_boxes=False,
)
assert tuple(nms.nmsed_boxes.shape) == (2, 5, 4) and tuple(nms.nmsed_scores.shape) == (2, 5)
assert nms.nmsed_classes.dtype == tf.float32 and nms.valid_detections.dtype == tf.int32
scores = nms.nmsed_scores.numpy()
assert (np.diff(scores, axis=1) <= 1e-6).all()  # best first


class Decode(keras.layers.Layer):
    """The detections of ``predictions`` for ``images``: anchors follow the image size."""

    def call(self, images, predictions):
        shape = tf.cast(tf.shape(images), tf.float32)
        anchor_boxes = anchors_for(shape[1], shape[2])[None]
        centers = predictions[:, :, :2] * anchor_boxes[:, :, 2:] + anchor_boxes[:, :, :2]
        sizes = tf.math.exp(predictions[:, :, 2:4]) * anchor_boxes[:, :, 2:]
        corners = to_corners(tf.concat([centers, sizes], -1))
        return tf.image.combined_non_max_suppression(
            tf.expand_dims(corners, 2), tf.nn.sigmoid(predictions[:, :, 4:]), 4, 4, 0.5, 0.0
        )


# the inference model: an Input of any size, the detector, then the decoder given both the
# image and the predictions (whose number of anchors follows the image's size)
image = keras.Input(shape=[None, None, 3], name="image")
inference = keras.Model(image, Decode()(image, model(image, training=False)))
detections = inference.predict(x.numpy()[:1], verbose=0)
assert type(detections).__name__ == "CombinedNonMaxSuppression"
assert detections.nmsed_boxes.shape == (1, 4, 4) and int(detections.valid_detections[0]) == 4
np.testing.assert_allclose(detections.nmsed_scores[0], nms.nmsed_scores.numpy()[0, :4], rtol=1e-4)
print("ok")
