"""What every scheduled job is given: its own sessions, the settings, the one shared HTTP client,
this worker's name, a clock (tests inject one) and the stop signal."""

from __future__ import annotations

import asyncio
import os
import secrets
import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gaung.config import Settings
from gaung.kit.time import utcnow


def worker_name() -> str:
    """Unique per process and readable in the attempt log: host, pid and a random tail."""
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{secrets.token_hex(3)}"


@dataclass
class JobContext:
    sessionmaker: async_sessionmaker[AsyncSession]
    settings: Settings
    http: httpx.AsyncClient
    worker: str = field(default_factory=worker_name)
    clock: Callable[[], datetime] = utcnow
    # Set when the worker is stopping: jobs finish what they started and claim nothing new.
    stopping: asyncio.Event = field(default_factory=asyncio.Event)
