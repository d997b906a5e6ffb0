"""docs/tf_coverage.md must match a fresh rendering.

Regenerate with ``python tools/make_tf_coverage.py``."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _tool():
    spec = importlib.util.spec_from_file_location(
        "make_tf_coverage", ROOT / "tools" / "make_tf_coverage.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_tf_coverage_document_is_current():
    tool = _tool()
    import json

    fresh = tool.render(json.loads(tool.NAMES_FILE.read_text()))
    assert tool.DOC_FILE.read_text() == fresh, (
        "docs/tf_coverage.md is stale: run `python tools/make_tf_coverage.py` and commit it"
    )


def test_every_issue_name_is_covered():
    """The names issue 13 lists are all present (the document shows them as 'yes')."""
    text = (ROOT / "docs" / "tf_coverage.md").read_text()
    for namespace, names in {
        "tf.math": "log1p expm1 sin cos tan asin acos atan atan2 sinh cosh tanh erf floor ceil "
        "round floordiv floormod mod truediv reciprocal rsqrt squared_difference "
        "softplus log_sigmoid is_nan is_inf is_finite reduce_prod "
        "reduce_euclidean_norm cumsum cumprod segment_sum unsorted_segment_sum add_n "
        "count_nonzero top_k in_top_k bincount l2_normalize divide_no_nan "
        "multiply_no_nan confusion_matrix",
        "tf.linalg": "matmul matvec inv det slogdet solve cholesky qr svd eigh norm trace diag "
        "diag_part band_part tensordot einsum",
        "tf.nn": "relu relu6 leaky_relu elu selu gelu silu softmax log_softmax "
        "sigmoid_cross_entropy_with_logits softmax_cross_entropy_with_logits "
        "sparse_softmax_cross_entropy_with_logits l2_loss moments dropout conv2d "
        "max_pool2d avg_pool2d bias_add embedding_lookup",
        "tf.random": "uniform normal truncated_normal categorical shuffle stateless_uniform "
        "set_seed Generator",
        "tf.debugging": "assert_equal assert_near check_numerics",
        "tf": "constant zeros ones fill eye range linspace zeros_like ones_like split unstack pad "
        "gather gather_nd scatter_nd boolean_mask where sort argsort reverse roll repeat "
        "slice strided_slice newaxis ensure_shape squeeze meshgrid unique sequence_mask "
        "clip_by_norm clip_by_global_norm one_hot einsum print Module custom_gradient "
        "stop_gradient GradientTape UnconnectedGradients Variable tensor_scatter_nd_update "
        "convert_to_tensor identity as_dtype",
    }.items():
        section = text.split(f"## `{namespace}`\n")[1].split("\n## ")[0]
        for name in names.split():
            assert f"| `{name}` | " in section, f"{namespace}.{name} is not in TF's list"
            assert f"| `{name}` | " in section and section.split(f"| `{name}` | ")[1].split("\n")[
                0
            ].endswith("| yes |"), f"{namespace}.{name} is missing from gpuflow"
