"""Webhook helpers: check the auth header Soniox sends, and parse the event.

Soniox authenticates a webhook request with a shared-secret header that you
chose when creating the transcription (``webhook_auth_header_name`` and
``..._value``). Verification compares in constant time, looks the header up
case-insensitively, and fails closed: with no secret configured every request is
rejected unless you pass ``allow_unauthenticated=True``.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable, Mapping

import msgspec

from . import _validate as check
from ._config import DEFAULT_WEBHOOK_HEADER
from ._errors import InvalidWebhookPayloadError, InvalidWebhookSignatureError, SonioxValidationError
from ._payloads import check_webhook_auth
from ._redact import register_secret
from ._responses import decode_json
from .models import WebhookAuthConfig, WebhookEvent

__all__ = ["HeadersInput", "SonioxWebhooksAPI"]

HeadersInput = Mapping[str, str] | Iterable[tuple[str, str]]
"""Request headers as a mapping or as (name, value) pairs, str or bytes."""

_EVENT_DECODER = msgspec.json.Decoder(WebhookEvent)


def _header_items(headers: object) -> list[tuple[str | bytes, str | bytes]]:
    """The (name, value) pairs of ``headers``, checked: str or bytes, nothing else."""
    if isinstance(headers, (str, bytes)) or headers is None:
        raise SonioxValidationError(
            f"must be a mapping or (name, value) pairs, not {type(headers).__name__}", field="headers"
        )
    if isinstance(headers, Mapping):
        items: Iterable[object] = headers.items()
    elif isinstance(headers, Iterable):
        items = headers
    else:
        raise SonioxValidationError(
            f"must be a mapping or (name, value) pairs, not {type(headers).__name__}", field="headers"
        )
    out: list[tuple[str | bytes, str | bytes]] = []
    for item in items:
        if (
            not isinstance(item, (tuple, list))
            or len(item) != 2
            or not all(isinstance(part, (str, bytes)) for part in item)
        ):
            raise SonioxValidationError("must hold (name, value) pairs of str or bytes", field="headers")
        out.append((item[0], item[1]))
    return out


def _header_value(headers: object, name: str) -> bytes | None:
    """The raw bytes of header ``name``: str values as UTF-8, bytes as they came."""
    wanted = name.lower()
    found: bytes | None = None
    for key, value in _header_items(headers):
        key_text = key.decode("latin-1") if isinstance(key, bytes) else key
        if key_text.lower() == wanted:
            if found is not None:
                # Two copies of the auth header is an attempt to confuse us.
                return None
            # Bytes compare as they are: a UTF-8 secret sent raw must match.
            found = value if isinstance(value, bytes) else value.encode("utf-8")
    return found


class SonioxWebhooksAPI:
    """Webhook utilities: ``verify_signature``, ``unwrap`` and ``webhook_payload``.

    Pure CPU helpers, the same for the async and the sync client.
    """

    def __init__(self, *, webhook_secret: str | None, webhook_header: str | None = None) -> None:
        if webhook_secret is not None and webhook_secret != "":
            check.header_value(webhook_secret, "webhook_secret")
            register_secret(webhook_secret)
        self._secret = webhook_secret or None
        self._header = check.header_name(webhook_header or DEFAULT_WEBHOOK_HEADER, "webhook_header")

    def __repr__(self) -> str:
        state = "secret configured" if self._secret else "no secret"
        return f"{type(self).__name__}(header={self._header!r}, {state})"

    def _auth(self, auth: WebhookAuthConfig | None) -> WebhookAuthConfig | None:
        if auth is not None:
            check_webhook_auth(auth, "auth")
            # An empty value is no secret: fail closed, as for an empty webhook_secret.
            return auth if auth.value else None
        if self._secret is None:
            return None
        return WebhookAuthConfig(name=self._header, value=self._secret)

    def verify_signature(
        self,
        headers: HeadersInput,
        *,
        auth: WebhookAuthConfig | None = None,
        allow_unauthenticated: bool = False,
    ) -> None:
        """Check that a webhook request carries the expected authentication header.

        The value is compared in constant time. This fails closed: with no secret
        configured (here or via ``auth``) every request is rejected, unless
        ``allow_unauthenticated`` is True.

        Args:
            headers: The request's headers: a mapping or ``(name, value)`` pairs, as
                ``str`` or ``bytes``; names are matched case-insensitively.
            auth: The header name and value to expect, instead of the client's
                webhook secret.
            allow_unauthenticated: Accept every request when no secret is configured.

        Raises:
            InvalidWebhookSignatureError: The header is missing or wrong, or no
                secret is configured.
            SonioxValidationError: ``headers`` is not a mapping or pairs of str or
                bytes, or ``auth`` is not a ``WebhookAuthConfig``.
        """
        check.boolean(allow_unauthenticated, "allow_unauthenticated")
        expected = self._auth(auth)
        items = _header_items(headers)
        if expected is None:
            if allow_unauthenticated:
                return
            raise InvalidWebhookSignatureError(
                "No webhook secret configured: pass webhook_secret= to the client, set "
                "SONIOX_API_WEBHOOK_SECRET, or call with allow_unauthenticated=True"
            )
        received = _header_value(items, expected.name)
        if received is None:
            raise InvalidWebhookSignatureError(f"Missing webhook header {expected.name!r}")
        if not hmac.compare_digest(received, expected.value.encode("utf-8")):
            raise InvalidWebhookSignatureError(f"Invalid value of webhook header {expected.name!r}")

    def unwrap(
        self,
        payload: str | bytes,
        headers: HeadersInput,
        *,
        auth: WebhookAuthConfig | None = None,
        allow_unauthenticated: bool = False,
    ) -> WebhookEvent:
        """Verify a webhook request, then parse its body.

        Args:
            payload: The request body, as received.
            headers: The request's headers: a mapping or ``(name, value)`` pairs, as
                ``str`` or ``bytes``; names are matched case-insensitively.
            auth: The header name and value to expect, instead of the client's
                webhook secret.
            allow_unauthenticated: Accept every request when no secret is configured.

        Returns:
            The event: the transcription's ``id`` and ``status``
            (``"completed"`` or ``"error"``).

        Raises:
            InvalidWebhookSignatureError: As ``verify_signature``.
            InvalidWebhookPayloadError: The body is not JSON (or is nested too
                deeply), or not a webhook event.
            SonioxValidationError: ``payload`` is not str or bytes, or as
                ``verify_signature``.
        """
        if not isinstance(payload, (str, bytes, bytearray, memoryview)):
            raise SonioxValidationError(
                f"must be the request body as str or bytes, not {type(payload).__name__}", field="payload"
            )
        self.verify_signature(headers, auth=auth, allow_unauthenticated=allow_unauthenticated)
        body = payload.encode("utf-8") if isinstance(payload, str) else bytes(payload)
        try:
            event: WebhookEvent = decode_json(body, _EVENT_DECODER)
        except msgspec.ValidationError as exc:
            raise InvalidWebhookPayloadError(f"Webhook body is not a webhook event: {exc}") from None
        except (msgspec.DecodeError, ValueError) as exc:
            raise InvalidWebhookPayloadError(f"Webhook body is not valid JSON: {exc}") from None
        if not event.id or not event.status:
            raise InvalidWebhookPayloadError("Webhook event needs a non-empty id and status")
        return event

    def webhook_payload(self, webhook_url: str, *, auth: WebhookAuthConfig | None = None) -> dict[str, str]:
        """The fields that ask for a webhook when creating a transcription.

        Args:
            webhook_url: Where Soniox should post the result.
            auth: The header the request should carry; default: the client's
                webhook secret, if one is configured.

        Returns:
            ``webhook_url``, plus ``webhook_auth_header_name`` and
            ``webhook_auth_header_value`` when there is a secret.

        Raises:
            SonioxValidationError: ``webhook_url`` is not a string, or ``auth`` is not
                a ``WebhookAuthConfig`` with a header name and a one-line value.
        """
        fields = {"webhook_url": check.text(webhook_url, "webhook_url")}
        expected = self._auth(auth)
        if expected is not None:
            fields["webhook_auth_header_name"] = expected.name
            fields["webhook_auth_header_value"] = expected.value
        return fields

    def auth_config(self, auth: WebhookAuthConfig | None = None) -> WebhookAuthConfig | None:
        """The header a webhook request should carry.

        Args:
            auth: This header, if given (an empty value counts as none).

        Returns:
            ``auth``, else the client's configured header and secret, else ``None``.
        """
        return self._auth(auth)
