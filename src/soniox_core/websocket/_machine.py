"""A state machine as data, in the manner of h11's ``_state.py``.

The table says, for each (state, input), the next state. A pair that is not in
the table and not listed as ignorable is a bug or a misuse, and raises
``UnexpectedInput`` instead of being passed over silently.
"""

from __future__ import annotations

import enum
from collections.abc import Collection, Mapping
from typing import Generic, TypeVar

__all__ = ["StateMachine", "UnexpectedInput"]

S = TypeVar("S", bound=enum.Enum)
I = TypeVar("I", bound=enum.Enum)  # noqa: E741


class UnexpectedInput(Exception):
    """An input arrived in a state whose table has no transition for it."""

    def __init__(self, state: enum.Enum, event: enum.Enum) -> None:
        super().__init__(f"{event.name} is not expected in state {state.name}")
        self.state = state
        self.event = event


class StateMachine(Generic[S, I]):
    """The current state and the tables that move it."""

    __slots__ = ("_ignored", "_table", "state")

    def __init__(
        self,
        table: Mapping[tuple[S, I], S],
        initial: S,
        ignored: Collection[tuple[S, I]] = (),
    ) -> None:
        self._table = table
        self._ignored = frozenset(ignored)
        self.state = initial

    def apply(self, event: I) -> bool:
        """Move on ``event``: True if it moved (or stayed by a listed self-transition).

        False if the pair is listed as ignorable (the caller then does nothing);
        raises ``UnexpectedInput`` for any other pair.
        """
        key = (self.state, event)
        new = self._table.get(key)
        if new is not None:
            self.state = new
            return True
        if key in self._ignored:
            return False
        raise UnexpectedInput(self.state, event)

    def accepts(self, event: I) -> bool:
        """Whether ``event`` has a transition in the current state (ignorable pairs do not count)."""
        return (self.state, event) in self._table
