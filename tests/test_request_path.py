"""`check_request_path` takes its fast path (two C scans) without changing what it refuses."""

from __future__ import annotations

from urllib.parse import unquote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clopos_async.endpoints import check_request_path


def refused_by_the_rule(path: str) -> bool:
    """The rule as the docstring states it, one character and one segment at a time."""
    if not path.startswith("/") or path.startswith("//"):
        return True
    if any(char in "?#\\" or char.isspace() or not char.isprintable() for char in path):
        return True
    return any(unquote(segment) in (".", "..") for segment in path.split("/"))


def refused(path: str) -> bool:
    try:
        assert check_request_path(path) == path
    except ValueError:
        return True
    return False


# Whitespace of every kind, control characters, the refused ASCII and dot segments.
TRICKY = "/ab.%2eE\u00a0\u2028\u3000\t\n\x7f\x00?#\\ \u200b\ufeff\U0001f600é"


@given(st.text(alphabet=TRICKY, max_size=12).map(lambda tail: "/" + tail) | st.text(max_size=20))
def test_check_request_path_refuses_exactly_what_the_rule_refuses(path: str) -> None:
    assert refused(path) == refused_by_the_rule(path)


@pytest.mark.parametrize("path", [
    "/v2/orders/5", "/v2/orders/a.b", "/v2/x%41", "/v2/...", "/v2/é",
])
def test_ordinary_paths_pass(path: str) -> None:
    assert not refused(path)


@pytest.mark.parametrize("path", [
    "/v2/orders/ 5", "/v2/\u00a0", "/v2/\u3000", "/v2/a\tb", "/v2/x?y", "/v2/x#y", "/v2\\x",
    "/v2/.", "/v2/..", "/v2/%2e%2E", "/v2/%2E/x", "/v2/\x7f",
])
def test_refused_paths_are_refused(path: str) -> None:
    assert refused(path)
