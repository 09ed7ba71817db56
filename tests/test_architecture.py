"""The floors hold (docs/architecture.md, "Floors"): the import contracts in pyproject.toml, which
`make lint` runs with import-linter, are kept by the code; each of them breaks when an import runs
upwards; and writes enqueue their tasks without an import-time cycle."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(tree: Path, *contracts: str) -> subprocess.CompletedProcess:
    args = [str(LINT_IMPORTS), "--no-cache", *(f"--contract={c}" for c in contracts)]
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run(args, cwd=tree, env=env, capture_output=True, text=True, timeout=120, check=False)


def test_the_code_keeps_every_contract():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


# Each contract, and an import that breaks it: a copy of the code with that one line added.
VIOLATIONS = {
    "core imports an app": ("core", "agora/core/text.py", "from agora.discuss import queries"),
    "core reads an app's rows": ("core", "agora/core/pagination.py", "from agora.discuss.models import Topic"),
    "an app imports the floor above": ("floors", "agora/groups/views.py", "from agora.blog import queries"),
    "an app imports one above it, inside a function": (
        "floors",
        "agora/discuss/services.py",
        "def _up():\n    from agora.events.services import event_rsvp\n",
    ),
    "two apps of one floor import each other": ("floors", "agora/blog/views.py", "from agora.events import queries"),
    "the ground floor's neighbour imports the demo": ("floors", "agora/accounts/forms.py", "import agora.demo.data"),
    "the blog imports its importer": ("floors", "agora/blog/services/writing.py", "from agora.importers import report"),
    "a part of the blog's writes imports a page": (
        "inside",
        "agora/blog/services/workflow.py",
        "from agora.blog import views",
    ),
    "a model imports the permission module": ("data", "agora/discuss/models.py", "from agora import permissions"),
    "a model imports a model above it": ("data", "agora/groups/models.py", "from agora.events.models import Event"),
    "a read imports a page": ("inside", "agora/discuss/queries.py", "from agora.discuss import views"),
    "a read imports a task": (
        "inside",
        "agora/notifications/queries.py",
        "from agora.notifications import tasks",
    ),
}


@pytest.fixture(scope="module")
def code_copy(tmp_path_factory) -> Path:
    """The Python files of agora/ and the contracts, copied once; each test adds its line to one file."""
    tree = tmp_path_factory.mktemp("floors")
    shutil.copytree(
        ROOT / "agora", tree / "agora", ignore=shutil.ignore_patterns("templates", "static", "__pycache__", "locale")
    )
    shutil.copy(ROOT / "pyproject.toml", tree / "pyproject.toml")
    return tree


@pytest.mark.parametrize("case", VIOLATIONS, ids=list(VIOLATIONS))
def test_an_import_against_the_floors_breaks_its_contract(code_copy, case):
    contract, relative, line = VIOLATIONS[case]
    path = code_copy / relative
    original = path.read_text()
    try:
        path.write_text(f"{original}\n{line}\n")
        result = lint_imports(code_copy, contract)
    finally:
        path.write_text(original)
    assert result.returncode != 0, f"{case}: the contract {contract!r} held\n{result.stdout}"
    assert "1 broken" in result.stdout, result.stdout


def _service_modules() -> list[Path]:
    agora = ROOT / "agora"
    return sorted([*agora.glob("*/services.py"), *agora.glob("*/services/*.py"), agora / "discuss" / "messages.py"])


def test_writes_import_tasks_only_inside_the_function_that_enqueues_them():
    """Tasks import the services they call at module level; a service imports a task only where it
    enqueues it (on commit), so the pair never forms an import-time cycle."""
    offenders = []
    for path in _service_modules():
        for node in ast.parse(path.read_text()).body:  # module level only: nested imports are the rule
            names = []
            if isinstance(node, ast.ImportFrom):
                names = [node.module or "", *(a.name for a in node.names)]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            if any(n == "tasks" or n.endswith(".tasks") for n in names):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert _service_modules() and not offenders, offenders


def test_every_task_module_imports_what_it_calls_at_module_level():
    lazy = []
    for path in sorted((ROOT / "agora").glob("*/tasks.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef):
                lazy += [
                    f"{path.relative_to(ROOT)}:{n.lineno}" for n in ast.walk(node) if isinstance(n, ast.ImportFrom)
                ]
    assert not lazy, lazy
