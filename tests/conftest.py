"""Shared pytest configuration. Fixture owners: add yours below, keep this file small."""

pytest_plugins = ["soniox_emulator.pytest_plugin"]
