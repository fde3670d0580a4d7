"""``gaung.platforms`` depends on ``gaung.kit`` only: its rules and connectors take plain data,
never database models or web objects, so they stay usable from any caller."""

from __future__ import annotations

import ast
from pathlib import Path

PLATFORMS = Path(__file__).resolve().parents[2] / "src" / "gaung" / "platforms"
ALLOWED = ("gaung.kit", "gaung.platforms")
# Third-party packages that would tie network code to the database or the web layer.
FORBIDDEN = ("fastapi", "starlette", "sqlalchemy", "alembic")


def _imports(path: Path, root: Path) -> list[tuple[int, str]]:
    """Absolute module names ``path`` (under ``root``, the package) imports."""
    package = ".".join(path.relative_to(root.parents[1]).with_suffix("").parts)
    if path.name != "__init__.py":
        package = package.rsplit(".", 1)[0]
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                found.append((node.lineno, f"{base}.{node.module}" if node.module else base))
            else:
                found.append((node.lineno, node.module or ""))
    return found


def _violations(root: Path) -> list[str]:
    bad: list[str] = []
    for path in sorted(root.rglob("*.py")):
        for line, module in _imports(path, root):
            top = module.split(".")[0]
            if top == "gaung" and not module.startswith(ALLOWED):
                bad.append(f"{path.relative_to(root)}:{line} imports {module}")
            if top in FORBIDDEN:
                bad.append(f"{path.relative_to(root)}:{line} imports {module}")
    return bad


def test_platforms_import_only_kit() -> None:
    assert list(PLATFORMS.rglob("*.py")), "the check must see the package"
    assert _violations(PLATFORMS) == []


def test_the_check_catches_a_forbidden_import(tmp_path: Path) -> None:
    package = tmp_path / "gaung" / "platforms"
    (package / "x").mkdir(parents=True)
    (package / "x" / "rules.py").write_text(
        "from gaung.accounts.models import PlatformAccount\nfrom ..types import Problem\n"
        "import sqlalchemy.orm\nfrom gaung.kit import crypto\n",
        encoding="utf-8",
    )
    assert _violations(package) == [
        "x/rules.py:1 imports gaung.accounts.models",
        "x/rules.py:3 imports sqlalchemy.orm",
    ]
