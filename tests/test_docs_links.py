"""Issue #11 item 20: the README and docs/ point only inside the repository, and every file they name exists.

A clone has nothing beside the repository (no `../shared/`), so links and named files must resolve within it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
NAMED_FILE = re.compile(r"`([\w./-]+\.md)`")  # a Markdown file named in code style, e.g. `docs/security.md`


def _inside(path: Path) -> bool:
    return path.resolve().is_relative_to(ROOT)


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: str(path.relative_to(ROOT)))
def test_relative_links_resolve_inside_the_repository(document):
    for target in LINK.findall(document.read_text(encoding="utf-8")):
        if re.match(r"[a-z]+:", target) or target.startswith("#"):
            continue  # URLs and anchors in the same page
        path = (document.parent / target.split("#", 1)[0]).resolve()
        assert _inside(path), f"{document.name} links outside the repository: {target}"
        assert path.exists(), f"{document.name} links a missing file: {target}"


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: str(path.relative_to(ROOT)))
def test_named_documents_exist_in_the_repository(document):
    # A bare name (`security.md`) may mean a page beside this one, at the root, in docs/ or docs/decisions/.
    bases = [document.parent, ROOT, ROOT / "docs", ROOT / "docs" / "decisions"]
    for name in NAMED_FILE.findall(document.read_text(encoding="utf-8")):
        candidates = [(base / name) for base in bases]
        assert all(_inside(path) for path in candidates[:2]), f"{document.name} names a file outside: {name}"
        assert any(path.exists() for path in candidates), f"{document.name} names a missing file: {name}"


def test_the_readme_links_the_architecture_and_says_what_a_newcomer_needs():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "(docs/architecture.md)" in readme
    assert "fonts-noto-cjk" in readme
    assert "first `make run` takes a few minutes" in readme
