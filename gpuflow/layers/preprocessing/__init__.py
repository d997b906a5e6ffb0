"""Preprocessing layers: Rescaling, CenterCrop, Resizing, Normalization, Discretization,
CategoryEncoding, IntegerLookup."""

from .category_encoding import CategoryEncoding
from .discretization import Discretization
from .hashed_crossing import HashedCrossing
from .hashing import Hashing
from .integer_lookup import IntegerLookup
from .normalization import Normalization
from .rescaling import Rescaling
from .resizing import CenterCrop, Resizing
from .string_lookup import StringLookup
from .text_vectorization import TextVectorization

__all__ = [
    "CategoryEncoding",
    "CenterCrop",
    "Discretization",
    "HashedCrossing",
    "Hashing",
    "IntegerLookup",
    "Normalization",
    "Rescaling",
    "Resizing",
    "StringLookup",
    "TextVectorization",
]

from .random_color import RandomBrightness, RandomContrast  # noqa: E402
from .random_geometry import (  # noqa: E402
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

from .auto_tone import AutoContrast, Equalization  # noqa: E402
from .clahe import ContrastLimitedAdaptiveHistogramEqualization  # noqa: E402
from .max_num_bounding_boxes import MaxNumBoundingBoxes  # noqa: E402
from .mixing import CutMix, MixUp  # noqa: E402
from .policies import AugMix, RandAugment  # noqa: E402
from .random_elastic import RandomElasticTransform  # noqa: E402
from .random_hsv import RandomColorJitter, RandomHue, RandomSaturation  # noqa: E402
from .random_occlusion import RandomErasing, RandomGaussianBlur  # noqa: E402
from .random_size import RandomHeight, RandomWidth  # noqa: E402
from .random_tone import (  # noqa: E402
    RandomColorDegeneration,
    RandomGrayscale,
    RandomInvert,
    RandomPosterization,
    RandomSharpness,
    Solarization,
)
from .random_warp import RandomPerspective, RandomShear  # noqa: E402

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
