"""``keras.utils.FeatureSpace``: one object that indexes, normalizes, hashes, crosses and
encodes the columns of structured data (a dict of features), as Keras 3's.

Each feature is a :class:`Feature` (a dtype, a preprocessing layer and an output mode); each
feature cross a :class:`Cross` (a HashedCrossing). ``adapt`` learns the preprocessors' state
from a Dataset of dicts; calling the FeatureSpace on a dict encodes it (concatenated, or a
dict); ``get_inputs`` / ``get_encoded_features`` give the same computation on ``keras.Input``
tensors, for a functional model.
"""

from __future__ import annotations

from ... import nest
from ...ops.creation import convert_to_tensor
from ...ops.shape import concat, expand_dims, reshape, squeeze
from ...tensor import Tensor
from ..base import Layer
from ..input_layer import Input
from ..naming import unique_name
from .category_encoding import CategoryEncoding
from .discretization import Discretization
from .hashed_crossing import HashedCrossing
from .hashing import Hashing
from .integer_lookup import IntegerLookup
from .normalization import Normalization
from .rescaling import Rescaling
from .string_lookup import StringLookup
from .text_vectorization import TextVectorization

_FEATURE_TYPES = (
    "float",
    "float_normalized",
    "float_rescaled",
    "float_discretized",
    "integer_categorical",
    "string_categorical",
    "integer_hashed",
    "string_hashed",
)


class Cross:
    """A feature cross: the named features hashed together into ``crossing_dim`` bins."""

    def __init__(self, feature_names, crossing_dim, output_mode="one_hot") -> None:
        if output_mode not in {"int", "one_hot"}:
            raise ValueError(
                "FeatureSpace.cross: invalid value for argument `output_mode`. Expected one "
                f"of {{'int', 'one_hot'}}. Received: output_mode={output_mode!r}"
            )
        self.feature_names = tuple(feature_names)
        self.crossing_dim = crossing_dim
        self.output_mode = output_mode

    @property
    def name(self) -> str:
        return "_X_".join(self.feature_names)

    def get_config(self) -> dict:
        return {
            "feature_names": list(self.feature_names),
            "crossing_dim": self.crossing_dim,
            "output_mode": self.output_mode,
        }

    @classmethod
    def from_config(cls, config):
        return cls(**config)


class Feature:
    """One feature: its input dtype, its preprocessing layer, and its output mode
    (``"int"``, ``"one_hot"`` or ``"float"``)."""

    def __init__(self, dtype, preprocessor, output_mode) -> None:
        if output_mode not in {"int", "one_hot", "float"}:
            raise ValueError(
                "FeatureSpace.feature: invalid value for argument `output_mode`. Expected one "
                f"of {{'int', 'one_hot', 'float'}}. Received: output_mode={output_mode!r}"
            )
        self.dtype = dtype
        if isinstance(preprocessor, dict):
            from ...saving.keras_objects import deserialize_keras_object

            preprocessor = deserialize_keras_object(preprocessor)
        if not isinstance(preprocessor, Layer):
            raise TypeError(
                "FeatureSpace.feature: `preprocessor` must be a Keras layer, received "
                f"{type(preprocessor).__name__}"
            )
        self.preprocessor = preprocessor
        self.output_mode = output_mode

    def get_config(self) -> dict:
        from ...saving.keras_objects import serialize_keras_object

        return {
            "dtype": self.dtype,
            "preprocessor": serialize_keras_object(self.preprocessor),
            "output_mode": self.output_mode,
        }

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def _deserialize_spec(value, kind: str, where: str):
    """A Feature or Cross from its serialized form (a dict with ``class_name``)."""
    cls = {"Feature": Feature, "Cross": Cross}[kind]
    if value.get("class_name") != kind or not isinstance(value.get("config"), dict):
        raise ValueError(
            f"FeatureSpace: expected a serialized {kind} for {where}, received {value!r}"
        )
    return cls.from_config(dict(value["config"]))


class TFDIdentity(Layer):
    """The preprocessor of a plain ``"float"`` feature: its input, cast to float32."""

    def call(self, inputs):
        return inputs


class TFDConcat(Layer):
    """Concatenates the encoded features (one or more) along ``axis``."""

    def __init__(self, axis=-1, **kwargs) -> None:
        super().__init__(**kwargs)
        self.axis = int(axis)

    def call(self, inputs):
        return concat(list(inputs), axis=self.axis)

    def compute_output_shape(self, input_shape) -> tuple:
        shapes = [tuple(s) for s in input_shape]
        axis = self.axis % len(shapes[0])
        sizes = [s[axis] for s in shapes]
        out = list(shapes[0])
        out[axis] = None if None in sizes else sum(sizes)
        return tuple(out)

    def get_config(self) -> dict:
        return {**super().get_config(), "axis": self.axis}


def _keras_spec(obj) -> dict:
    """A Feature or Cross serialized as Keras writes it (so Keras can load the file)."""
    return {
        "module": "keras.src.layers.preprocessing.feature_space",
        "class_name": type(obj).__name__,
        "config": obj.get_config(),
        "registered_name": None,
    }


class FeatureSpace(Layer):
    """One-stop preprocessing and encoding of structured data, as ``keras.utils.FeatureSpace``.

    Args:
        features: ``{name: type}`` where a type is a name (``"float"``, ``"float_normalized"``,
            ``"float_rescaled"``, ``"float_discretized"``, ``"integer_categorical"``,
            ``"string_categorical"``, ``"integer_hashed"``, ``"string_hashed"``) or a
            :class:`Feature` from ``FeatureSpace.float_normalized()`` and the like.
        output_mode: ``"concat"`` (one vector of all encoded features) or ``"dict"``.
        crosses: features to cross, ``[("a", "b")]`` or ``FeatureSpace.cross(...)`` objects.
        crossing_dim: the number of hashing bins of a cross given as a tuple (default 32).
        hashing_dim: the bins of ``"integer_hashed"`` / ``"string_hashed"`` (default 32).
        num_discretization_bins: the bins of ``"float_discretized"`` (default 32).

    Raises:
        ValueError: for empty features, an unknown feature type or output mode, or a cross
            naming a feature that is not in ``features``.
    """

    _allow_non_tensor_positional_args = True  # as Keras' data layers: lists, strings

    # -- feature constructors (Keras' classmethods) ---------------------------------------------
    @classmethod
    def cross(cls, feature_names, crossing_dim, output_mode="one_hot"):
        return Cross(feature_names, crossing_dim, output_mode=output_mode)

    @classmethod
    def feature(cls, dtype, preprocessor, output_mode):
        return Feature(dtype, preprocessor, output_mode)

    @classmethod
    def float(cls, name=None):
        name = name or unique_name("float")
        preprocessor = TFDIdentity(dtype="float32", name=f"{name}_preprocessor")
        return Feature(dtype="float32", preprocessor=preprocessor, output_mode="float")

    @classmethod
    def float_rescaled(cls, scale=1.0, offset=0.0, name=None):
        name = name or unique_name("float_rescaled")
        preprocessor = Rescaling(scale=scale, offset=offset, name=f"{name}_preprocessor")
        return Feature(dtype="float32", preprocessor=preprocessor, output_mode="float")

    @classmethod
    def float_normalized(cls, name=None):
        name = name or unique_name("float_normalized")
        preprocessor = Normalization(axis=-1, name=f"{name}_preprocessor")
        return Feature(dtype="float32", preprocessor=preprocessor, output_mode="float")

    @classmethod
    def float_discretized(cls, num_bins, bin_boundaries=None, output_mode="one_hot", name=None):
        name = name or unique_name("float_discretized")
        preprocessor = Discretization(
            num_bins=num_bins, bin_boundaries=bin_boundaries, name=f"{name}_preprocessor"
        )
        return Feature(dtype="float32", preprocessor=preprocessor, output_mode=output_mode)

    @classmethod
    def integer_categorical(
        cls, max_tokens=None, num_oov_indices=1, output_mode="one_hot", name=None
    ):
        name = name or unique_name("integer_categorical")
        preprocessor = IntegerLookup(
            name=f"{name}_preprocessor", max_tokens=max_tokens, num_oov_indices=num_oov_indices
        )
        return Feature(dtype="int32", preprocessor=preprocessor, output_mode=output_mode)

    @classmethod
    def string_categorical(
        cls, max_tokens=None, num_oov_indices=1, output_mode="one_hot", name=None
    ):
        name = name or unique_name("string_categorical")
        preprocessor = StringLookup(
            name=f"{name}_preprocessor", max_tokens=max_tokens, num_oov_indices=num_oov_indices
        )
        return Feature(dtype="string", preprocessor=preprocessor, output_mode=output_mode)

    @classmethod
    def string_hashed(cls, num_bins, output_mode="one_hot", name=None):
        name = name or unique_name("string_hashed")
        preprocessor = Hashing(name=f"{name}_preprocessor", num_bins=num_bins)
        return Feature(dtype="string", preprocessor=preprocessor, output_mode=output_mode)

    @classmethod
    def integer_hashed(cls, num_bins, output_mode="one_hot", name=None):
        name = name or unique_name("integer_hashed")
        preprocessor = Hashing(name=f"{name}_preprocessor", num_bins=num_bins)
        return Feature(dtype="int32", preprocessor=preprocessor, output_mode=output_mode)

    # -- construction ---------------------------------------------------------------------------
    def __init__(
        self,
        features,
        output_mode="concat",
        crosses=None,
        crossing_dim=32,
        hashing_dim=32,
        num_discretization_bins=32,
        name=None,
        **kwargs,
    ) -> None:
        for key in ("trainable", "dtype"):  # what Layer.get_config may add; not Keras' config
            kwargs.pop(key, None)
        super().__init__(name=name, **kwargs)
        if not features:
            raise ValueError("FeatureSpace: the `features` argument cannot be None or empty.")
        if not isinstance(features, dict):
            raise TypeError(
                "FeatureSpace: `features` must be a dict {name: feature type}, received "
                f"{type(features).__name__}"
            )
        self.crossing_dim = crossing_dim
        self.hashing_dim = hashing_dim
        self.num_discretization_bins = num_discretization_bins
        self.features = {
            name: self._standardize_feature(name, value) for name, value in features.items()
        }
        self.crosses = []
        for cross in crosses or ():
            if isinstance(cross, dict):
                cross = _deserialize_spec(cross, "Cross", "a cross")
            if not isinstance(cross, Cross):
                if not crossing_dim:
                    raise ValueError(
                        "FeatureSpace: when specifying `crosses`, the argument `crossing_dim` "
                        "(dimensionality of the crossing space) should be specified as well."
                    )
                cross = Cross(cross, crossing_dim=crossing_dim)
            unknown = [key for key in cross.feature_names if key not in self.features]
            if unknown:
                raise ValueError(
                    "FeatureSpace: all features referenced in the `crosses` argument should "
                    "be present in the `features` dict. Received unknown features: "
                    f"{list(cross.feature_names)}"
                )
            self.crosses.append(cross)
        self.crosses_by_name = {cross.name: cross for cross in self.crosses}
        if output_mode not in {"dict", "concat"}:
            raise ValueError(
                "FeatureSpace: invalid value for argument `output_mode`. Expected one of "
                f"{{'dict', 'concat'}}. Received: output_mode={output_mode!r}"
            )
        self.output_mode = output_mode
        self.inputs = {
            name: Input(shape=(1,), dtype=feature.dtype, name=name)
            for name, feature in self.features.items()
        }
        self.preprocessors = {name: feature.preprocessor for name, feature in self.features.items()}
        self.encoded_features = None
        self.crossers = {
            cross.name: HashedCrossing(cross.crossing_dim, name=cross.name)
            for cross in self.crosses
        }
        self.one_hot_encoders = {}
        self._is_adapted = False
        self.concat = None
        self._preprocessed_features_names = None
        self._crossed_features_names = None
        self._sublayers_built = False

    def _standardize_feature(self, name, feature):
        if isinstance(feature, Feature):
            return feature
        if isinstance(feature, dict):
            return _deserialize_spec(feature, "Feature", f"feature {name!r}")
        if feature == "float":
            return self.float(name=name)
        if feature == "float_normalized":
            return self.float_normalized(name=name)
        if feature == "float_rescaled":
            return self.float_rescaled(name=name)
        if feature == "float_discretized":
            return self.float_discretized(name=name, num_bins=self.num_discretization_bins)
        if feature == "integer_categorical":
            return self.integer_categorical(name=name)
        if feature == "string_categorical":
            return self.string_categorical(name=name)
        if feature == "integer_hashed":
            return self.integer_hashed(self.hashing_dim, name=name)
        if feature == "string_hashed":
            return self.string_hashed(self.hashing_dim, name=name)
        raise ValueError(
            f"FeatureSpace: invalid feature type for {name!r}: {feature!r}; expected one of "
            f"{', '.join(_FEATURE_TYPES)} or a FeatureSpace.feature(...)"
        )

    # -- adapt ---------------------------------------------------------------------------------
    def _list_adaptable_preprocessors(self) -> list:
        names = []
        for name in self.features:
            preprocessor = self.preprocessors[name]
            # Given statistics or a given vocabulary leave nothing to learn.
            if isinstance(preprocessor, Normalization) and preprocessor.input_mean is not None:
                continue
            if isinstance(preprocessor, TextVectorization) and preprocessor._has_input_vocabulary:
                continue
            if isinstance(preprocessor, Discretization) and preprocessor.num_bins is None:
                continue
            if hasattr(preprocessor, "adapt"):
                names.append(name)
        return names

    def adapt(self, dataset, verbose=0) -> None:
        """Learn each preprocessor's state (vocabularies, statistics, bin boundaries).

        Args:
            dataset: a ``tf.data.Dataset`` of feature dicts (batched or not), or a dict of
                arrays / lists (one value per sample).
            verbose: 1 shows a progress bar, one step per adapted feature (Keras 3.16's
                argument; off by default, as Keras 3.15 shows none).

        Raises:
            ValueError: for anything else, or a dataset whose elements lack a feature.
        """
        from ...data import Dataset

        if not isinstance(dataset, Dataset):
            if not isinstance(dataset, dict):
                raise ValueError(
                    "FeatureSpace.adapt: `adapt()` can only be called on a tf.data.Dataset or "
                    f"a dict of arrays/lists. Received instead: {dataset!r} "
                    f"(of type {type(dataset)})"
                )
            dataset = Dataset.from_tensor_slices(dataset)
        names = self._list_adaptable_preprocessors()
        if names:
            first = next(iter(dataset))
            if not isinstance(first, dict):
                raise ValueError(
                    "FeatureSpace.adapt: the dataset's elements must be dicts of features, "
                    f"received {type(first).__name__}; map a labelled dataset with "
                    "`ds.map(lambda x, y: x)`"
                )
            missing = [name for name in names if name not in first]
            if missing:
                raise ValueError(
                    f"FeatureSpace.adapt: the dataset's elements lack the features {missing}; "
                    f"they have {sorted(first)}"
                )
            if len(first[names[0]].shape) == 0:
                dataset = dataset.batch(32)
            progbar = None
            if verbose:
                from ...callbacks.progbar import Progbar

                progbar = Progbar(target=len(names), unit_name="feature")
            for step, name in enumerate(names, 1):
                preprocessor = self.preprocessors[name]
                if hasattr(preprocessor, "reset_state"):
                    preprocessor.reset_state()
                preprocessor.adapt(dataset.map(_column(name)))
                if progbar is not None:
                    progbar.update(step)
        self._is_adapted = True
        self.get_encoded_features()  # finishes building
        self.built = True
        self._sublayers_built = True

    # -- the functional form ---------------------------------------------------------------------
    def get_inputs(self) -> dict:
        """``{name: keras.Input}``, one per feature (shape ``(None, 1)``)."""
        self._check_if_built()
        return self.inputs

    def get_encoded_features(self):
        """The encoded features of :meth:`get_inputs` (a symbolic tensor, or a dict of them
        in ``"dict"`` mode), to build a functional model on.

        Raises:
            ValueError: before :meth:`adapt` when a preprocessor needs it.
        """
        self._check_if_adapted()
        if self.encoded_features is None:
            preprocessed = self._preprocess_features(self.inputs)
            crossed = self._cross_features(preprocessed)
            self.encoded_features = self._merge_features(preprocessed, crossed)
        return self.encoded_features

    def _preprocess_features(self, features) -> dict:
        return {name: self.preprocessors[name](features[name]) for name in features}

    def _cross_features(self, features) -> dict:
        return {
            cross.name: self.crossers[cross.name]([features[n] for n in cross.feature_names])
            for cross in self.crosses
        }

    def _merge_features(self, preprocessed, crossed):
        if not self._preprocessed_features_names:
            self._preprocessed_features_names = sorted(preprocessed)
            self._crossed_features_names = sorted(crossed)
        names = self._preprocessed_features_names + self._crossed_features_names
        values = [preprocessed[n] for n in self._preprocessed_features_names] + [
            crossed[n] for n in self._crossed_features_names
        ]
        if not self._sublayers_built:
            self._make_encoders(names, values)
        encoded = {}
        for name, value in zip(names, values):
            encoder = self.one_hot_encoders.get(name)
            encoded[name] = encoder(value) if encoder is not None else value
        if self.output_mode == "dict":
            return encoded
        for name in names:
            dtype = _dtype_name(encoded[name])
            if dtype.startswith(("int", "uint")) or dtype == "string":
                raise ValueError(
                    f"FeatureSpace: cannot concatenate features because feature '{name}' has "
                    f"not been encoded (it has dtype {dtype}). Consider using "
                    "`output_mode='dict'`."
                )
        if self.concat is None:
            self.concat = TFDConcat(axis=-1)
        return self.concat([encoded[name] for name in names])

    def _make_encoders(self, names, values) -> None:
        """The one-hot (multi-hot) encoders of the features whose output_mode is "one_hot"."""
        specs = [self.features[n] for n in self._preprocessed_features_names] + [
            self.crosses_by_name[n] for n in self._crossed_features_names
        ]
        for name, value, spec in zip(names, values, specs):
            if spec.output_mode != "one_hot" or name in self.one_hot_encoders:
                continue
            dtype = _dtype_name(nest.flatten(value)[0])
            if not dtype.startswith("int"):
                raise ValueError(
                    f"FeatureSpace: feature '{name}' has `output_mode='one_hot'`. Thus its "
                    "preprocessor should return an integer dtype. Instead it returns a "
                    f"{dtype} dtype."
                )
            preprocessor = self.preprocessors.get(name) or self.crossers.get(name)
            if isinstance(preprocessor, (IntegerLookup, StringLookup)):
                cardinality = preprocessor.vocabulary_size()
            elif isinstance(preprocessor, CategoryEncoding):
                cardinality = preprocessor.num_tokens
            elif isinstance(preprocessor, Discretization):
                cardinality = preprocessor._depth()
            elif isinstance(preprocessor, (HashedCrossing, Hashing)):
                cardinality = preprocessor.num_bins
            else:
                raise ValueError(
                    f"FeatureSpace: feature '{name}' has `output_mode='one_hot'`. However it "
                    "isn't a standard feature and the dimensionality of its output space is "
                    "not known, thus it cannot be one-hot encoded. Try using "
                    "`output_mode='int'`."
                )
            self.one_hot_encoders[name] = CategoryEncoding(
                num_tokens=cardinality, output_mode="multi_hot"
            )

    def _check_if_adapted(self) -> None:
        if not self._is_adapted:
            if self._list_adaptable_preprocessors():
                raise ValueError(
                    "FeatureSpace: you need to call `.adapt(dataset)` on the FeatureSpace "
                    "before you can start using it."
                )
            self._is_adapted = True

    def _check_if_built(self) -> None:
        if not self._sublayers_built:
            self._check_if_adapted()
            self.get_encoded_features()
            self._sublayers_built = True

    # -- calling on data ---------------------------------------------------------------------------
    def __call__(self, data):
        """Encode a dict of features (batched, one value per row, or a single sample).

        Raises:
            ValueError: for anything but a dict, or a dict that lacks a feature.
        """
        self._check_if_built()
        if not isinstance(data, dict):
            raise ValueError(
                "FeatureSpace: a FeatureSpace can only be called with a dict. "
                f"Received: data={data!r} (of type {type(data)})"
            )
        missing = [name for name in self.features if name not in data]
        if missing:
            raise ValueError(
                f"FeatureSpace: the data lacks the features {missing}; received the keys "
                f"{sorted(data)}"
            )
        data = {name: _as_tensor(data[name]) for name in self.features}
        rebatched = False
        for name, x in data.items():
            if len(x.shape) == 0:
                data[name] = reshape(x, (1, 1))
                rebatched = True
            elif len(x.shape) == 1:
                data[name] = expand_dims(x, -1)
        preprocessed = self._preprocess_features(data)
        crossed = self._cross_features(preprocessed)
        merged = self._merge_features(preprocessed, crossed)
        if rebatched:
            if self.output_mode == "concat":
                if merged.shape[0] != 1:
                    raise ValueError(
                        "FeatureSpace: expected rebatched data to have batch size 1. "
                        f"Received: shape={tuple(merged.shape)}"
                    )
                merged = squeeze(merged, axis=0)
            else:
                merged = {
                    name: squeeze(x, axis=0) if len(x.shape) == 2 and x.shape[0] == 1 else x
                    for name, x in merged.items()
                }
        return merged

    # -- saving ------------------------------------------------------------------------------------
    def get_config(self) -> dict:
        return {
            "name": self.name,
            "features": {n: _keras_spec(f) for n, f in self.features.items()},
            "output_mode": self.output_mode,
            "crosses": [_keras_spec(c) for c in self.crosses],
            "crossing_dim": self.crossing_dim,
            "hashing_dim": self.hashing_dim,
            "num_discretization_bins": self.num_discretization_bins,
        }

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    _keras_module = "keras.utils"  # the module Keras' .keras files name

    def _saved_layers(self) -> list:
        """``[(h5 path, layer)]`` in Keras' layout of a FeatureSpace's ``.keras`` file: each
        dict of layers under its attribute name, a layer named by its class in snake case
        (numbered within the dict), and the ``concat`` layer."""
        from ..naming import to_snake_case

        out = []
        for attribute in ("crossers", "one_hot_encoders", "preprocessors"):
            used: dict = {}
            for layer in getattr(self, attribute).values():
                name = to_snake_case(type(layer).__name__)
                count = used.get(name, 0)
                used[name] = count + 1
                out.append((f"{attribute}/{name if count == 0 else f'{name}_{count}'}", layer))
        if self.concat is not None:
            out.append(("concat", self.concat))
        return out

    def get_build_config(self) -> dict:
        """Each preprocessor's build config (what rebuilds its weights, e.g. a
        Normalization's mean and variance, before they are loaded)."""
        return {name: f.preprocessor.get_build_config() for name, f in self.features.items()}

    def build_from_config(self, config) -> None:
        for name, build_config in (config or {}).items():
            if name not in self.features:
                raise ValueError(
                    f"FeatureSpace.build_from_config: unknown feature {name!r}; the features "
                    f"are {sorted(self.features)}"
                )
            preprocessor = self.features[name].preprocessor
            if not preprocessor.built and build_config:
                preprocessor.build_from_config(build_config)
        # the encoders are made on first use: the vocabularies a Keras file keeps as
        # assets are only restored after this
        self._is_adapted = True
        self.built = True

    def save(self, filepath) -> None:
        """Save to a ``.keras`` file; reload with ``keras.models.load_model(filepath)``."""
        from ...saving import keras_archive

        if not str(filepath).endswith(".keras"):
            raise ValueError(
                "FeatureSpace.save: the filepath should end in `.keras`, received "
                f"filepath={filepath!r}"
            )
        keras_archive.save(self, filepath)


def _column(name: str):
    def column(x):
        value = x[name]
        if len(value.shape) in (0, 1):
            value = expand_dims(value, -1)
        return value

    return column


def _as_tensor(value) -> Tensor:
    if isinstance(value, Tensor):
        return value
    if hasattr(value, "numpy") and not isinstance(value, (list, tuple)):
        value = value.numpy()
    return convert_to_tensor(value)


def _dtype_name(value) -> str:
    """``"int64"``, ``"string"``, ... of a tensor or symbolic tensor."""
    from ...dtypes import as_dtype

    return as_dtype(value.dtype).name
