"""``tf.keras.backend.rnn`` (Keras' legacy backend): iterate a step function over the time
axis, with masks, ``input_length``, ``go_backwards``, constants and ``unroll``; and
``tf.keras.backend.gradients``."""

from __future__ import annotations

import gpuflow as tf  # the public ops: resolved when a function is called


def gradients(loss, variables):
    """Keras' legacy ``K.gradients``: ``tf.gradients(loss, variables)``, which TensorFlow 2
    refuses eagerly (use ``tf.GradientTape``)."""
    return tf.gradients(loss, variables)


def _swap(x):
    return tf.transpose(x, [1, 0] + list(range(2, len(x.shape))))


def _expand(mask_t, like):
    """``mask_t`` (``[batch]`` or ``[batch, 1, ...]``) broadcast to ``like``'s shape."""
    while len(mask_t.shape) < len(like.shape):
        mask_t = tf.expand_dims(mask_t, -1)
    return tf.broadcast_to(mask_t, tf.shape(like))


def _masked(mask_t, new, old):
    return [tf.where(_expand(mask_t, n), n, o) for n, o in zip(new, old)]


def rnn(
    step_function,
    inputs,
    initial_states,
    go_backwards=False,
    mask=None,
    constants=None,
    unroll=False,
    input_length=None,
    time_major=False,
    zero_output_for_mask=False,
    return_all_outputs=True,
):
    """Run ``step_function(inputs_t, states + constants) -> (output_t, new_states)`` over
    the time axis of ``inputs`` (``[batch, time, ...]``, or ``[time, batch, ...]`` with
    ``time_major``), as Keras' legacy ``K.rnn``.

    Where ``mask`` (``[batch, time]``) is False, the output repeats the previous one (zeros
    with ``zero_output_for_mask``) and the states are kept. Without ``unroll``,
    ``input_length`` masks each sample past its length (reversed with ``go_backwards``) and
    stops after the longest, as Keras'.

    Returns:
        ``(last_output, outputs, new_states)``; ``outputs`` is ``[batch, time, ...]``
        (``[batch, 1, ...]`` unless ``return_all_outputs``).

    Raises:
        ValueError: for inputs of rank below 3, or a mask that does not fit them.
    """
    flat_inputs = [tf.convert_to_tensor(x) for x in tf.nest.flatten(inputs)]
    for x in flat_inputs:
        if len(x.shape) < 3:
            raise ValueError(
                "keras.backend.rnn: inputs must have rank 3 or more ([batch, time, ...]), "
                f"received shape {tuple(x.shape)}"
            )
    if not time_major:
        flat_inputs = [_swap(x) for x in flat_inputs]
    steps, batch = flat_inputs[0].shape[0], flat_inputs[0].shape[1]
    constants = list(constants or [])
    masks = None  # one [batch, 1] bool tensor per step
    if mask is not None:
        mask = tf.cast(tf.convert_to_tensor(mask), "bool")
        if tuple(mask.shape[:2]) != ((batch, steps) if not time_major else (steps, batch)):
            raise ValueError(
                f"keras.backend.rnn: the mask of shape {tuple(mask.shape)} does not fit "
                f"inputs of {steps} steps and batch {batch}"
            )
        if len(mask.shape) == 2:
            mask = tf.expand_dims(mask, -1)
        if not time_major:
            mask = _swap(mask)
        masks = [mask[t] for t in range(steps)]
        if go_backwards:
            masks.reverse()
    iterations = steps
    if mask is None and input_length is not None and not unroll:
        lengths = tf.cast(tf.convert_to_tensor(input_length), "int32")
        longest = int(tf.reduce_max(lengths))
        iterations = min(steps, longest)
        if go_backwards:
            reversed_lengths = longest - 1 - lengths
            masks = [tf.expand_dims(reversed_lengths < t, -1) for t in range(steps)]
        else:
            masks = [tf.expand_dims(lengths > t, -1) for t in range(steps)]
    order = list(range(steps))
    if go_backwards:
        order.reverse()
    states = list(tf.nest.flatten(initial_states))
    state_structure = initial_states
    outputs, previous = [], None
    for i in range(iterations):
        step_input = tf.nest.pack_sequence_as(inputs, [x[order[i]] for x in flat_inputs])
        output, new_states = step_function(step_input, tuple(states) + tuple(constants))
        flat_output = tf.nest.flatten(output)
        flat_new = tf.nest.flatten(new_states)
        if masks is not None:
            if previous is None or zero_output_for_mask:
                fallback = [tf.zeros_like(o) for o in flat_output]
            else:
                fallback = previous
            flat_output = _masked(masks[i], flat_output, fallback)
            flat_new = _masked(masks[i], flat_new, states)
        previous, states, state_structure = flat_output, flat_new, new_states
        if return_all_outputs or not outputs:
            outputs.append(flat_output)
        else:
            outputs[0] = flat_output
    if return_all_outputs and len(outputs) < steps:  # stopped at the longest input_length
        outputs += [[tf.zeros_like(o) for o in previous]] * (steps - len(outputs))
    stacked = [tf.stack([out[k] for out in outputs]) for k in range(len(outputs[0]))]
    last = tf.nest.pack_sequence_as(output, [s[-1] for s in stacked])
    if not time_major:
        stacked = [_swap(s) for s in stacked]
    packed = tf.nest.pack_sequence_as(output, stacked)
    if unroll:
        return last, packed, tf.nest.pack_sequence_as(state_structure, states)
    return last, packed, tuple(states)
