"""The package version: the single source that pyproject.toml (hatch), ``soniox --version``
and the User-Agent header all read."""

__version__ = "0.1.0"
