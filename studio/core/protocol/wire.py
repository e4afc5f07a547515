"""The protocol's records and how they become the JSON the comms carry.

Every params, result and event payload is a frozen dataclass deriving from
`Record`: `to_wire` gives the dict sent, `from_wire` reads one back and raises
`WireError` when it does not fit (a missing key, a value of the wrong kind),
which the agent answers with `bad_request`. How each field converts is worked
out once per class from its type: nested records, lists, dicts, optional
values, enums and plain JSON values. A field whose metadata is `OMIT` is left
out of the dict while it is None: keys the protocol sends only sometimes.
"""

from __future__ import annotations

import dataclasses
import enum
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any, Self, get_args, get_origin, get_type_hints

type _Convert = Callable[[Any], Any] | None
"""None: the value passes as it is (plain JSON, both ways)."""

_OMIT = "omitted_when_none"
OMIT: Mapping[str, bool] = types.MappingProxyType({_OMIT: True})
"""A field's metadata: the field is left out of the wire while it is None (and None
when the key is absent)."""


class WireError(ValueError):
    """A dict that is not the record it should be."""


@dataclasses.dataclass(frozen=True, slots=True)
class _Field:
    name: str
    encode: _Convert
    decode: _Convert
    omit: bool
    default: Callable[[], Any] | None
    """Makes the value of a missing key; None when the key is required."""


_PLANS: dict[type, tuple[_Field, ...]] = {}


class Record:
    """A message's payload: a frozen dataclass whose fields are its keys on the wire."""

    __slots__ = ()

    def to_wire(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for spec in _plan(type(self)):
            value = getattr(self, spec.name)
            if value is None and spec.omit:
                continue
            data[spec.name] = value if spec.encode is None or value is None else spec.encode(value)
        return data

    @classmethod
    def from_wire(cls, data: Any) -> Self:
        if not isinstance(data, dict):
            raise WireError(f"{cls.__name__}: expected an object, got {type(data).__name__}")
        values: dict[str, Any] = {}
        for spec in _plan(cls):
            if spec.name not in data:
                if spec.default is None:
                    raise WireError(f"{cls.__name__}: {spec.name!r} is missing")
                values[spec.name] = spec.default()
                continue
            value = data[spec.name]
            if spec.decode is not None and value is not None:
                try:
                    value = spec.decode(value)
                except WireError as error:
                    raise WireError(f"{cls.__name__}.{spec.name}: {error}") from None
                except (TypeError, ValueError, KeyError) as error:
                    raise WireError(f"{cls.__name__}.{spec.name}: {error!r}") from None
            values[spec.name] = value
        return cls(**values)


def _plan(cls: type) -> tuple[_Field, ...]:
    plan = _PLANS.get(cls)
    if plan is None:
        hints = get_type_hints(cls)
        plan = tuple(_field_plan(f, hints[f.name]) for f in dataclasses.fields(cls))
        _PLANS[cls] = plan
    return plan


def _field_plan(field: dataclasses.Field[Any], hint: Any) -> _Field:
    encode, decode = _converters(hint)
    default: Callable[[], Any] | None = None
    if field.default is not dataclasses.MISSING:
        value = field.default
        default = lambda: value  # noqa: E731
    elif field.default_factory is not dataclasses.MISSING:
        default = field.default_factory
    return _Field(field.name, encode, decode, bool(field.metadata.get(_OMIT)), default)


def _converters(hint: Any) -> tuple[_Convert, _Convert]:
    """(encode, decode) for a value of this type; None where it passes as it is."""
    origin = get_origin(hint)
    if origin in (types.UnionType, typing.Union):
        kinds = [arg for arg in get_args(hint) if arg is not type(None)]
        if len(kinds) != 1:
            return None, None
        return _or_none(*_converters(kinds[0]))
    if origin is list:
        return _each(*_converters(get_args(hint)[0]))
    if origin is dict:
        return _values(*_converters(get_args(hint)[1]))
    if not isinstance(hint, type):
        return None, None
    if issubclass(hint, Record):
        return _to_wire, hint.from_wire
    if issubclass(hint, enum.Enum):
        return _enum_value, hint
    if hint is bool:
        return None, _checked(bool)
    if hint in (int, float):
        return None, _number(hint)
    if hint is str:
        return None, _checked(str)
    return None, None


def _or_none(encode: _Convert, decode: _Convert) -> tuple[_Convert, _Convert]:
    def passing_none(convert: _Convert) -> _Convert:
        if convert is None:
            return None
        passing = lambda value: None if value is None else convert(value)  # noqa: E731
        plain = _plain_types(convert)
        if plain is not None:
            passing.plain_types = plain | {type(None)}  # type: ignore[attr-defined]
        return passing

    return passing_none(encode), passing_none(decode)


def _plain_types(decode: _Convert) -> frozenset[type] | None:
    """The types a decoder passes as they are (a check, no conversion), if it only checks:
    a list or dict of those is checked by its values' types, not value by value (the
    versions of 20,000 nodes took the GUI thread 20,000 calls)."""
    return getattr(decode, "plain_types", None)


def _to_wire(value: Record) -> dict[str, Any]:
    return value.to_wire()


def _enum_value(value: enum.Enum) -> Any:
    return value.value


def _checked(kind: type) -> Callable[[Any], Any]:
    def decode(value: Any) -> Any:
        if not isinstance(value, kind):
            raise WireError(f"expected {kind.__name__}, got {type(value).__name__}")
        return value

    decode.plain_types = frozenset({kind})  # type: ignore[attr-defined]
    return decode


def _number(kind: type) -> Callable[[Any], Any]:
    def decode(value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise WireError(f"expected {kind.__name__}, got {type(value).__name__}")
        return kind(value)

    return decode


def _each(encode: _Convert, decode: _Convert) -> tuple[_Convert, _Convert]:
    def decode_list(value: Any) -> list[Any]:
        if not isinstance(value, list | tuple):
            raise WireError(f"expected a list, got {type(value).__name__}")
        if decode is None or ((plain := _plain_types(decode)) and set(map(type, value)) <= plain):
            return list(value)
        return [decode(item) for item in value]

    encode_list = None if encode is None else (lambda value: [encode(item) for item in value])
    return encode_list, decode_list


def _values(encode: _Convert, decode: _Convert) -> tuple[_Convert, _Convert]:
    def decode_dict(value: Any) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise WireError(f"expected an object, got {type(value).__name__}")
        if decode is None:
            return dict(value)
        plain = _plain_types(decode)
        if plain and set(map(type, value.values())) <= plain:
            return dict(value)
        return {k: decode(v) for k, v in value.items()}

    encode_dict = (
        None if encode is None else (lambda value: {k: encode(v) for k, v in value.items()})
    )
    return encode_dict, decode_dict
