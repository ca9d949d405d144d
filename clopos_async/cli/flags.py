"""SDK argument errors in the command line's words: ``--max must be >= 1``, not ``max_items``.

The SDK checks every argument before sending anything and names its Python parameter; the
user typed a flag. Only messages of argument errors (ValueError, TypeError) are rewritten.
A command may add its own names (`flags_by_parameter`: each of its flags by the parameter
it sets), so that a declared filter's error names ``--category-id``, not ``category_id``.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Mapping

__all__ = ["FLAG_FOR_PARAMETER", "cli_words", "flags_by_parameter", "in_flag_terms"]

# Python parameter -> the flag (or argument) that sets it.
FLAG_FOR_PARAMETER: dict[str, str] = {
    "RetryPolicy.max_retries": "--retries",
    "max_items": "--max",
    "date_from": "--from",
    "date_to": "--to",
    "with_": "--with",
    "filters": "--filter",
    "base_url": "--base-url",
    "api_version": "--api-version",
    "client_id": "--client-id",
    "client_secret": "--client-secret",
    "integrator_id": "--integrator-id",
    "venue_id": "--venue-id",
    "idempotency_key": "--idempotency-key",
    "order_id": "ID",
    "token_ttl": "--token-ttl",
    "limit": "--limit",
    "status": "--status",
    "sort": "--sort",
    "concurrency": "--concurrency",
    "timeout": "--timeout",
    "latency": "--latency",
}

# The CLI reads every yes/no value with the declarations' words (`declaration.flag`), so a
# refused one is explained in those words, not as the Python type the SDK wanted.
_CLI_WORDS = {" must be a bool": " must be yes or no (or true/false, 1/0)"}


def _patterns(names: Mapping[str, str]) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
    # A parameter with an underscore or a dot cannot be an ordinary word, so it is replaced
    # anywhere; a plain word ("limit", "status") only where the message starts with it.
    compound = [re.escape(name) for name in names if "_" in name or "." in name]
    plain = [re.escape(name) for name in names if name.isalpha()]
    return (
        re.compile(r"^(" + "|".join(plain) + r")(?=\W)") if plain else None,
        re.compile(r"(?<![\w.])(" + "|".join(compound) + r")(?!\w)") if compound else None,
    )


_DEFAULT_PATTERNS = _patterns(FLAG_FOR_PARAMETER)


def cli_words(message: str) -> str:
    """``message`` with the SDK's Python words for a value replaced by what the CLI reads."""
    for python, typed in _CLI_WORDS.items():
        message = message.replace(python, typed)
    return message


def in_flag_terms(message: str, flags: Mapping[str, str] | None = None) -> str:
    """``message`` with the SDK's parameter names replaced by the flags that set them:
    ``flags`` (the command's own, `flags_by_parameter`) first, then `FLAG_FOR_PARAMETER`."""
    names = {**FLAG_FOR_PARAMETER, **flags} if flags else FLAG_FOR_PARAMETER
    leading, compound = _patterns(names) if flags else _DEFAULT_PATTERNS
    if leading is not None:
        message = leading.sub(lambda match: names[match[1]], message)
    if compound is not None:
        message = compound.sub(lambda match: names[match[1]], message)
    return cli_words(message)


def flags_by_parameter(parser: argparse.ArgumentParser, *, prefix: str = "") -> dict[str, str]:
    """Each flag of ``parser`` by the SDK parameter it sets: its dest, less ``prefix``.

    The rule every command follows: a flag's dest is the name of the parameter it sets
    (``--order-status`` sets ``order_status``), or that name behind ``prefix`` where it
    could collide with the command's own flags (declared filters: ``param_type``).
    """
    return {
        action.dest.removeprefix(prefix): max(action.option_strings, key=len)
        for action in parser._actions  # argparse keeps no public list of a parser's flags
        if action.option_strings and action.dest != argparse.SUPPRESS
    }
