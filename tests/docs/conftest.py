import sys
from pathlib import Path

# The helpers beside these tests (``snippets``) import as a module.
sys.path.insert(0, str(Path(__file__).parent))
