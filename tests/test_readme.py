"""The README cannot rot: every Python block runs against FakeClopos, passes ``mypy --strict``,
and CI runs its command.

Each block runs in a fresh interpreter with the ``CLOPOS_*`` variables pointing at a
FakeClopos. Every block is a complete program (no top-level ``await``): it runs as pasted,
and the ``test_*`` coroutines a block defines are run too, as pytest would.
"""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from clopos_async.testing import FakeClopos

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```python\n(.*?)```", README, flags=re.DOTALL)

RUNNER = '''
import ast, asyncio, inspect, sys

source = sys.stdin.read()
if "asyncio.run(" in source:
    exec(compile(source, "README.md", "exec"), {"__name__": "__main__"})
else:
    async def main():
        from clopos_async import AsyncClopos

        async with AsyncClopos.from_env() as clopos:
            namespace = {"__name__": "readme", "clopos": clopos}
            code = compile(source, "README.md", "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
            result = eval(code, namespace)
            if inspect.iscoroutine(result):
                await result
            for name, value in list(namespace.items()):
                if name.startswith("test_") and inspect.iscoroutinefunction(value):
                    await value()

    asyncio.run(main())
'''


def test_the_readme_has_python_blocks() -> None:
    assert len(BLOCKS) >= 8


@pytest.mark.parametrize("block", BLOCKS, ids=[f"block{n}" for n in range(len(BLOCKS))])
def test_readme_block_runs_as_pasted(block: str) -> None:
    # A plain compile rejects top-level await (ast.parse would not): no wrapper needed.
    compile(block, "README.md", "exec")


def test_readme_and_docs_examples_pass_mypy_strict(tmp_path: Path) -> None:
    """Each block type-checks as the user's own module would, under --strict (one mypy run
    for the README's and the docs site's blocks: a cold mypy start costs seconds)."""
    from .test_docs import BLOCKS as DOCS_BLOCKS

    for number, block in enumerate(BLOCKS):
        (tmp_path / f"readme_block{number}.py").write_text(block, encoding="utf-8")
    for number, block in enumerate(DOCS_BLOCKS):
        (tmp_path / f"docs_block{number}.py").write_text(block, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--python-version", "3.10",
         "--cache-dir", str(tmp_path / ".mypy_cache"), "--no-error-summary",
         # Only the examples are judged here; CI type-checks the package itself.
         "--follow-imports=silent",
         *sorted(str(path) for path in tmp_path.glob("*_block*.py"))],
        capture_output=True, text=True, cwd=tmp_path, timeout=600,
        # The checkout's package: an editable install is invisible to mypy otherwise.
        env={**os.environ, "MYPYPATH": str(ROOT)},
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr


# The docs site's resource pages promise one runnable example each: they run the same way.
RESOURCE_PAGE_BLOCKS = [
    (page.stem, block)
    for page in sorted((ROOT / "docs" / "resources").glob("*.md"))
    for block in re.findall(r"```python\n(.*?)```", page.read_text(encoding="utf-8"),
                            flags=re.DOTALL)
]


@pytest.mark.parametrize("block", BLOCKS, ids=[f"block{n}" for n in range(len(BLOCKS))])
async def test_readme_block_runs(block: str) -> None:
    await run_against_fake(block)


@pytest.mark.parametrize(("page", "block"), RESOURCE_PAGE_BLOCKS,
                         ids=[f"{page}{n}" for n, (page, _) in enumerate(RESOURCE_PAGE_BLOCKS)])
async def test_resource_page_example_runs(page: str, block: str) -> None:
    await run_against_fake(block)


async def run_against_fake(block: str) -> None:
    """Run one example in a fresh interpreter against a FakeClopos, as a user would (a v1
    fake for an example whose client is ``from_env(api_version="v1")``: receipts.create)."""
    version = "v1" if 'from_env(api_version="v1")' in block else "v2"
    async with FakeClopos(orders=200, api_version=version) as fake:
        env = {**os.environ, "CLOPOS_BASE_URL": fake.url, "PYTHONWARNINGS": "error"}
        env.update({f"CLOPOS_{key.upper()}": str(value)
                    for key, value in fake.credentials.items()})
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-c", RUNNER,
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE, env=env, cwd=ROOT,
        )
        out, err = await asyncio.wait_for(process.communicate(block.encode()), timeout=120)
    assert process.returncode == 0, f"README block failed:\n{block}\n{err.decode()}"
    assert b"Traceback" not in err and b"Unclosed" not in err, err.decode()
    assert fake.counters.requests > 0 or "AsyncClopos(" in block, out.decode()


def test_the_two_setup_commands_open_the_readme_and_ci_runs_the_second() -> None:
    first_block = re.search(r"```bash\n(.*?)```", README, flags=re.DOTALL)
    assert first_block is not None
    install_and_run, install_and_test = first_block.group(1).strip().splitlines()
    assert install_and_run == (
        "pip install . && clopos-async --fake orders export --out orders.jsonl"
    )
    assert install_and_test.startswith("pip install '.[test]' && ")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    test_command = install_and_test.replace("pip install", "python -m pip install", 1)
    assert test_command in ci

