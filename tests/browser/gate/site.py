"""The case pages behind ConsentMiddleware, on loopback: ``python tests/browser/gate/site.py --port N``.

Run as a script with whichever Python's ``consent`` is to be measured: the gate report starts it with the
venv of the code before issues 8 and 9 too. Its directory's parent (tests/browser) goes first on the path,
so the cases import as the package ``gate`` and ``consent`` is the one that Python has installed.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

if not __package__:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from gate.case import GIF, OWN_TRACKER, SECRET, SENTINEL_JS, page
    from gate.cases import BY_ID
else:
    from .case import GIF, OWN_TRACKER, SECRET, SENTINEL_JS, page
    from .cases import BY_ID


def make_app(guard: bool = True):
    """The case pages behind ConsentMiddleware (of whichever ``consent`` this Python imports)."""
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.requests import Request
    from starlette.responses import HTMLResponse, PlainTextResponse, Response
    from starlette.routing import Route

    from consent import ConsentConfig, ConsentMiddleware

    options = {"secret_key": SECRET, "policy_version": "gate", "trackers": [OWN_TRACKER]}
    if "client_guard" in {f.name for f in dataclasses.fields(ConsentConfig)}:
        options["client_guard"] = guard
    config = ConsentConfig(**options)

    async def case_page(request: Request) -> Response:
        case = BY_ID.get(request.path_params["id"])
        if case is None:
            return PlainTextResponse("no such case", 404)
        cache = "public, max-age=60" if case.shared else "no-cache"
        return HTMLResponse(page(case, "nojs" in request.query_params), headers={"cache-control": cache})

    async def case_js(request: Request) -> Response:
        case = BY_ID.get(request.path_params["id"])
        if case is None or not case.script:
            return PlainTextResponse("no such script", 404)
        code = f"(function () {{ var C = {case.id!r}; {case.script} }})();"
        return Response(code, media_type="text/javascript")

    async def tag_manager_page(request: Request) -> Response:
        html = (
            '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>tm</title>'
            '<script async src="https://www.googletagmanager.com/gtm.js?id=GTM-GUARD"></script></head>'
            '<body><h1>A tag manager allowed as analytics</h1><script src="/sentinel.js"></script></body></html>'
        )
        return HTMLResponse(html)

    routes = [
        Route("/case/{id}", case_page),
        Route("/case/{id}/app.js", case_js),
        Route("/tag-manager", tag_manager_page),
        Route("/sentinel.js", lambda r: Response(SENTINEL_JS, media_type="text/javascript")),
        Route("/sentinel", lambda r: Response(status_code=204)),
        Route("/done", lambda r: HTMLResponse("<!doctype html><title>done</title><p>done")),
        Route("/pixel.gif", lambda r: Response(GIF, media_type="image/gif")),
    ]
    return Starlette(routes=routes, middleware=[Middleware(ConsentMiddleware, config=config)])


def main() -> None:
    import uvicorn

    parser = argparse.ArgumentParser(description="Serve the gate suite's case pages on loopback.")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--no-guard", action="store_true", help="client_guard=False")
    args = parser.parse_args()
    uvicorn.run(make_app(guard=not args.no_guard), host="127.0.0.1", port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
