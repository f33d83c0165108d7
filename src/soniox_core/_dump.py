"""``model_dump()`` / ``model_dump_json()`` on every model, as pydantic spells them.

The official SDK's models are pydantic models, so code written for it calls
``transcription.model_dump()`` or ``model_dump_json(indent=2)``. Our models are
msgspec Structs; this mixin gives each of them the same calls, with the common
arguments, so those call sites move over unchanged.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, Literal, TypeVar

import msgspec

__all__ = ["PydanticCompat"]

M = TypeVar("M", bound="PydanticCompat")


def _dump(value: Any, *, json_mode: bool, by_alias: bool, exclude_none: bool) -> Any:
    if isinstance(value, msgspec.Struct):
        return _dump_struct(
            value, json_mode=json_mode, by_alias=by_alias, exclude_none=exclude_none, keep=None, drop=()
        )
    if isinstance(value, (list, tuple)):
        return [_dump(v, json_mode=json_mode, by_alias=by_alias, exclude_none=exclude_none) for v in value]
    if isinstance(value, dict):
        return {
            k: _dump(v, json_mode=json_mode, by_alias=by_alias, exclude_none=exclude_none)
            for k, v in value.items()
            if not (exclude_none and v is None)
        }
    if json_mode:
        # datetimes become ISO 8601 strings, enums their values, bytes base64.
        return msgspec.to_builtins(value)
    return value


def _dump_struct(
    struct: msgspec.Struct,
    *,
    json_mode: bool,
    by_alias: bool,
    exclude_none: bool,
    keep: Collection[str] | None,
    drop: Collection[str],
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for field in msgspec.structs.fields(struct):
        if (keep is not None and field.name not in keep) or field.name in drop:
            continue
        value = getattr(struct, field.name)
        if exclude_none and value is None:
            continue
        key = field.encode_name if by_alias else field.name
        out[key] = _dump(value, json_mode=json_mode, by_alias=by_alias, exclude_none=exclude_none)
    return out


class PydanticCompat:
    """``model_dump``, ``model_dump_json``, ``model_validate`` and ``model_validate_json``.

    Every field is dumped, defaults included, as pydantic does; nested models
    become dicts. ``include`` and ``exclude`` take top-level field names.
    """

    __slots__ = ()

    def model_dump(
        self,
        *,
        mode: Literal["python", "json"] | str = "python",
        include: Collection[str] | None = None,
        exclude: Collection[str] | None = None,
        by_alias: bool = False,
        exclude_none: bool = False,
    ) -> dict[str, Any]:
        """This model as a dict.

        Args:
            mode: ``"python"`` keeps ``datetime`` values; ``"json"`` gives only
                JSON types (ISO 8601 strings for times).
            include: Only these top-level fields.
            exclude: Leave out these top-level fields.
            by_alias: Use the API's names for fields (they are the same for
                every model today).
            exclude_none: Leave out fields whose value is ``None``, at every level.

        Returns:
            A new dict; changing it does not change the model.

        Raises:
            ValueError: ``mode`` is neither ``"python"`` nor ``"json"``.
        """
        if mode not in ("python", "json"):
            raise ValueError(f"mode must be 'python' or 'json', not {mode!r}")
        assert isinstance(self, msgspec.Struct)
        return _dump_struct(
            self,
            json_mode=mode == "json",
            by_alias=by_alias,
            exclude_none=exclude_none,
            keep=include,
            drop=exclude or (),
        )

    def model_dump_json(
        self,
        *,
        indent: int | None = None,
        include: Collection[str] | None = None,
        exclude: Collection[str] | None = None,
        by_alias: bool = False,
        exclude_none: bool = False,
    ) -> str:
        """This model as a JSON string.

        Args:
            indent: Spaces per level for pretty output; ``None`` gives compact JSON.
            include: Only these top-level fields.
            exclude: Leave out these top-level fields.
            by_alias: Use the API's names for fields.
            exclude_none: Leave out fields whose value is ``None``, at every level.

        Returns:
            The JSON text.
        """
        data = self.model_dump(
            mode="json", include=include, exclude=exclude, by_alias=by_alias, exclude_none=exclude_none
        )
        encoded = msgspec.json.encode(data)
        if indent is not None:
            encoded = msgspec.json.format(encoded, indent=indent)
        return encoded.decode()

    @classmethod
    def model_validate(cls: type[M], obj: Any) -> M:
        """Build this model from a dict (e.g. one ``model_dump`` returned).

        Args:
            obj: A mapping of field names to values, or an instance already.

        Returns:
            The model.

        Raises:
            msgspec.ValidationError: a field is missing or has the wrong type.
        """
        return msgspec.convert(obj, cls, from_attributes=not isinstance(obj, dict))

    @classmethod
    def model_validate_json(cls: type[M], data: str | bytes) -> M:
        """Build this model from JSON text.

        Args:
            data: JSON as ``str`` or ``bytes``.

        Returns:
            The model.

        Raises:
            msgspec.DecodeError: the text is not JSON or does not fit the model
                (``msgspec.ValidationError`` is a subclass).
        """
        return msgspec.json.decode(data, type=cls)
