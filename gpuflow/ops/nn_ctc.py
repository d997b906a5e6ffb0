"""Connectionist temporal classification (``tf.nn.ctc_loss``, ``ctc_greedy_decoder``,
``ctc_beam_search_decoder``, ``collapse_repeated``, ``ctc_unique_labels``).

The loss runs the forward-backward recursion in log space over the extended label sequence
(blanks between and around the labels), vectorised over the batch and the label positions,
one time step at a time. Its gradient with respect to the logits is the classic closed form
``softmax - posterior occupancy`` (Graves et al. 2006), as TensorFlow's CTCLoss kernel gives.
"""

from __future__ import annotations

import math

import numpy as np

from .. import dtypes
from ..autodiff.function import Function
from ..symbolic_scope import in_symbolic_scope
from ..tensor import Tensor
from ._common import as_int, as_tensor, invalid_argument, unsupported_dtype
from .shape import reshape, transpose

_NEG_INF = -np.inf


def _logaddexp(xp, *terms):
    out = terms[0]
    for t in terms[1:]:
        out = xp.logaddexp(out, t)
    return out


class CTCLoss(Function):
    """``-log p(labels | logits)`` per batch element; logits time-major ``[T, B, C]``.

    Its inputs are ``(logits, labels [B, L], label_length [B], logit_length [B])``: the
    labels and lengths are read inside ``forward``, so a compiled step (gpuflow.function)
    replays the op with each call's labels. With ``check`` (not on the zero probes of a
    symbolic trace), bad lengths and labels raise InvalidArgumentError naming the op."""

    twice_differentiable = False  # the occupancy gradient is not built from differentiable ops

    def __init__(self, blank, check, dense=False) -> None:
        self.blank, self.check, self.dense = blank, check, dense

    def _classes(self, ext, classes):
        """The class each extended position emits (forward) and the class its occupancy
        counts for in the gradient, -1 for none. Dense labels follow TensorFlow's
        dense-label loss: a label outside the classes (a padding value such as -1 or 99
        counted in ``label_length``) has an all-zero one-hot, so its position has
        probability 1 and no gradient; TF first moves a non-zero blank to class 0 (labels
        below it shift up by one), so a -1 label then emits the blank's probability but,
        as in TF's gradient, counts for no class."""
        if not self.dense:
            return ext, ext
        xp = self.xp
        is_label = xp.zeros(ext.shape, dtype=bool)
        is_label[:, 1::2] = True
        shifted = ext if self.blank == 0 else xp.where(ext < self.blank, ext + 1, ext)
        forward = xp.where(shifted == 0, self.blank, ext)
        forward = xp.where(is_label & ((shifted < 0) | (shifted >= classes)), -1, forward)
        backward = xp.where(is_label & (shifted == 0), -1, forward)
        return forward, backward

    def _validate(self, labels, label_length, frames, t_max, classes) -> None:
        xp, op = self.xp, "ctc_loss"
        if bool(((label_length < 0) | (label_length > labels.shape[1])).any()):
            raise invalid_argument(
                op,
                f"label_length must lie in [0, {labels.shape[1]}], received "
                f"{label_length.tolist()}",
            )
        if bool(((frames < 0) | (frames > t_max)).any()):
            raise invalid_argument(
                op,
                f"logit_length must hold {frames.shape[0]} values in [0, {t_max}], received "
                f"{frames.tolist()}",
            )
        used = xp.arange(labels.shape[1])[None, :] < label_length[:, None]
        bad = used & (labels == self.blank)
        if not self.dense:  # dense labels outside the classes count as certain (_classes)
            bad = bad | (used & ((labels < 0) | (labels >= classes)))
        if bool(bad.any()):
            raise invalid_argument(
                op,
                f"labels must lie in [0, {classes}) and differ from the blank {self.blank}, "
                f"received {int(labels[bad][0])}",
            )

    def forward(self, logits, labels, label_length, frames):
        xp = self.xp
        labels = labels.astype(np.int64)
        label_length = label_length.reshape(-1).astype(np.int64)
        frames = frames.reshape(-1).astype(np.int64)
        if self.check:
            self._validate(labels, label_length, frames, logits.shape[0], logits.shape[2])
        work = logits.astype(np.float64)
        logp = work - work.max(axis=2, keepdims=True)
        logp = logp - xp.log(xp.exp(logp).sum(axis=2, keepdims=True))
        t_max, batch, _ = logp.shape
        # the extended labels: blanks between and around each sequence's labels
        width = labels.shape[1]
        ext = xp.full((batch, 2 * width + 1), self.blank, dtype=np.int64)
        if width:
            used = xp.arange(width)[None, :] < label_length[:, None]
            ext[:, 1::2] = xp.where(used, labels, self.blank)
        ext_len = 2 * label_length + 1
        s_max = ext.shape[1]
        pos = xp.arange(s_max)[None, :]
        valid = pos < ext_len[:, None]
        # a label may be reached from two positions back when it differs from the label there
        skip = xp.zeros((batch, s_max), dtype=bool)
        if s_max > 2:
            skip[:, 2:] = (ext[:, 2:] != self.blank) & (ext[:, 2:] != ext[:, :-2])
        rows = xp.arange(batch)[:, None]
        ext_cls, ext_grad = self._classes(ext, logp.shape[2])
        gather = xp.maximum(ext_cls, 0)
        emit = xp.stack([logp[t][rows, gather] for t in range(t_max)]) if t_max else None
        if t_max:
            emit = xp.where(ext_cls[None] < 0, 0.0, emit)
            emit = xp.where(valid[None], emit, _NEG_INF)

        def shifted(a, k):
            out = xp.full_like(a, _NEG_INF)
            out[:, k:] = a[:, :-k] if k else a
            return out

        alpha = xp.full((t_max, batch, s_max), _NEG_INF)
        first = xp.full((batch, s_max), _NEG_INF)
        first[:, :2] = 0.0
        alpha_t = xp.where(pos < 2, emit[0], _NEG_INF) if t_max else first
        for t in range(t_max):
            if t:
                step = _logaddexp(
                    xp, alpha_t, shifted(alpha_t, 1), xp.where(skip, shifted(alpha_t, 2), _NEG_INF)
                )
                alpha_t = xp.where((t < frames)[:, None], step + emit[t], alpha_t)
            alpha[t] = alpha_t
        last = xp.maximum(ext_len - 1, 0)
        end = alpha_t[xp.arange(batch), last]
        end2 = xp.where(
            ext_len > 1, alpha_t[xp.arange(batch), xp.maximum(ext_len - 2, 0)], _NEG_INF
        )
        log_p = xp.logaddexp(end, end2)
        no_frames = frames == 0
        log_p = xp.where(no_frames, xp.where(ext_len == 1, 0.0, _NEG_INF), log_p)
        self.saved = (logp, emit, alpha, skip, valid, ext_grad, ext_len, frames, log_p)
        return (-log_p).astype(logits.dtype)

    def backward(self, g):
        xp = self.xp
        logp, emit, alpha, skip, valid, ext, ext_len, frames, log_p = self.saved
        t_max, batch, classes = logp.shape
        s_max = ext.shape[1]
        pos = xp.arange(s_max)[None, :]
        at_end = (pos == ext_len[:, None] - 1) | (pos == ext_len[:, None] - 2)
        skip_back = xp.zeros((batch, s_max), dtype=bool)
        skip_back[:, :-2] = skip[:, 2:]

        def unshifted(a, k):
            out = xp.full_like(a, _NEG_INF)
            out[:, : s_max - k] = a[:, k:]
            return out

        grad = xp.zeros((t_max, batch, classes))
        beta_t = xp.full((batch, s_max), _NEG_INF)
        onehot = (ext[:, :, None] == xp.arange(classes)[None, None, :]).astype(np.float64)
        finite = xp.isfinite(log_p)
        for t in range(t_max - 1, -1, -1):
            start = xp.where(at_end & valid, emit[t], _NEG_INF)
            step = (
                _logaddexp(
                    xp,
                    beta_t,
                    unshifted(beta_t, 1),
                    xp.where(skip_back, unshifted(beta_t, 2), _NEG_INF),
                )
                + emit[t]
            )
            beta_t = xp.where(
                (t == frames - 1)[:, None],
                start,
                xp.where((t < frames - 1)[:, None], step, _NEG_INF),
            )
            # occupancy of each extended position, summed into its class
            with np.errstate(invalid="ignore"):  # -inf - -inf where no path passes
                occ = alpha[t] + beta_t - emit[t] - log_p[:, None]
            occ = xp.where(xp.isfinite(occ), xp.exp(xp.where(xp.isfinite(occ), occ, 0.0)), 0.0)
            post = xp.einsum("bs,bsc->bc", occ, onehot)
            active = ((t < frames) & finite)[:, None]
            grad[t] = xp.where(active, xp.exp(logp[t]) - post, 0.0)
        gb = g.astype(np.float64)
        return ((grad * gb[None, :, None]).astype(g.dtype), None, None, None)


def _host(value) -> np.ndarray:
    return value.numpy() if isinstance(value, Tensor) else np.asarray(value)


def _dense_labels(labels, label_length, op):
    """``(labels [batch, max_label_length], label_length [batch])`` as int tensors; their
    values are read by the op itself (see CTCLoss), so a compiled step can feed them."""
    from ..sparse import SparseTensor

    if isinstance(labels, SparseTensor):  # known values only: densified on the host
        idx = _host(labels.indices)
        vals = _host(labels.values)
        batch = int(labels.shape[0])
        rows = [[] for _ in range(batch)]
        order = np.lexsort((idx[:, 1], idx[:, 0])) if idx.size else np.zeros(0, int)
        for i in order:
            rows[int(idx[i, 0])].append(int(vals[i]))
        dense = np.zeros((batch, max((len(r) for r in rows), default=0)), dtype=np.int64)
        for row, seq in zip(dense, rows):
            row[: len(seq)] = seq
        return Tensor(dense), Tensor(np.array([len(r) for r in rows], dtype=np.int64))
    dense = as_tensor(labels)
    if dense.ndim != 2 or not dtypes.is_integer(dense.dtype):
        raise invalid_argument(
            op,
            f"labels must be an integer [batch, max_label_length] tensor or a SparseTensor, "
            f"received dtype {dense.dtype.name} and shape {tuple(dense.shape)}",
        )
    if label_length is None:
        raise invalid_argument(op, "label_length is required when labels are a dense tensor")
    lengths = reshape(as_tensor(label_length), [-1])
    if lengths.shape[0] != dense.shape[0]:
        raise invalid_argument(
            op, f"label_length has {lengths.shape[0]} entries for a batch of {dense.shape[0]}"
        )
    return dense, lengths


def ctc_loss(
    labels,
    logits,
    label_length,
    logit_length,
    logits_time_major=True,
    unique=None,
    blank_index=None,
    name=None,
) -> Tensor:
    """The CTC negative log-likelihood of each sequence, shape ``[batch]``.

    Args:
        labels: int ``[batch, max_label_length]`` (with ``label_length``) or a SparseTensor.
        logits: float ``[frames, batch, classes]`` (``[batch, frames, classes]`` when
            ``logits_time_major`` is False), unnormalised.
        label_length: ``[batch]`` label lengths (None for SparseTensor labels).
        logit_length: ``[batch]`` number of valid frames of each sequence.
        unique: the result of ``ctc_unique_labels`` (a speed-up in TF; same value here).
        blank_index: the blank class; dense labels default to 0, SparseTensor labels need it.

    An impossible alignment (labels that need more frames than given) gives ``inf`` with a
    zero gradient. As TensorFlow's dense-label loss, a dense label outside the classes
    within ``label_length`` (padding such as -1) counts as certain (see CTCLoss._classes);
    SparseTensor labels must lie in the classes.
    """
    from ..sparse import SparseTensor

    op = "ctc_loss"
    x = as_tensor(logits)
    if not dtypes.is_floating(x.dtype) or x.ndim != 3:
        raise invalid_argument(
            op,
            f"logits must be a float tensor of rank 3, received dtype {x.dtype.name} and "
            f"shape {tuple(x.shape)}",
        )
    if not logits_time_major:
        x = transpose(x, (1, 0, 2))
    t_max, batch, classes = x.shape
    if isinstance(labels, SparseTensor) and blank_index is None:
        raise ValueError(
            f"{op}: Argument `blank_index` must be provided when `labels` is a `SparseTensor`."
        )
    blank = 0 if blank_index is None else int(_host(blank_index))
    if blank < 0:
        blank += classes
    if not 0 <= blank < classes:
        raise invalid_argument(
            op, f"blank_index must lie in [0, {classes}), received {blank_index}"
        )
    dense, lengths = _dense_labels(labels, label_length, op)
    if dense.shape[0] != batch:
        raise invalid_argument(op, f"labels have batch size {dense.shape[0]}, logits {batch}")
    frames = reshape(as_tensor(logit_length), [-1])
    if frames.shape[0] != batch:
        raise invalid_argument(
            op,
            f"logit_length must hold {batch} values in [0, {t_max}], received shape "
            f"{tuple(frames.shape)}",
        )
    # a layer called on keras.Input runs on zero probes (labels all blank): only their
    # shapes matter there, as in Keras' symbolic trace, so their values are not checked
    return CTCLoss(
        blank, check=not in_symbolic_scope(), dense=not isinstance(labels, SparseTensor)
    )(x, dense, lengths, frames)


def _sparse_from_rows(rows, device=None, dtype=np.int64):
    """A SparseTensor ``[len(rows), longest]`` holding the int sequences ``rows``."""
    from ..sparse import SparseTensor

    indices = [[b, i] for b, row in enumerate(rows) for i in range(len(row))]
    values = [v for row in rows for v in row]
    width = max((len(r) for r in rows), default=0)
    return SparseTensor(
        np.asarray(indices, dtype=np.int64).reshape(-1, 2),
        Tensor(np.asarray(values, dtype=dtype)),
        [len(rows), width],
    )


def _decoder_input(inputs, sequence_length, op):
    x = as_tensor(inputs)
    if not dtypes.is_floating(x.dtype) or x.ndim != 3:
        raise invalid_argument(
            op,
            f"inputs must be a float [max_time, batch, classes] tensor, received dtype "
            f"{x.dtype.name} and shape {tuple(x.shape)}",
        )
    raw = _host(sequence_length)
    if raw.dtype.kind not in "iu":
        raise invalid_argument(
            op, f"sequence_length must be an int32 vector [batch], received {sequence_length!r}"
        )
    lengths = raw.reshape(-1).astype(np.int64)
    if lengths.shape[0] != x.shape[1] or (lengths < 0).any() or (lengths > x.shape[0]).any():
        raise invalid_argument(
            op,
            f"sequence_length must hold {x.shape[1]} values in [0, {x.shape[0]}], received "
            f"{lengths.tolist()}",
        )
    return x.numpy(), lengths, x


def ctc_greedy_decoder(inputs, sequence_length, merge_repeated=True, blank_index=None):
    """Best path decoding: the most likely class at each frame, repeats merged (when
    ``merge_repeated``), blanks removed.

    Returns:
        ``([decoded], neg_sum_logits)``: ``decoded`` an int64 SparseTensor
        ``[batch, longest]``, ``neg_sum_logits [batch, 1]`` minus the sum of each frame's
        largest logit.
    """
    op = "ctc_greedy_decoder"
    data, lengths, x = _decoder_input(inputs, sequence_length, op)
    classes = data.shape[2]
    blank = classes - 1 if blank_index is None else as_int(op, "blank_index", blank_index)
    if blank < 0:
        blank += classes
    rows, scores = [], []
    for b, n in enumerate(lengths):
        best = data[:n, b].argmax(axis=1)
        scores.append(-float(data[:n, b].max(axis=1).sum()) if n else 0.0)
        seq, prev = [], None
        for c in best.tolist():
            if c != blank and not (merge_repeated and c == prev):
                seq.append(c)
            prev = c
        rows.append(seq)
    neg = Tensor(np.asarray(scores, dtype=data.dtype).reshape(-1, 1))
    return [_sparse_from_rows(rows)], neg


class _Prob:
    __slots__ = ("blank", "label", "total")

    def __init__(self) -> None:
        self.blank = self.label = self.total = _NEG_INF


class _Entry:
    __slots__ = ("parent", "label", "children", "oldp", "newp")

    def __init__(self, parent, label) -> None:
        self.parent, self.label, self.children = parent, label, {}
        self.oldp, self.newp = _Prob(), _Prob()

    def active(self) -> bool:
        return self.newp.total != _NEG_INF

    def sequence(self) -> list:
        out, e = [], self
        while e.parent is not None:
            out.append(e.label)
            e = e.parent
        return out[::-1]


def _lse(a: float, b: float) -> float:
    if a == _NEG_INF:
        return b
    if b == _NEG_INF:
        return a
    return max(a, b) + math.log1p(math.exp(-abs(a - b)))


class _Leaves:
    """The beam: at most ``width`` entries, the lowest dropped first (TF's gtl::TopN)."""

    def __init__(self, width) -> None:
        self.width, self.items = width, []

    def bottom(self):
        return min(self.items, key=lambda e: e.newp.total)

    def push(self, e) -> None:
        if len(self.items) < self.width:
            self.items.append(e)
            return
        low = self.bottom()
        if e.newp.total > low.newp.total:
            self.items.remove(low)
            self.items.append(e)

    def sorted(self) -> list:
        return sorted(self.items, key=lambda e: -e.newp.total)


def _beam_search(frames, width):
    """TensorFlow's prefix beam search (core/util/ctc/ctc_beam_search.h) over log-softmax
    ``frames [T, C]`` with the blank last."""
    classes = frames.shape[1]
    blank = classes - 1
    root = _Entry(None, -1)
    root.newp.total = root.newp.blank = 0.0
    leaves = _Leaves(width)
    leaves.push(root)
    for row in frames:
        row = row.tolist()
        branches = leaves.sorted()
        leaves.items = []
        for b in branches:
            b.oldp.blank, b.oldp.label, b.oldp.total = b.newp.blank, b.newp.label, b.newp.total
        for b in branches:
            if b.parent is not None:
                if b.parent.active():
                    prev = b.parent.oldp.blank if b.label == b.parent.label else b.parent.oldp.total
                    b.newp.label = _lse(b.newp.label, prev)
                b.newp.label += row[b.label]
            b.newp.blank = b.oldp.total + row[blank]
            b.newp.total = _lse(b.newp.blank, b.newp.label)
            leaves.push(b)

        def candidate(p) -> bool:
            return p.total > _NEG_INF and (
                len(leaves.items) < width or p.total > leaves.bottom().newp.total
            )

        for b in branches:
            if not candidate(b.oldp):
                continue
            for label in range(classes - 1):
                c = b.children.get(label)
                if c is None:
                    c = b.children[label] = _Entry(b, label)
                if c.active():
                    continue
                c.newp.blank = _NEG_INF
                prev = b.oldp.blank if c.label == b.label else b.oldp.total
                c.newp.label = row[label] + prev
                c.newp.total = c.newp.label
                if candidate(c.newp):
                    if len(leaves.items) == width:
                        leaves.bottom().newp = _Prob()
                    leaves.push(c)
                else:
                    c.oldp, c.newp = _Prob(), _Prob()
    return leaves.sorted()


def ctc_beam_search_decoder(inputs, sequence_length, beam_width=100, top_paths=1):
    """Beam search decoding of logits ``inputs [max_time, batch, classes]`` (blank last).

    Returns:
        ``(decoded, log_probabilities)``: ``decoded`` a list of ``top_paths`` int64
        SparseTensors (path ``k`` of each batch element), ``log_probabilities
        [batch, top_paths]`` (the log-probability of each path's prefix: the sum over its
        alignments that the beam kept).
    """
    op = "ctc_beam_search_decoder"
    data, lengths, _ = _decoder_input(inputs, sequence_length, op)
    width = as_int(op, "beam_width", beam_width)
    top_paths = as_int(op, "top_paths", top_paths)
    if width < 1 or not 1 <= top_paths <= width:
        raise invalid_argument(
            op,
            f"need beam_width >= 1 and 1 <= top_paths <= beam_width, received beam_width="
            f"{beam_width}, top_paths={top_paths}",
        )
    work = data.astype(np.float64)
    logp = work - work.max(axis=2, keepdims=True)
    logp = logp - np.log(np.exp(logp).sum(axis=2, keepdims=True))
    paths = [[] for _ in range(top_paths)]
    scores = np.zeros((data.shape[1], top_paths), dtype=data.dtype)
    for b, n in enumerate(lengths):
        best = _beam_search(logp[:n, b], width)
        if len(best) < top_paths:
            raise invalid_argument(
                op, f"Less leaves in the beam search than requested ({len(best)} < {top_paths})"
            )
        for k in range(top_paths):
            paths[k].append(best[k].sequence())
            scores[b, k] = best[k].newp.total
    return [_sparse_from_rows(rows) for rows in paths], Tensor(scores)


def collapse_repeated(labels, seq_length, name=None):
    """Merge runs of a repeated label: ``(collapsed labels [batch, longest], new lengths)``."""
    op = "collapse_repeated"
    x = as_tensor(labels)
    if x.ndim != 2 or not dtypes.is_integer(x.dtype):
        raise unsupported_dtype(
            op,
            f"labels must be an integer [batch, max_length] tensor, received {x.dtype.name} "
            f"{tuple(x.shape)}",
        )
    data = x.numpy()
    lengths = _host(seq_length).reshape(-1)
    if lengths.shape[0] != data.shape[0]:
        raise invalid_argument(
            op, f"seq_length has {lengths.shape[0]} entries for a batch of {data.shape[0]}"
        )
    rows = []
    for b, n in enumerate(lengths):
        row = data[b, : int(n)]
        keep = np.ones(row.shape[0], dtype=bool)
        keep[1:] = row[1:] != row[:-1]
        rows.append(row[keep])
    width = max((len(r) for r in rows), default=0)
    out = np.zeros((data.shape[0], width), dtype=data.dtype)
    for b, r in enumerate(rows):
        out[b, : len(r)] = r
    new_len = np.asarray([len(r) for r in rows], dtype=_host(seq_length).dtype)
    return Tensor(out), Tensor(new_len)


def ctc_unique_labels(labels, name=None):
    """Per row, its distinct labels in first-seen order (zero-padded) and each label's index
    among them: ``(unique [batch, max_length] int64, ids [batch, max_length] int32)``."""
    x = as_tensor(labels)
    if x.ndim != 2 or not dtypes.is_integer(x.dtype):
        raise unsupported_dtype(
            "ctc_unique_labels",
            f"labels must be an integer [batch, max_length] tensor, received {x.dtype.name} "
            f"{tuple(x.shape)}",
        )
    data = x.numpy()
    uniq = np.zeros(data.shape, dtype=np.int64)
    ids = np.zeros(data.shape, dtype=np.int32)
    for b, row in enumerate(data):
        seen: dict = {}
        for i, v in enumerate(row.tolist()):
            ids[b, i] = seen.setdefault(v, len(seen))
        uniq[b, : len(seen)] = list(seen)
    return Tensor(uniq), Tensor(ids)


__all__ = [
    "collapse_repeated",
    "ctc_beam_search_decoder",
    "ctc_greedy_decoder",
    "ctc_loss",
    "ctc_unique_labels",
]
