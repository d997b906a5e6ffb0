"""The state a TF 1 graph keeps besides its ops: collections (``tf.compat.v1.GraphKeys``,
``add_to_collection``, ``get_collection``), the variable store of ``get_variable``, and
unique op names. Kept per graph: the ``with tf.Graph().as_default():`` graph, else the
default graph (a new one after ``reset_default_graph``)."""

from __future__ import annotations

import re

from ..graph.graph_view import Graph
from ..graph.graph_view import default_graph as _entered_graph

# The graph outside any ``with tf.Graph().as_default():`` block (replaced by
# ``tf.compat.v1.reset_default_graph``): eager code records nothing into it; its
# ``gradient_override_map`` replaces op gradients with ``tf.RegisterGradient`` ones.
DEFAULT = [Graph()]


def default_graph():
    """The innermost graph entered with ``as_default`` on this thread, else the process's
    default graph."""
    return _entered_graph() or DEFAULT[0]


class GraphKeys:
    """``tf.compat.v1.GraphKeys``: the standard collection names."""

    GLOBAL_VARIABLES = "variables"
    LOCAL_VARIABLES = "local_variables"
    METRIC_VARIABLES = "metric_variables"
    MODEL_VARIABLES = "model_variables"
    TRAINABLE_VARIABLES = "trainable_variables"
    SUMMARIES = "summaries"
    QUEUE_RUNNERS = "queue_runners"
    TABLE_INITIALIZERS = "table_initializer"
    ASSET_FILEPATHS = "asset_filepaths"
    MOVING_AVERAGE_VARIABLES = "moving_average_variables"
    REGULARIZATION_LOSSES = "regularization_losses"
    CONCATENATED_VARIABLES = "concatenated_variables"
    SAVERS = "savers"
    WEIGHTS = "weights"
    BIASES = "biases"
    ACTIVATIONS = "activations"
    UPDATE_OPS = "update_ops"
    LOSSES = "losses"
    SAVEABLE_OBJECTS = "saveable_objects"
    RESOURCES = "resources"
    LOCAL_RESOURCES = "local_resources"
    TRAINABLE_RESOURCE_VARIABLES = "trainable_resource_variables"
    INIT_OP = "init_op"
    LOCAL_INIT_OP = "local_init_op"
    READY_OP = "ready_op"
    READY_FOR_LOCAL_INIT_OP = "ready_for_local_init_op"
    SUMMARY_OP = "summary_op"
    GLOBAL_STEP = "global_step"
    EVAL_STEP = "eval_step"
    TRAIN_OP = "train_op"
    COND_CONTEXT = "cond_context"
    WHILE_CONTEXT = "while_context"
    VARIABLES = "variables"


class GraphState:
    """What one graph holds for TF 1 code."""

    def __init__(self) -> None:
        self.collections: dict = {}
        self.variables: dict = {}  # get_variable's store: full name -> variable
        self.names: dict = {}  # op name -> times used
        self.by_name: dict = {}  # "x:0" -> tensor, "train" -> operation (Session.run("x:0"))
        self.layer_variables: dict = {}  # id(a Keras layer's weight) -> its GraphVariable


def state():
    """The current graph's :class:`GraphState`."""
    graph = default_graph()
    found = getattr(graph, "_v1_state", None)
    if found is None:
        found = graph._v1_state = GraphState()
    return found


def add_to_collection(name, value) -> None:
    state().collections.setdefault(name, []).append(value)


def add_to_collections(names, value) -> None:
    names = (names,) if isinstance(names, str) else set(names)
    for name in names:
        add_to_collection(name, value)


def get_collection_ref(key) -> list:
    return state().collections.setdefault(key, [])


def get_collection(key, scope=None) -> list:
    """A copy of collection ``key``; with ``scope``, the items whose name matches it
    (``re.match``), as TensorFlow filters."""
    items = list(state().collections.get(key, []))
    if scope is None:
        return items
    pattern = re.compile(scope)
    return [v for v in items if hasattr(v, "name") and pattern.match(v.name)]


def _variables(key):
    def variables(scope=None) -> list:
        return get_collection(key, scope)

    return variables


global_variables = _variables(GraphKeys.GLOBAL_VARIABLES)
trainable_variables = _variables(GraphKeys.TRAINABLE_VARIABLES)
local_variables = _variables(GraphKeys.LOCAL_VARIABLES)
model_variables = _variables(GraphKeys.MODEL_VARIABLES)
moving_average_variables = _variables(GraphKeys.MOVING_AVERAGE_VARIABLES)
all_variables = global_variables
