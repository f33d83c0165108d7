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

SSL_CERT_FILE_ENV = "SSL_CERT_FILE"
SSL_CERT_DIR_ENV = "SSL_CERT_DIR"


@dataclass(frozen=True, slots=True)
class TLSSettings:
    """How to verify the server (``https://`` and ``wss://``), read from the client's options.

    ``context`` is a ready ``ssl.SSLContext`` the user passed (used as it is);
    otherwise ``verify`` is ``True`` (the system's CA store and certifi's
    bundle), ``False`` (no verification: for local testing only) or a CA
    bundle path. ``ca_file`` and ``ca_dir`` come from ``SSL_CERT_FILE`` and
    ``SSL_CERT_DIR`` (when the client trusts the environment) and, with
    ``verify=True``, replace the default stores, as in httpx. ``trust_env``
    False keeps the environment out of the default stores too.
    """

    context: Any = None
    verify: bool | str = True
    ca_file: str | None = None
    ca_dir: str | None = None
    trust_env: bool = True


def tls_settings(http_options: Mapping[str, Any], environ: Mapping[str, str] | None = None) -> TLSSettings:
    """Pick the TLS settings out of the client's options.

    ``environ`` is the environment to take ``SSL_CERT_FILE``/``SSL_CERT_DIR``
    from; ``None`` means the client does not trust the environment.
    """
    verify = http_options.get("verify", True)
    if not isinstance(verify, (bool, str)):
        raise SonioxValidationError("must be True, False or a CA bundle path", field="verify")
    context = http_options.get("ssl_context")
    # The core does not import ssl; a context is recognised by what it can do.
    if context is not None and not callable(getattr(context, "wrap_socket", None)):
        raise SonioxValidationError(
            f"must be an ssl.SSLContext, not {type(context).__name__}", field="ssl_context"
        )
    env = environ or {}
    return TLSSettings(
        context=context,
        verify=verify,
        ca_file=env.get(SSL_CERT_FILE_ENV) or None,
        ca_dir=env.get(SSL_CERT_DIR_ENV) or None,
        trust_env=environ is not None,
    )
