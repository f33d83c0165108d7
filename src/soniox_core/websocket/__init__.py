"""A client WebSocket, sans-I/O, and the base every realtime protocol session builds on.

Layers, bottom up:

- ``WebSocketConnection``: one connection on websockets' ``ClientProtocol``
  (upgrade request and its verification, ``Sec-WebSocket-Accept`` included;
  framing and masking; pings answered; close handshake; EOF). Bytes in,
  events out (``Opened``, ``Rejected``, ``Message``, ``CloseReceived``,
  ``ConnectionLost``, ``ProtocolFailed``).
- ``WebSocketSession``: a protocol session over a connection. It keeps the
  outgoing bytes, the caller's event queue and the recorded failure, and
  implements ``DriverSession``, the only thing the drivers use.
- ``StateMachine``: a protocol's states as a transition table; an input the
  table does not expect raises ``UnexpectedInput``.

How a second protocol plugs in (the speech-to-text session in
``soniox_core.realtime._session`` is the worked example):

1. Define its states and inputs as enums and its table for ``StateMachine``.
2. Subclass ``WebSocketSession[YourEvent]``; implement the ``_on_*`` hooks
   (``_on_open`` sends the first message; ``_on_message`` parses a message
   and calls ``_emit(event)`` or ``_fail(error)``), ``_is_over`` and, if it
   needs them, ``next_timer_at``/``handle_timer``. Send with
   ``_send_text``/``_send_binary``; the caller's methods (``send_text(...)``
   for TTS) live on the subclass.
3. Hand an instance to a driver: the async and sync drivers
   (``soniox_async._ws_driver.AsyncWebSocketDriver`` and its generated twin)
   take any ``DriverSession`` and do the connecting, reading, writing (with
   bounded backpressure), timers and closing.
"""

from typing import TYPE_CHECKING

from soniox_core._lazy import lazy_getattr

from ._endpoint import Endpoint, parse_endpoint
from ._events import (
    CloseReceived,
    ConnectionEvent,
    ConnectionLost,
    Message,
    Opened,
    ProtocolFailed,
    Rejected,
    SendRefused,
)
from ._machine import StateMachine, UnexpectedInput
from ._options import DEFAULT_MAX_MESSAGE_BYTES, DriverOptions
from ._session import (
    END,
    NEED_DATA,
    DriverSession,
    Signal,
    SonioxRealtimeTimeoutError,
    TransportFailure,
    WebSocketSession,
)

__all__ = [
    "DEFAULT_MAX_MESSAGE_BYTES",
    "END",
    "NEED_DATA",
    "CloseReceived",
    "ConnectionEvent",
    "ConnectionLost",
    "DriverOptions",
    "DriverSession",
    "Endpoint",
    "Message",
    "Opened",
    "ProtocolFailed",
    "Rejected",
    "SendRefused",
    "Signal",
    "SonioxRealtimeTimeoutError",
    "StateMachine",
    "TransportFailure",
    "UnexpectedInput",
    "WebSocketConnection",
    "WebSocketSession",
    "parse_endpoint",
]

if TYPE_CHECKING:
    from ._connection import WebSocketConnection as WebSocketConnection

# websockets (and importlib.metadata, which it loads) only when a connection is made.
__getattr__ = lazy_getattr(__name__, {"WebSocketConnection": "soniox_core.websocket._connection"}, globals())
