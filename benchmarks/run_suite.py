"""Run the full benchmark suite (``benchmarks/suite``) from anywhere:
``python benchmarks/run_suite.py [--quick] [--device ...]``."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # benchmarks/: the suite
sys.path.insert(1, str(Path(__file__).resolve().parent.parent))  # the checkout: gpuflow

from suite import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
