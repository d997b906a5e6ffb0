"""Fixtures of the CLI tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def gpuflow_main():
    from gpuflow.cli import main

    return main
