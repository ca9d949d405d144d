"""Decode PHP/Laravel bracket query notation into nested dicts and lists, like PHP's ``$_GET``.

The Clopos API is a Laravel app, so ``with[0]=a&filters[0][1][0]=x`` reaches it as nested arrays.
The fake server decodes queries the same way, and the SDK's encoder tests round-trip through it.

Rules (PHP's, except where noted):

- ``name[a][b]=v`` nests; ``name[]=v`` appends at the next integer index (``max(int keys) + 1``).
- Canonical decimal segments (``"0"``, ``"12"``, ``"-3"``) become ``int`` keys; ``"01"`` does not.
- A container whose keys are exactly ``0..n-1`` (in any order) becomes a ``list`` sorted by index
  (PHP keeps insertion order; index order is what the docs mean: "the outer index order does not
  matter"). Any other container stays a ``dict``.
- A later scalar overwrites an earlier value and vice versa (last one wins, as in PHP).
- Brackets may arrive literally or still percent-encoded (``%5B``/``%5D``); both decode the same.
- Not copied from PHP: renaming ``.``/space in top-level names to ``_`` and the ``a[b`` (unclosed
  bracket) mangling. Such keys are kept literally.

Example:
    >>> parse_php_query([("with[0]", "customer"), ("filters[0][1][]", "A")])
    {'with': ['customer'], 'filters': [{1: ['A']}]}
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qsl

__all__ = ["parse_php_query", "parse_php_query_string"]

_ENCODED_BRACKET = re.compile(r"%5[bBdD]")
_INT_KEY = re.compile(r"-?(?:0|[1-9][0-9]*)")

# A node under construction: dict keyed like a PHP array (int or str keys), finalised at the end.
_Node = dict[Any, Any]


def parse_php_query(pairs: Iterable[tuple[str, str]]) -> dict[str, Any]:
    """Decode ``(key, value)`` pairs in PHP bracket notation into nested dicts and lists.

    Example:
        >>> parse_php_query([("sort[0]", "created_at"), ("sort[1]", "-1"), ("page", "2")])
        {'sort': ['created_at', '-1'], 'page': '2'}
    """
    root: _Node = {}
    for raw_key, value in pairs:
        name, segments = _split_key(raw_key)
        if not name:
            continue  # PHP drops parameters without a name, e.g. "[0]=x" or "=x"
        if not segments:
            root[name] = value
            continue
        node = root
        key: Any = name
        for segment in segments:
            child = node.get(key)
            if not isinstance(child, dict):
                # A scalar (or nothing) here is replaced by an array, as PHP does.
                child = {}
                node[key] = child
            node = child
            key = _next_index(node) if segment == "" else _php_key(segment)
        node[key] = value
    return {str(k): _finalise(v) for k, v in root.items()}


def parse_php_query_string(query: str) -> dict[str, Any]:
    """Decode a raw (possibly percent-encoded) query string such as ``with%5B0%5D=receipt``.

    Example:
        >>> parse_php_query_string("with%5B0%5D=receipt%3Aid%2Cstatus")
        {'with': ['receipt:id,status']}
    """
    return parse_php_query(parse_qsl(query.lstrip("?"), keep_blank_values=True))


def _split_key(key: str) -> tuple[str, list[str]]:
    """Split ``a[b][]`` into ``("a", ["b", ""])``; keys without a closed bracket stay literal."""
    if "%" in key:
        # Only the brackets are decoded: the pairs are usually decoded already, and decoding
        # everything again would corrupt a literal "%" that was sent as "%25".
        key = _ENCODED_BRACKET.sub(lambda m: "[" if m.group(0)[2] in "bB" else "]", key)
    start = key.find("[")
    if start == 0:
        return "", []  # no name before the bracket: PHP drops the parameter
    if start < 0:
        return key, []
    segments: list[str] = []
    pos = start
    while pos < len(key) and key[pos] == "[":
        end = key.find("]", pos)
        if end == -1:
            break
        segments.append(key[pos + 1 : end])
        pos = end + 1
    # PHP ignores anything after the last closed bracket ("a[b]junk" is "a[b]").
    if not segments:
        return key, []
    return key[:start], segments


def _php_key(segment: str) -> int | str:
    return int(segment) if _INT_KEY.fullmatch(segment) else segment


def _next_index(node: _Node) -> int:
    ints = [k for k in node if isinstance(k, int)]
    return max(ints) + 1 if ints and max(ints) >= 0 else 0


def _finalise(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    items = {k: _finalise(v) for k, v in value.items()}
    n = len(items)
    if all(isinstance(k, int) for k in items) and set(items) == set(range(n)):
        return [items[i] for i in range(n)]
    return items
