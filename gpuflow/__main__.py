"""``python -m gpuflow``: the same as the ``gpuflow`` command."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
