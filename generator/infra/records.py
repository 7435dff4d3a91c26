"""Our frozen dataclasses as JSON bytes and back, typed: for results kept in the build cache.

Never pickle for anything read back from disk: a pickle can run code when loaded, and the cache
may be restored from elsewhere (CI); decoded JSON is only data, checked against the type it must
be (msgspec validates while it decodes, so bytes of another shape are refused, not trusted).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path, PurePath
from typing import Any, Generic, TypeVar

import msgspec
from markupsafe import Markup

T = TypeVar("T")


class RecordUnreadable(Exception):
    """Bytes that are not a record of the expected type (another version's, or damaged)."""


def _encode_other(value: object) -> object:
    if isinstance(value, PurePath):
        return value.as_posix()
    if isinstance(value, Mapping):  # the catalogue's read-only mappings (MappingProxyType)
        return dict(value)
    raise NotImplementedError(f"no JSON form for {type(value).__name__}")


def _encode_key_other(value: object) -> object:
    if isinstance(value, Markup):  # HTML vouched for, unlike a plain string of the same text
        return {"Markup": str(value)}
    return _encode_other(value)


_KEY_ENCODER = msgspec.json.Encoder(enc_hook=_encode_key_other, order="deterministic")


def key_bytes(value: object) -> bytes:
    """``value`` as bytes for a cache key: equal values give equal bytes in every process (sets and
    mappings sorted, which ``repr`` does not promise). A value JSON cannot hold (a function, an
    object of no known form) raises ``TypeError``: a key must never stand for less than its value."""
    try:
        return _KEY_ENCODER.encode(value)
    except NotImplementedError as error:
        raise TypeError(str(error)) from None


def _decode_other(kind: type, value: Any) -> object:
    if kind is Path and isinstance(value, str):
        return Path(value)
    raise NotImplementedError(f"no {kind} from JSON")


class RecordCodec(Generic[T]):
    """Encodes values of ``kind`` (dataclasses, tuples, dates, paths, unions with None) and decodes
    them to equal values of the same types."""

    def __init__(self, kind: Any):
        self._encoder = msgspec.json.Encoder(enc_hook=_encode_other)
        self._decoder: msgspec.json.Decoder = msgspec.json.Decoder(kind, dec_hook=_decode_other)

    def encode(self, value: T) -> bytes:
        return self._encoder.encode(value)

    def decode(self, data: bytes) -> T:
        try:
            return self._decoder.decode(data)
        except (msgspec.DecodeError, msgspec.ValidationError, NotImplementedError) as error:
            raise RecordUnreadable(str(error)) from None
