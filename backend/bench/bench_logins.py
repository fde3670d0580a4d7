"""Logins under load: how long GET /health takes while 30 logins run at once (argon2id is
computed in worker threads, two at a time, so the event loop stays free), and how long the
burst of logins takes. Prints the figures; run by hand or with `make bench`.

    python bench/bench_logins.py [--logins 30]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

import httpx

from gaung.config import Settings
from gaung.db import create_engine, make_sessionmaker
from gaung.main import create_app
from gaung.migrate import upgrade
from gaung.seed import seed_demo


async def health_ms(client: httpx.AsyncClient, n: int) -> list[float]:
    out = []
    for _ in range(n):
        start = time.perf_counter()
        assert (await client.get("/api/v1/health")).is_success
        out.append((time.perf_counter() - start) * 1000)
    return out


def summary(ms: list[float]) -> str:
    ms = sorted(ms)
    return f"median {statistics.median(ms):7.2f} ms   max {ms[-1]:7.2f} ms"


async def main(logins: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="gaung-bench-"))
    url = f"sqlite+aiosqlite:///{folder}/b.sqlite3"
    await asyncio.to_thread(upgrade, url)
    # Room for the burst: the account lock would otherwise answer most attempts with 429.
    settings = Settings(
        data_dir=folder,
        database_url=url,
        login_account_max_failures=10 * logins,
        login_address_max_failures=10 * logins,
    )
    engine = create_engine(url)
    async with make_sessionmaker(engine)() as session:
        await seed_demo(session, settings)
        await session.commit()
    app = create_app(settings, engine=engine)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://bench"
    ) as client:
        print(f"{'GET /health, idle':<44} {summary(await health_ms(client, 20))}")

        async def login(i: int) -> int:
            password = settings.demo_admin_password if i % 2 else "a wrong password"
            res = await client.post(
                "/api/v1/auth/login",
                json={"email": settings.demo_admin_email, "password": password},
            )
            return res.status_code

        start = time.perf_counter()
        burst = asyncio.ensure_future(asyncio.gather(*(login(i) for i in range(logins))))
        during: list[float] = []
        while not burst.done():
            # A probe every 20 ms, timed from when it was due: a blocked event loop shows
            # as a late start, which timing the request alone would miss.
            due = time.perf_counter() + 0.02
            await asyncio.sleep(0.02)
            assert (await client.get("/api/v1/health")).is_success
            during.append((time.perf_counter() - due) * 1000)
        codes = await burst
        total = (time.perf_counter() - start) * 1000
        print(f"{f'GET /health during {logins} logins':<44} {summary(during)}")
        print(
            f"{f'{logins} concurrent logins (half wrong)':<44} {total:7.0f} ms in all; "
            f"statuses {sorted(set(codes))}"
        )
    await engine.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--logins", type=int, default=30)
    asyncio.run(main(parser.parse_args().logins))
