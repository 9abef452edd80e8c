"""The dependency direction of shared/DESIGN.md, checked on the source (every import statement,
also those inside functions): `quartier` imports no app, `neighbourhoods` no other app (only
the `quartier` toolbox below every app), `network` nothing of `participation`. Apps plug into each
other through registries."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
OURS = {"quartier", "neighbourhoods", "participation", "network"}
FORBIDDEN = {
    "quartier": {"neighbourhoods", "participation", "network"},
    "neighbourhoods": {"participation", "network"},
    "network": {"participation"},
}


def imported_packages(path):
    """(line, top-level package) of every import in the module, relative ones excluded."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module.split(".")[0]
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", getattr(node.func, "attr", None)) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            yield node.lineno, node.args[0].value.split(".")[0]


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_no_import_against_the_dependency_direction(package):
    offences = [
        f"{path.relative_to(ROOT)}:{line} imports {imported}"
        for path in sorted((ROOT / package).rglob("*.py"))
        for line, imported in imported_packages(path)
        if imported in FORBIDDEN[package]
    ]
    assert offences == []


def test_the_check_sees_imports_inside_functions(tmp_path):
    module = tmp_path / "example.py"
    module.write_text(
        "def f():\n    from participation.models import Idea\n"
        "import_module('network.demo')\ninclude('neighbourhoods.urls')\n"
    )
    assert [name for _line, name in imported_packages(module) if name in OURS] == [
        "participation",
        "network",
    ]
