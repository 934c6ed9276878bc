"""The OCR models come from RapidOCR's wheel: loading and reading never open a network connection.

The machine this runs on may have a network; the test takes it away from this process (every
socket connect raises) and loads and uses the reader anyway.
"""

import socket

import pytest

from checker.ocr.reader import Reader
from tests import screenshots


class NetworkUsed(AssertionError):
    pass


@pytest.fixture
def no_network(monkeypatch):
    attempts: list[object] = []

    def refuse(self, address, *args, **kwargs):
        # Local IPC (a Unix socket) is not the network; anything with a host is.
        if isinstance(address, tuple):
            attempts.append(address)
            raise NetworkUsed(f"network connection attempted: {address!r}")
        return real_connect(self, address, *args, **kwargs)

    real_connect = socket.socket.connect
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", lambda address, *a, **k: refuse(None, address))
    monkeypatch.setattr(socket, "getaddrinfo", lambda host, *a, **k: refuse(None, (host, 0)))
    return attempts


def test_the_reader_loads_and_reads_with_no_network(no_network):
    reader = Reader.load()
    reading = reader.read(screenshots.sms("您的快递已到驿站，取件码 3-2-1088，请凭码取件。"))
    text = "".join(line["text"] for line in reading["lines"])
    assert "取件码" in text
    assert no_network == []


def test_the_guard_itself_catches_a_connection(no_network):
    # Without this, a guard that never fires would make the test above pass vacuously.
    with pytest.raises(NetworkUsed):
        socket.create_connection(("example.com", 80), timeout=1)
