"""``python -m suite`` (from benchmarks/): the full suite, gpuflow next to its peers."""

import sys

from . import main

sys.exit(main())
