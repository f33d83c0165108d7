"""Shared pytest configuration. Fixture owners: add yours below, keep this file small."""

import signal

pytest_plugins = ["soniox_emulator.pytest_plugin"]

# A shell without job control starts background commands with SIGINT ignored, and the
# commands they start inherit that: the Ctrl-C tests (here, and in the CLI processes
# they start) need Ctrl-C delivered, however the test run was launched.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)
