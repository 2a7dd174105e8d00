"""Coverage-guided fuzzing of the HTML engine (atheris; see fuzz/run.sh, which builds the compiled scanner with
the fuzzer's coverage and AddressSanitizer and runs this with a time limit).

Two targets:

- ``engine`` (default): random bytes as a page, rewritten for an undecided visitor and for one who accepted
  everything, whole and in a random chunking, on both scanner back ends: every output must be the same, and
  nothing may raise.
- ``middleware``: the same pages streamed through ConsentMiddleware in process (ASGI messages, random chunks,
  random response headers): no exception, and the body is the same whatever the chunking.
"""

from __future__ import annotations

import asyncio
import sys

import atheris

with atheris.instrument_imports(include=["consent._html", "consent._plan", "consent._middleware"]):
    from consent import ConsentConfig, ConsentMiddleware
    from tests.engine import differential as d

ENGINES = d.engines()
assert len(ENGINES) == 2, f"both back ends are needed, found {list(ENGINES)}"
CONFIG = ConsentConfig(secret_key="f" * 40, locales=["en", "de"], google_consent_mode=True)


def engine_target(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    chunk = fdp.ConsumeIntInRange(1, 97)
    page = fdp.ConsumeBytes(fdp.remaining_bytes())
    problems = list(d.differences(ENGINES, page, [None, chunk]))
    if problems:
        raise AssertionError(problems[0])


CURRENT: dict[str, object] = {}  # what the app sends next (one middleware serves every input)


async def _app(scope, receive, send):
    page, chunk, content_type = CURRENT["page"], CURRENT["chunk"], CURRENT["type"]
    headers = [(b"content-type", content_type), (b"set-cookie", b"_ga=1; Path=/")]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    for i in range(0, len(page), chunk):
        await send({"type": "http.response.body", "body": page[i : i + chunk], "more_body": True})
    await send({"type": "http.response.body", "body": b"", "more_body": False})


MIDDLEWARE = ConsentMiddleware(_app, config=CONFIG)


async def _run(page: bytes, chunk: int, content_type: bytes) -> bytes:
    CURRENT.update(page=page, chunk=chunk, type=content_type)
    out: list[bytes] = []
    scope = {
        "type": "http",
        "method": "GET",
        "path": "/",
        "root_path": "",
        "query_string": b"",
        "scheme": "http",
        "headers": [(b"accept-language", b"de")],
    }

    async def receive():
        return {"type": "http.request", "body": b""}

    async def send(message):
        if message["type"] == "http.response.body":
            out.append(message.get("body", b""))

    await MIDDLEWARE(scope, receive, send)
    return b"".join(out)


def middleware_target(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    chunk = fdp.ConsumeIntInRange(1, 97)
    content_type = fdp.PickValueInList([b"text/html", b"text/html; charset=utf-8", b"text/html; charset=latin-1"])
    page = fdp.ConsumeBytes(fdp.remaining_bytes())
    whole = asyncio.run(_run(page, len(page) + 1, content_type))
    parts = asyncio.run(_run(page, chunk, content_type))
    if whole != parts:
        raise AssertionError(f"chunk={chunk}: output depends on the chunking")


def main() -> None:
    target = middleware_target if "--target=middleware" in sys.argv else engine_target
    argv = [a for a in sys.argv if not a.startswith("--target=")]
    atheris.Setup(argv, target)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
