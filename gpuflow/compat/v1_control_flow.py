"""``tf.cond`` and ``tf.while_loop`` on TF 1 graph tensors (gpuflow/graph/control_flow.py
sends them here): branches, conditions and bodies are built once as graph nodes, and
``Session.run`` runs what the fed values select."""

from __future__ import annotations

from .v1_graph import CallNode, GraphTensor, _shape_of, computing, graph_nodes
from .v1_record import as_graph_tensor
from .v1_run import Run


def graph_cond(pred, true_fn, false_fn, name=None):
    """``tf.cond`` on a graph predicate: both branches are built now (as TF 1 builds them);
    ``Session.run`` computes the predicate, then only the branch it selects."""
    from ..ops.creation import convert_to_tensor

    branches = []
    for fn in (true_fn, false_fn):
        out = fn()
        single = None if not isinstance(out, (list, tuple)) else type(out)
        flat = [out] if single is None else list(out)
        with computing():
            flat = [t if isinstance(t, GraphTensor) else convert_to_tensor(t) for t in flat]
        branches.append((single, flat))
    if len(branches[0][1]) != len(branches[1][1]):
        raise ValueError(
            "cond: true_fn and false_fn must return the same number of tensors, received "
            f"{len(branches[0][1])} and {len(branches[1][1])}"
        )

    def action(run):
        chosen = branches[0][1] if bool(run.value(pred)) else branches[1][1]
        return tuple(run.value(t) if isinstance(t, GraphTensor) else t for t in chosen)

    node = CallNode(action, "If", name or "cond", [pred])
    node.lazy = tuple(graph_nodes(branches[0][1] + branches[1][1]))
    outputs = []
    for i, (a, b) in enumerate(zip(branches[0][1], branches[1][1])):
        probes = a._probes if isinstance(a, GraphTensor) else (a, a)
        other = b._probes if isinstance(b, GraphTensor) else (b, b)
        shape = _shape_of((probes[0], other[1]))  # sizes that differ by branch: unknown
        shape = tuple(x if x == y else None for x, y in zip(shape, _shape_of(probes)))
        outputs.append(GraphTensor(node, (i,), probes, shape=shape))
    kind = branches[0][0]
    return outputs[0] if kind is None else kind(outputs)


def graph_while_loop(cond, body, loop_vars, maximum_iterations=None, name=None):
    """``tf.while_loop`` with TF 1 graph tensors among ``loop_vars``: ``cond`` and ``body``
    are built once on placeholders standing for the loop variables; ``Session.run`` feeds
    them each iteration until the condition is False (or ``maximum_iterations``)."""
    from .v1_graph import PlaceholderNode

    single = not isinstance(loop_vars, (list, tuple))
    flat = [as_graph_tensor(v) for v in ([loop_vars] if single else list(loop_vars))]
    holders = []
    for v in flat:
        node = PlaceholderNode(v.dtype, v.shape, "while/Placeholder")
        holders.append(GraphTensor(node, (), v._probes, shape=v.shape, dtype=v.dtype))
    args = [holders[0]] if single else list(holders)
    pred = cond(*args)
    outs = body(*args)
    outs = [outs] if single or not isinstance(outs, (list, tuple)) else list(outs)
    outs = [as_graph_tensor(o) for o in outs]
    if len(outs) != len(flat):
        raise ValueError(
            f"while_loop: body returned {len(outs)} loop variables, expected {len(flat)}"
        )

    def action(run):
        values = [run.value(v) for v in flat]
        steps = 0
        while maximum_iterations is None or steps < maximum_iterations:
            feeds = dict(run.cache)
            feeds.update((h._node, value) for h, value in zip(holders, values))
            step = Run(feeds, run.unchecked)
            step.tape = run.tape
            if not bool(step.value(pred)):
                break
            values = [step.value(o) for o in outs]
            steps += 1
        return tuple(values)

    node = CallNode(action, "While", name or "while", flat)
    node.lazy = tuple(graph_nodes([pred, outs]))
    results = [
        GraphTensor(node, (i,), v._probes, shape=v.shape, dtype=v.dtype) for i, v in enumerate(flat)
    ]
    return results[0] if single else type(loop_vars)(results)
