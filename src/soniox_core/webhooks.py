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

from ._config import DEFAULT_WEBHOOK_HEADER
from ._errors import InvalidWebhookPayloadError, InvalidWebhookSignatureError
from .models import WebhookAuthConfig, WebhookEvent

__all__ = ["HeadersInput", "SonioxWebhooksAPI"]

HeadersInput = Mapping[str, str] | Iterable[tuple[str, str]]
"""Request headers as a mapping or as (name, value) pairs, str or bytes."""

_EVENT_DECODER = msgspec.json.Decoder(WebhookEvent)


def _header_value(headers: HeadersInput, name: str) -> str | None:
    wanted = name.lower()
    items = headers.items() if isinstance(headers, Mapping) else headers
    found: str | None = None
    for key, value in items:
        key_text = key.decode("latin-1") if isinstance(key, bytes) else str(key)
        if key_text.lower() == wanted:
            if found is not None:
                # Two copies of the auth header is an attempt to confuse us.
                return None
            found = value.decode("latin-1") if isinstance(value, bytes) else str(value)
    return found


class SonioxWebhooksAPI:
    """Webhook utilities: ``verify_signature``, ``unwrap`` and ``webhook_payload``.

    Pure CPU helpers, the same for the async and the sync client.
    """

    def __init__(self, *, webhook_secret: str | None, webhook_header: str | None = None) -> None:
        self._secret = webhook_secret or None
        self._header = webhook_header or DEFAULT_WEBHOOK_HEADER

    def __repr__(self) -> str:
        state = "secret configured" if self._secret else "no secret"
        return f"{type(self).__name__}(header={self._header!r}, {state})"

    def _auth(self, auth: WebhookAuthConfig | None) -> WebhookAuthConfig | None:
        if auth is not None:
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
        """
        expected = self._auth(auth)
        if expected is None:
            if allow_unauthenticated:
                return
            raise InvalidWebhookSignatureError(
                "No webhook secret configured: pass webhook_secret= to the client, set "
                "SONIOX_API_WEBHOOK_SECRET, or call with allow_unauthenticated=True"
            )
        received = _header_value(headers, expected.name)
        if received is None:
            raise InvalidWebhookSignatureError(f"Missing webhook header {expected.name!r}")
        if not hmac.compare_digest(received.encode("utf-8"), expected.value.encode("utf-8")):
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
            InvalidWebhookPayloadError: The body is not JSON, or not a webhook event.
        """
        self.verify_signature(headers, auth=auth, allow_unauthenticated=allow_unauthenticated)
        body = payload.encode("utf-8") if isinstance(payload, str) else bytes(payload)
        try:
            event = _EVENT_DECODER.decode(body)
        except msgspec.DecodeError as exc:
            raise InvalidWebhookPayloadError(f"Webhook body is not valid JSON: {exc}") from None
        except msgspec.ValidationError as exc:
            raise InvalidWebhookPayloadError(f"Webhook body is not a webhook event: {exc}") from None
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
        """
        fields = {"webhook_url": webhook_url}
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
