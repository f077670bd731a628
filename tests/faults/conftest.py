"""Real servers for the fault tests: started on a free port, stopped when the test says so."""

import contextlib
import socket
import subprocess
import time

import pytest

from tests.marketplace.conftest import agency, producer_a, roles, user_a  # noqa: F401
from tests.marketplace.inquiry_helpers import _fresh_rate_limits, buyer  # noqa: F401
from tests.marketplace.order_helpers import sample_product

READY_TIMEOUT = 20  # seconds a server gets to listen


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def listening(port):
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


class Server:
    """One server process on 127.0.0.1:`port`; `stop()` ends it (SIGTERM, then SIGKILL), `start()` again."""

    def __init__(self, command, port, env=None):
        self.command, self.port, self.env, self.process = command, port, env, None

    def start(self):
        self.process = subprocess.Popen(  # noqa: S603 (fixed command lines of installed servers)
            self.command, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL
        )
        deadline = time.monotonic() + READY_TIMEOUT
        while not listening(self.port):
            assert self.process.poll() is None, f"{self.command[0]} exited with {self.process.returncode}"
            assert time.monotonic() < deadline, f"{self.command[0]} did not listen within {READY_TIMEOUT} s"
            time.sleep(0.1)
        return self

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        deadline = time.monotonic() + READY_TIMEOUT
        while listening(self.port) and time.monotonic() < deadline:
            time.sleep(0.1)


@contextlib.contextmanager
def running(command, port):
    server = Server(command, port).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def page_a(product_index, producer_a):  # noqa: F811
    """A certified product offering samples (inquiries, sample orders and a fair stand use it)."""
    return sample_product(product_index, producer_a)
