"""The ``soniox`` command: transcribe files, stream audio and manage resources.

Built on the blocking client (``soniox_sync``); see ``soniox --help``.
"""
