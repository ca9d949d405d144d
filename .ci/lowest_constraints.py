"""Print pip constraints pinning every runtime dependency to the floor pyproject.toml declares.

CI installs the package with these (``pip install -c``) and runs the suite, so a floor that
stops being true fails CI instead of failing a user. Extras named on the command line are
pinned too (``python .ci/lowest_constraints.py speed``). Every pinned requirement must have a
``>=`` floor: one without cannot be tested at its lowest version, so that is an error.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import tomllib

_FLOOR = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?\s*>=\s*([^,;\s]+)")


def floors(requirements: list[str]) -> list[str]:
    pins = []
    for requirement in requirements:
        match = _FLOOR.match(requirement)
        if match is None:
            raise SystemExit(f"error: {requirement!r} declares no '>=' floor to test")
        name, _extras, version = match.groups()
        pins.append(f"{name}=={version}")
    return pins


def main(extras: list[str]) -> None:
    project = tomllib.loads(Path("pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = list(project["dependencies"])
    for extra in extras:
        requirements += project["optional-dependencies"][extra]
    print("\n".join(floors(requirements)))


if __name__ == "__main__":
    main(sys.argv[1:])
