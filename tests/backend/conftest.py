"""Makes the helper modules of tests/backend (NumPy references, NVRTC via ctypes) importable."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
