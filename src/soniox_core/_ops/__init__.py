"""One operation per API call, and the workflows composed from them."""

from . import files, misc, transcriptions, workflows

__all__ = ["files", "misc", "transcriptions", "workflows"]
