"""Core realtime tests: bytes only, no sockets."""

import sys
from pathlib import Path

# The tests import the in-memory server from rt_wire.py beside this file; putting
# the folder on sys.path here makes that work under every pytest import mode.
sys.path.insert(0, str(Path(__file__).parent))
