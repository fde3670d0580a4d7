"""``python -m tests.fakeplatform --port N``: the fake platform on loopback until stopped."""

from __future__ import annotations

import argparse

import uvicorn

from tests.fakeplatform.app import FakePlatform
from tests.fakeplatform.server import config
from tests.fakeplatform.state import FakeState


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--latency-ms", type=float, default=50.0)
    args = parser.parse_args(argv)
    uvicorn.Server(config(FakePlatform(FakeState(latency_ms=args.latency_ms)), args.port)).run()


if __name__ == "__main__":
    main()
