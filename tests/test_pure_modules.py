"""Pure modules (schedules, APR, rules, scoring, identifiers…) import no ORM (docs/architecture.md, STYLE rule 5).

`make lint` runs import-linter's contract over the project's own modules (a pure module never reaches a model,
selector or service, even through another module); import-linter sees an external package only as a whole, so
this test reads each pure module's own imports of Django: translation and lazy strings only.
"""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ALLOWED_DJANGO = {"django.utils.translation", "django.utils.functional"}


def _pure_modules() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    (pure,) = [c for c in contracts if c["type"] == "forbidden" and "Pure modules" in c["name"]]
    return list(pure["source_modules"])


def _imports(module: str) -> set[str]:
    tree = ast.parse((ROOT / (module.replace(".", "/") + ".py")).read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def test_the_contract_names_the_pure_modules():
    modules = _pure_modules()
    assert len(modules) >= 15
    assert "creditdesk.lending.schedule" in modules
    assert "creditdesk.core.money" in modules


@pytest.mark.parametrize("module", _pure_modules())
def test_a_pure_module_imports_no_django_but_translation(module):
    django = {name for name in _imports(module) if name == "django" or name.startswith("django.")}
    assert django <= ALLOWED_DJANGO, f"{module} imports {sorted(django - ALLOWED_DJANGO)}"
