"""``python -m gpuflow.bench``: the same as ``gpuflow bench``."""

import sys

from . import main

sys.exit(main())
