"""The ``stt.translate*`` helpers' one job: a transcription config that asks for translation."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import msgspec

from .._errors import SonioxValidationError
from ..models import CreateTranscriptionConfig, TranslationConfig

__all__ = ["translate_config"]


def translate_config(
    *,
    to: str | None,
    source: str | None,
    between: Sequence[str] | None,
    config: CreateTranscriptionConfig | Mapping[str, Any] | None,
) -> CreateTranscriptionConfig:
    """``config`` (left unchanged) plus translation, as the official SDK builds it.

    Exactly one of ``to`` (one-way, into that language) and ``between`` (two-way,
    a pair of languages) is required; ``source`` (only with ``to``) becomes a
    strict language hint. Language identification is always switched on.
    """
    if (to is None) == (between is None):
        raise SonioxValidationError("Provide exactly one of `to` or `between`", field="to")
    if source is not None and to is None:
        raise SonioxValidationError("`source` is only valid with `to`", field="source")
    if config is None:
        base = CreateTranscriptionConfig()
    elif isinstance(config, CreateTranscriptionConfig):
        base = msgspec.structs.replace(config)
    elif isinstance(config, Mapping):
        try:
            base = CreateTranscriptionConfig(**config)
        except TypeError as exc:
            raise SonioxValidationError(str(exc), field="config") from None
    else:
        raise SonioxValidationError(
            f"must be a CreateTranscriptionConfig, not {type(config).__name__}", field="config"
        )
    if to is not None:
        translation = TranslationConfig(type="one_way", target_language=to)
        changes: dict[str, Any] = {"translation": translation}
        if source:
            changes["language_hints"] = [source]
            changes["language_hints_strict"] = True
    else:
        assert between is not None
        if isinstance(between, str) or len(between) != 2:
            raise SonioxValidationError("must be a pair of language codes", field="between")
        language_a, language_b = between
        changes = {
            "translation": TranslationConfig(type="two_way", language_a=language_a, language_b=language_b)
        }
    changes["enable_language_identification"] = True
    return msgspec.structs.replace(base, **changes)
