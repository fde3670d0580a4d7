"""Small helpers shared by the media tests."""

from __future__ import annotations

from pathlib import Path

from gaung.config import Settings
from gaung.units.models import Unit
from gaung.users.models import Role
from tests.conftest import World


async def editor_of(world: World, role: Role = Role.editor) -> tuple[Unit, dict[str, str]]:
    """A new unit and the headers of a member with ``role`` in it."""
    unit = await world.unit()
    return unit, world.headers(await world.user(unit, role))


def stored_files(settings: Settings) -> list[Path]:
    """Every file under the media directory, temporary ones included."""
    return sorted(p for p in settings.effective_media_dir.rglob("*") if p.is_file())
