"""A local emulator of the Soniox speech-to-text service, for tests and offline use.

``from soniox_emulator import Emulator`` is cheap: the web server stack is imported only
when :meth:`Emulator.start` runs.
"""

from __future__ import annotations

from ._emulator import Emulator
from ._faults import Fault, Faults
from ._state import RecordedRequest, TemporaryKey
from ._webhooks import WebhookDelivery

__all__ = [
    "Emulator",
    "Fault",
    "Faults",
    "RecordedRequest",
    "TemporaryKey",
    "WebhookDelivery",
]
