"""TLS settings from the client's options: pure values; the drivers build the ``ssl`` context.

Kept apart from ``soniox_core.realtime`` so the REST pool reads them without
loading the realtime protocol.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from soniox_core._errors import SonioxValidationError

__all__ = ["TLSSettings", "tls_settings"]


@dataclass(frozen=True, slots=True)
class TLSSettings:
    """How to verify the server (``https://`` and ``wss://``), read from the client's ``http_options``.

    ``context`` is a ready ``ssl.SSLContext`` the user passed (used as it is);
    otherwise ``verify`` is ``True`` (certifi's CA bundle), ``False``
    (no verification: for local testing only) or a CA bundle path.
    """

    context: Any = None
    verify: bool | str = True


def tls_settings(http_options: Mapping[str, Any]) -> TLSSettings:
    """Pick the TLS settings out of ``ClientConfig.http_options``."""
    verify = http_options.get("verify", True)
    if not isinstance(verify, (bool, str)):
        raise SonioxValidationError("must be True, False or a CA bundle path", field="verify")
    context = http_options.get("ssl_context")
    # The core does not import ssl; a context is recognised by what it can do.
    if context is not None and not callable(getattr(context, "wrap_socket", None)):
        raise SonioxValidationError(
            f"must be an ssl.SSLContext, not {type(context).__name__}", field="ssl_context"
        )
    return TLSSettings(context=context, verify=verify)
