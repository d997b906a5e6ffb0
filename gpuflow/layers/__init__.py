"""Keras-style layers (``gpuflow.layers.Dense``, ...): the Layer base, built-ins, serialization."""

# -- issue 15 layers (appended) --
from .activations import ELU, Identity, LeakyReLU, PReLU, ReLU, Softmax
from .attention import AdditiveAttention, Attention, MultiHeadAttention
from .base import InputSpec, Layer, reset_name_counters
from .conv import Conv2D
from .conv1d import Conv1D, Convolution1D
from .conv_transpose import (
    Conv1DTranspose,
    Conv2DTranspose,
    Convolution1DTranspose,
    Convolution2DTranspose,
)
from .core import Activation, Dense, Dropout, Flatten, Reshape
from .depthwise_separable import DepthwiseConv2D, SeparableConv2D, SeparableConvolution2D
from .dtype_policy import DTypePolicy
from .embedding import Embedding
from .global_pooling import (
    GlobalAveragePooling1D,
    GlobalAveragePooling2D,
    GlobalAvgPool1D,
    GlobalAvgPool2D,
    GlobalMaxPool1D,
    GlobalMaxPool2D,
    GlobalMaxPooling1D,
    GlobalMaxPooling2D,
)
from .input_layer import Input, InputLayer
from .lambda_layer import Lambda
from .layer_normalization import LayerNormalization
from .masking import Masking
from .merging import (
    Add,
    Average,
    Concatenate,
    Dot,
    Maximum,
    Minimum,
    Multiply,
    Subtract,
    add,
    average,
    concatenate,
    dot,
    maximum,
    minimum,
    multiply,
    subtract,
)
from .noise import (
    ActivityRegularization,
    GaussianDropout,
    GaussianNoise,
    SpatialDropout1D,
    SpatialDropout2D,
)
from .normalization import BatchNormalization
from .normalization_extras import GroupNormalization, UnitNormalization
from .op_lambda import TFOpLambda
from .padding_cropping import Cropping1D, Cropping2D, ZeroPadding1D, ZeroPadding2D
from .pooling import AveragePooling2D, AvgPool2D, MaxPool2D, MaxPooling2D
from .pooling1d import AveragePooling1D, AvgPool1D, MaxPool1D, MaxPooling1D
from .preprocessing import (
    CategoryEncoding,
    CenterCrop,
    Discretization,
    IntegerLookup,
    Normalization,
    Rescaling,
    Resizing,
)
from .recurrent import (
    GRU,
    LSTM,
    RNN,
    Bidirectional,
    GRUCell,
    LSTMCell,
    SimpleRNN,
    SimpleRNNCell,
    TimeDistributed,
)
from .reshaping import Permute, RepeatVector
from .serialization import deserialize, get, serialize
from .upsampling import UpSampling1D, UpSampling2D

Convolution2D = Conv2D

__all__ = [
    "Activation",
    "AveragePooling2D",
    "AvgPool2D",
    "BatchNormalization",
    "Conv2D",
    "Convolution2D",
    "DTypePolicy",
    "Dense",
    "Dropout",
    "Flatten",
    "Input",
    "InputLayer",
    "InputSpec",
    "Layer",
    "MaxPool2D",
    "MaxPooling2D",
    "Reshape",
    "deserialize",
    "get",
    "reset_name_counters",
    "serialize",
    "ELU",
    "Identity",
    "LeakyReLU",
    "PReLU",
    "ReLU",
    "Softmax",
    "Conv1D",
    "Convolution1D",
    "Conv1DTranspose",
    "Conv2DTranspose",
    "Convolution1DTranspose",
    "Convolution2DTranspose",
    "DepthwiseConv2D",
    "SeparableConv2D",
    "SeparableConvolution2D",
    "Embedding",
    "GlobalAveragePooling1D",
    "GlobalAveragePooling2D",
    "GlobalAvgPool1D",
    "GlobalAvgPool2D",
    "GlobalMaxPool1D",
    "GlobalMaxPool2D",
    "GlobalMaxPooling1D",
    "GlobalMaxPooling2D",
    "Lambda",
    "LayerNormalization",
    "Masking",
    "Cropping1D",
    "Cropping2D",
    "ZeroPadding1D",
    "ZeroPadding2D",
    "AveragePooling1D",
    "AvgPool1D",
    "MaxPool1D",
    "MaxPooling1D",
    "Permute",
    "RepeatVector",
    "UpSampling1D",
    "UpSampling2D",
    "GRU",
    "LSTM",
    "RNN",
    "Bidirectional",
    "GRUCell",
    "LSTMCell",
    "SimpleRNN",
    "SimpleRNNCell",
    "TimeDistributed",
    "AdditiveAttention",
    "Attention",
    "MultiHeadAttention",
    "ActivityRegularization",
    "GaussianDropout",
    "GaussianNoise",
    "SpatialDropout1D",
    "SpatialDropout2D",
    "GroupNormalization",
    "UnitNormalization",
    "CategoryEncoding",
    "CenterCrop",
    "Discretization",
    "IntegerLookup",
    "Normalization",
    "Rescaling",
    "Resizing",
    "Add",
    "Average",
    "Concatenate",
    "Dot",
    "Maximum",
    "Minimum",
    "Multiply",
    "Subtract",
    "add",
    "average",
    "concatenate",
    "dot",
    "maximum",
    "minimum",
    "multiply",
    "subtract",
    "TFOpLambda",
]

from .einsum_dense import EinsumDense  # noqa: E402,F401  (keras.layers.EinsumDense)

__all__.append("EinsumDense")

# -- image augmentation layers (appended) --
from .preprocessing import (  # noqa: E402
    RandomBrightness,
    RandomContrast,
    RandomCrop,
    RandomFlip,
    RandomRotation,
    RandomTranslation,
    RandomZoom,
)

__all__ += [
    "RandomBrightness",
    "RandomContrast",
    "RandomCrop",
    "RandomFlip",
    "RandomRotation",
    "RandomTranslation",
    "RandomZoom",
]

from .preprocessing import (  # noqa: E402
    AugMix,
    AutoContrast,
    ContrastLimitedAdaptiveHistogramEqualization,
    CutMix,
    Equalization,
    MaxNumBoundingBoxes,
    MixUp,
    RandAugment,
    RandomColorDegeneration,
    RandomColorJitter,
    RandomElasticTransform,
    RandomErasing,
    RandomGaussianBlur,
    RandomGrayscale,
    RandomHeight,
    RandomHue,
    RandomInvert,
    RandomPerspective,
    RandomPosterization,
    RandomSaturation,
    RandomSharpness,
    RandomShear,
    RandomWidth,
    Solarization,
)

__all__ += [
    "AugMix",
    "AutoContrast",
    "ContrastLimitedAdaptiveHistogramEqualization",
    "CutMix",
    "Equalization",
    "MaxNumBoundingBoxes",
    "MixUp",
    "RandAugment",
    "RandomColorDegeneration",
    "RandomColorJitter",
    "RandomElasticTransform",
    "RandomErasing",
    "RandomGaussianBlur",
    "RandomGrayscale",
    "RandomHeight",
    "RandomHue",
    "RandomInvert",
    "RandomPerspective",
    "RandomPosterization",
    "RandomSaturation",
    "RandomSharpness",
    "RandomShear",
    "RandomWidth",
    "Solarization",
]

# -- 3-D layers (appended) --
from .conv3d import Conv3D, Convolution3D  # noqa: E402
from .global_pooling import (  # noqa: E402
    GlobalAveragePooling3D,
    GlobalAvgPool3D,
    GlobalMaxPool3D,
    GlobalMaxPooling3D,
)
from .padding_cropping import Cropping3D, ZeroPadding3D  # noqa: E402
from .pooling3d import AveragePooling3D, AvgPool3D, MaxPool3D, MaxPooling3D  # noqa: E402
from .upsampling import UpSampling3D  # noqa: E402

__all__ += [
    "AveragePooling3D",
    "AvgPool3D",
    "Conv3D",
    "Convolution3D",
    "Cropping3D",
    "GlobalAveragePooling3D",
    "GlobalAvgPool3D",
    "GlobalMaxPool3D",
    "GlobalMaxPooling3D",
    "MaxPool3D",
    "MaxPooling3D",
    "UpSampling3D",
    "ZeroPadding3D",
]

# Text preprocessing (gpuflow/layers/preprocessing: string_lookup, text_vectorization, hashing)
from .preprocessing.hashed_crossing import HashedCrossing  # noqa: E402
from .preprocessing.hashing import Hashing  # noqa: E402
from .preprocessing.string_lookup import StringLookup  # noqa: E402
from .preprocessing.text_vectorization import TextVectorization  # noqa: E402

__all__ += ["StringLookup", "TextVectorization"]

from .alpha_dropout import AlphaDropout  # noqa: E402,F401

__all__.append("AlphaDropout")

from .recurrent import StackedRNNCells  # noqa: E402,F401

__all__.append("StackedRNNCells")

from .pipeline import Pipeline  # noqa: E402,F401
from .spectral_normalization import SpectralNormalization  # noqa: E402,F401

__all__ += ["Pipeline", "SpectralNormalization"]

from .thresholded_relu import ThresholdedReLU  # noqa: E402,F401

__all__.append("ThresholdedReLU")

__all__ += ["HashedCrossing", "Hashing", "StringLookup", "TextVectorization"]

from .recurrent import ConvLSTM1D, ConvLSTM2D, ConvLSTM3D  # noqa: E402,F401

__all__ += ["ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D"]

from .keras3_extras import (  # noqa: E402,F401
    DepthwiseConv1D,
    RMSNormalization,
    SeparableConv1D,
    SeparableConvolution1D,
    SpatialDropout3D,
)

__all__ += [
    "DepthwiseConv1D",
    "RMSNormalization",
    "SeparableConv1D",
    "SeparableConvolution1D",
    "SpatialDropout3D",
]

from .wrapper import Wrapper  # noqa: E402,F401

__all__.append("Wrapper")

from .conv3d_transpose import Conv3DTranspose, Convolution3DTranspose  # noqa: E402,F401

__all__ += ["Conv3DTranspose", "Convolution3DTranspose"]

from .reversible_embedding import ReversibleEmbedding  # noqa: E402,F401

__all__.append("ReversibleEmbedding")

from .adaptive_pooling import (  # noqa: E402,F401
    AdaptiveAveragePooling1D,
    AdaptiveAveragePooling2D,
    AdaptiveAveragePooling3D,
    AdaptiveMaxPooling1D,
    AdaptiveMaxPooling2D,
    AdaptiveMaxPooling3D,
)

__all__ += [
    "AdaptiveAveragePooling1D",
    "AdaptiveAveragePooling2D",
    "AdaptiveAveragePooling3D",
    "AdaptiveMaxPooling1D",
    "AdaptiveMaxPooling2D",
    "AdaptiveMaxPooling3D",
]

from .attention import GroupedQueryAttention, GroupQueryAttention  # noqa: E402,F401

__all__ += ["GroupQueryAttention", "GroupedQueryAttention"]

from .preprocessing.mel_spectrogram import MelSpectrogram  # noqa: E402,F401
from .preprocessing.stft_spectrogram import STFTSpectrogram  # noqa: E402,F401

__all__ += ["MelSpectrogram", "STFTSpectrogram"]
