"""The documentation site cannot rot: its API reference covers every public name, and its
Python examples need no wrapper (test_readme.py type-checks them with the README's). CI also
builds the site with ``mkdocs build --strict``, which fails on a broken page, link or
reference."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import clopos_async
import clopos_async.testing

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
REFERENCED = {
    match
    for page in DOCS.rglob("*.md")
    for match in re.findall(r"^::: ([\w.]+)", page.read_text(encoding="utf-8"), flags=re.M)
}
BLOCKS = [
    block
    for page in sorted(DOCS.rglob("*.md"))
    for block in re.findall(r"```python\n(.*?)```", page.read_text(encoding="utf-8"), flags=re.S)
]


@pytest.mark.parametrize(
    ("module", "names"),
    [
        ("clopos_async", clopos_async.__all__),
        ("clopos_async.testing", clopos_async.testing.__all__),
    ],
)
def test_every_public_name_has_a_reference_entry(module: str, names: list[str]) -> None:
    missing = [name for name in names if f"{module}.{name}" not in REFERENCED]
    assert missing == [], f"add '::: {module}.<name>' to a page under docs/reference/"


def test_every_reference_entry_names_something_real() -> None:
    import importlib

    for dotted in REFERENCED:
        module_name, _, name = dotted.rpartition(".")
        assert hasattr(importlib.import_module(module_name), name), dotted


def test_the_docs_have_the_promised_pages() -> None:
    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    for page in ("getting-started.md", "resources/orders.md", "guides/retries-and-rate-limits.md",
                 "guides/writes-and-idempotency.md", "guides/pagination-and-concurrency.md",
                 "guides/testing.md", "guides/cli.md"):  # fmt: skip
        assert page in nav and (DOCS / page).is_file(), page


@pytest.mark.parametrize("block", BLOCKS, ids=[f"block{n}" for n in range(len(BLOCKS))])
def test_docs_example_runs_as_pasted(block: str) -> None:
    compile(block, "docs", "exec")  # rejects top-level await (ast.parse would not)
