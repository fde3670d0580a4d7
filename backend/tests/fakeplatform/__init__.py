"""A fake of the X API v2 and the Graph API (Facebook Pages, Instagram) on loopback, for
publishing tests and benchmarks: documented answer shapes, configurable latency, injected
faults, and a record of every request with the time it arrived."""

from tests.fakeplatform.app import FakePlatform
from tests.fakeplatform.server import FakeControl, RunningFake, fake_in_thread, fake_subprocess
from tests.fakeplatform.state import PUBLISH_OPS, FakeState, Fault, Received

__all__ = [
    "PUBLISH_OPS",
    "FakeControl",
    "FakePlatform",
    "FakeState",
    "Fault",
    "Received",
    "RunningFake",
    "fake_in_thread",
    "fake_subprocess",
]
