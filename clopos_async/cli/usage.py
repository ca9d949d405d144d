"""The argument parser every command uses: a usage error is one ``error:`` line, and a
``--sort`` value may start with ``-``.

argparse's own way (the whole usage block, 8 to 20 lines of global flags, then the message)
buried the one line that matters, and differed from every other failure of the command line
(one ``error: ...`` line naming the flag). ``--help`` still shows the usage in full.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import NoReturn

from ..shown import shown
from .errors import EXIT_USAGE

__all__ = ["CommandParser", "attach_dash_values", "parse_command_line"]

# Flags whose value may start with '-': "--sort -total" sorts descending, as their help says.
_DASH_VALUE_FLAGS = frozenset({"--sort"})


class CommandParser(argparse.ArgumentParser):
    """An `argparse.ArgumentParser` whose usage errors are one line on stderr (exit 2).

    Subcommand parsers are made of the same class (argparse uses ``type(parent)``).
    """

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"error: {shown(message)} (see {self.prog} --help)\n")


def parse_command_line(parser: argparse.ArgumentParser, argv: Sequence[str]) -> argparse.Namespace:
    """Parse ``argv`` (see `attach_dash_values`). An unknown flag is reported by the command
    it was given to, so that the ``--help`` the error points to lists the flags it takes
    (argparse reports it from the top level, whose help shows none of them)."""
    args, unknown = parser.parse_known_args(attach_dash_values(argv))
    if unknown:
        _innermost(parser, args).error(f"unrecognized arguments: {' '.join(unknown)}")
    return args


def _innermost(
    parser: argparse.ArgumentParser, args: argparse.Namespace
) -> argparse.ArgumentParser:
    """The parser of the (sub)command ``args`` chose, e.g. ``clopos-async products list``."""
    for action in parser._actions:  # argparse keeps no public list of a parser's subcommands
        if isinstance(action, argparse._SubParsersAction):
            chosen = action.choices.get(getattr(args, action.dest, None) or "")
            return parser if chosen is None else _innermost(chosen, args)
    return parser


def attach_dash_values(argv: Sequence[str]) -> list[str]:
    """``--sort -total`` -> ``--sort=-total``: argparse takes a lone ``-total`` for an unknown
    option and fails with "expected one argument". Arguments after ``--`` are left alone."""
    args = list(argv)
    end = args.index("--") if "--" in args else len(args)
    joined: list[str] = []
    position = 0
    while position < end:
        arg = args[position]
        following = args[position + 1] if position + 1 < end else ""
        if arg in _DASH_VALUE_FLAGS and _is_dash_value(following):
            joined.append(f"{arg}={following}")
            position += 2
        else:
            joined.append(arg)
            position += 1
    return joined + args[end:]


def _is_dash_value(arg: str) -> bool:
    # "-total", not "--max" (another flag) nor "-" alone.
    return arg.startswith("-") and not arg.startswith("--") and len(arg) > 1
