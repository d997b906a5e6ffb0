"""``keras.applications``: image classification models with Keras' architectures, layer
names and weights files (``weights=None``, ``"imagenet"`` or a Keras ``.h5`` path).

``"imagenet"`` downloads Keras' file once into ``~/.keras/models`` (``utils.get_file``);
offline, a clear OSError names the file and its URL. Each module also has
``preprocess_input`` and ``decode_predictions`` as Keras'.
"""

# MobileNetV3 and ConvNeXt (ported from Keras 3.15)
from . import (  # noqa: F401  # noqa: E402,F401
    convnext,
    densenet,
    efficientnet,
    imagenet_utils,
    inception_v3,
    mobilenet,
    mobilenet_v2,
    mobilenet_v3,
    resnet,
    resnet50,
    resnet_v2,
    vgg16,
    vgg19,
    xception,
)
from .convnext import (  # noqa: E402,F401
    ConvNeXtBase,
    ConvNeXtLarge,
    ConvNeXtSmall,
    ConvNeXtTiny,
    ConvNeXtXLarge,
)
from .densenet import DenseNet121, DenseNet169, DenseNet201  # noqa: F401
from .efficientnet import (  # noqa: F401
    EfficientNetB0,
    EfficientNetB1,
    EfficientNetB2,
    EfficientNetB3,
    EfficientNetB4,
    EfficientNetB5,
    EfficientNetB6,
    EfficientNetB7,
)
from .inception_v3 import InceptionV3  # noqa: F401
from .mobilenet import MobileNet  # noqa: F401
from .mobilenet_v2 import MobileNetV2  # noqa: F401
from .mobilenet_v3 import MobileNetV3Large, MobileNetV3Small  # noqa: E402,F401
from .resnet import ResNet50, ResNet101, ResNet152  # noqa: F401
from .resnet_v2 import ResNet50V2, ResNet101V2, ResNet152V2  # noqa: F401
from .vgg16 import VGG16  # noqa: F401
from .vgg19 import VGG19  # noqa: F401
from .xception import Xception  # noqa: F401

# isort: split
# EfficientNetV2, InceptionResNetV2, NASNet
from . import efficientnet_v2, inception_resnet_v2, nasnet  # noqa: F401
from .efficientnet_v2 import (  # noqa: F401
    EfficientNetV2B0,
    EfficientNetV2B1,
    EfficientNetV2B2,
    EfficientNetV2B3,
    EfficientNetV2L,
    EfficientNetV2M,
    EfficientNetV2S,
)
from .inception_resnet_v2 import InceptionResNetV2  # noqa: F401
from .nasnet import NASNetLarge, NASNetMobile  # noqa: F401
