"""A bounded load client for ``POST /consent`` (asyncio, raw HTTP/1.1 keep-alive, loopback only).

It counts what wrk cannot tell us: which decisions got a successful answer. Each request carries no cookie,
so each answer sets a new consent id; the client keeps every id it was answered with, so a test can compare
them with the records in the store. Stopping waits for the requests in flight (a drained stop), so "answered"
and "processed" can be compared exactly; a killed server makes its in-flight requests fail, and those count
as not answered.
"""

from __future__ import annotations

import asyncio
import re
import time
from dataclasses import dataclass, field

ACTIONS = (b'{"action":"accept"}', b'{"action":"reject"}', b'{"action":"save","categories":["analytics"]}')
_ID = re.compile(rb"consent=1:[^:]*:[^:]*:([A-Za-z0-9_-]+)\.")


@dataclass
class Result:
    ids: list[str] = field(default_factory=list)  # consent ids of the successful answers, in order
    latencies: list[float] = field(default_factory=list)  # seconds, of the successful answers
    failed: int = 0  # error statuses, and requests whose answer never came (connection reset)
    seconds: float = 0.0

    @property
    def ok(self) -> int:
        return len(self.ids)

    @property
    def rate(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0

    def p(self, quantile: float) -> float:
        """A latency quantile in milliseconds."""
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(quantile * len(ordered)))] * 1000


class Load:
    """``connections`` clients posting decisions to ``host:port`` until `stop` (or a deadline)."""

    def __init__(self, host: str, port: int, connections: int) -> None:
        self.host, self.port, self.connections = host, port, connections
        self.result = Result()
        self._stop = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self._started = 0.0

    def start(self) -> None:
        self._started = time.monotonic()
        self._tasks = [asyncio.create_task(self._client(i)) for i in range(self.connections)]

    async def stop(self) -> Result:
        """Stop sending, wait for every request in flight, and return the counts."""
        self._stop.set()
        await asyncio.gather(*self._tasks)
        self.result.seconds = time.monotonic() - self._started
        return self.result

    async def _client(self, number: int) -> None:
        request_number = number
        while not self._stop.is_set():
            try:
                reader, writer = await asyncio.wait_for(asyncio.open_connection(self.host, self.port), 5)
            except (TimeoutError, OSError):
                await asyncio.sleep(0.05)  # the server is down (killed, restarting): try again
                continue
            try:
                while not self._stop.is_set():
                    body = ACTIONS[request_number % len(ACTIONS)]
                    request_number += self.connections
                    started = time.monotonic()
                    writer.write(self._request(body))
                    status, consent_id = await asyncio.wait_for(_response(reader), 30)
                    if status == 200 and consent_id:
                        self.result.ids.append(consent_id)
                        self.result.latencies.append(time.monotonic() - started)
                    else:
                        self.result.failed += 1
            except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError):
                self.result.failed += 1  # this request's answer never came
            finally:
                writer.close()

    def _request(self, body: bytes) -> bytes:
        return (
            b"POST /consent HTTP/1.1\r\nHost: %s:%d\r\nContent-Type: application/json\r\nAccept: application/json\r\n"
            b"User-Agent: loadgen\r\nContent-Length: %d\r\n\r\n%s"
        ) % (self.host.encode(), self.port, len(body), body)


async def _response(reader: asyncio.StreamReader) -> tuple[int, str | None]:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    match = re.search(rb"\r\ncontent-length:\s*(\d+)", head, re.IGNORECASE)
    if match:
        await reader.readexactly(int(match[1]))
    found = _ID.search(head)
    return status, found[1].decode() if found else None


async def run(host: str, port: int, seconds: float, connections: int) -> Result:
    load = Load(host, port, connections)
    load.start()
    await asyncio.sleep(seconds)
    return await load.stop()
