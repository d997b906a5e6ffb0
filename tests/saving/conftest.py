"""Let the tests import the corpus generator that lives beside them."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
