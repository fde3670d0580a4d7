"""``gaung.platforms`` depends on ``gaung.kit`` only: its rules and connectors take plain data,
never database models or web objects, so they stay usable from any caller."""

from __future__ import annotations

import ast
from pathlib import Path

PLATFORMS = Path(__file__).resolve().parents[2] / "src" / "gaung" / "platforms"
ALLOWED = ("gaung.kit", "gaung.platforms")
# kit.errors imports the registry for the rule codes: importing it back would be a cycle.
CYCLE = "gaung.kit.errors"
# Third-party packages that would tie network code to the database or the web layer.
FORBIDDEN = ("fastapi", "starlette", "sqlalchemy", "alembic")


def _imports(path: Path, root: Path) -> list[tuple[int, list[str]]]:
    """Per import statement in ``path`` (under ``root``, the package): its line and the absolute
    names it may load (``from a import b`` may load ``a`` and the module ``a.b``)."""
    package = ".".join(path.relative_to(root.parents[1]).with_suffix("").parts)
    if path.name != "__init__.py":
        package = package.rsplit(".", 1)[0]
    found: list[tuple[int, list[str]]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.append((node.lineno, [alias.name for alias in node.names]))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{node.module}" if node.module else parent
            found.append((node.lineno, [base] + [f"{base}.{alias.name}" for alias in node.names]))
    return found


def _allowed(module: str) -> bool:
    top = module.split(".")[0]
    if top in FORBIDDEN:
        return False
    if top != "gaung":
        return True
    return module.startswith(ALLOWED) and not module.startswith(CYCLE)


def _violations(root: Path) -> list[str]:
    bad: list[str] = []
    for path in sorted(root.rglob("*.py")):
        for line, modules in _imports(path, root):
            refused = [module for module in modules if not _allowed(module)]
            if refused:
                bad.append(f"{path.relative_to(root)}:{line} imports {refused[0]}")
    return bad


def test_platforms_import_only_kit() -> None:
    assert list(PLATFORMS.rglob("*.py")), "the check must see the package"
    assert _violations(PLATFORMS) == []


def test_the_check_catches_a_forbidden_import(tmp_path: Path) -> None:
    package = tmp_path / "gaung" / "platforms"
    (package / "x").mkdir(parents=True)
    (package / "x" / "rules.py").write_text(
        "from gaung.accounts.models import PlatformAccount\nfrom ..types import Problem\n"
        "import sqlalchemy.orm\nfrom gaung.kit import crypto\nfrom gaung.kit import errors\n"
        "from gaung.kit.errors import AppError\n",
        encoding="utf-8",
    )
    assert _violations(package) == [
        "x/rules.py:1 imports gaung.accounts.models",
        "x/rules.py:3 imports sqlalchemy.orm",
        "x/rules.py:5 imports gaung.kit.errors",
        "x/rules.py:6 imports gaung.kit.errors",
    ]
