"""einsum with '...': values against numpy.einsum, gradients (broadcast ellipsis axes
included), and errors."""

import numpy as np
import pytest

import gpuflow as gf
from gpuflow.testing import gradcheck

rng = np.random.default_rng(0)

CASES = [
    ("...b,bc->...c", [(2, 3, 4), (4, 5)]),
    ("ab...,bc->ac...", [(3, 4, 6), (4, 2)]),
    ("...ij,...jk->...ik", [(2, 3, 4), (1, 4, 2)]),
    ("...ij,...jk->...ik", [(2, 3, 4), (4, 2)]),
    ("...ij,jk", [(2, 3, 4), (4, 5)]),
    ("i...->...", [(2, 3, 4)]),
    ("bqnh,bknh->bnqk", [(2, 3, 2, 4), (2, 5, 2, 4)]),
]


@pytest.mark.parametrize("equation, shapes", CASES)
def test_matches_numpy_and_gradients(equation, shapes):
    operands = [rng.normal(size=s) for s in shapes]
    np.testing.assert_allclose(
        gf.einsum(equation, *operands).numpy(), np.einsum(equation, *operands), rtol=1e-10
    )
    assert gradcheck(lambda *xs: gf.einsum(equation, *xs), operands)


def test_errors():
    with pytest.raises(gf.errors.InvalidArgumentError, match="do not broadcast"):
        gf.einsum("...ij,...jk->...ik", np.ones((2, 3, 4)), np.ones((3, 4, 2)))
    with pytest.raises(gf.errors.InvalidArgumentError, match="must keep the '...' axes"):
        gf.einsum("...ij,jk->ik", np.ones((2, 3, 4)), np.ones((4, 2)))
    with pytest.raises(gf.errors.InvalidArgumentError, match="more than one ellipsis"):
        gf.einsum("......", np.ones((2,)))
