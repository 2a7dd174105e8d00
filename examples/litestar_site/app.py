"""A Litestar app with asgi-consent: the middleware wraps the whole app (Litestar's route middleware,
``DefineMiddleware``, would only run for the app's own routes, so /consent and the pages would be 404s).

Run it with ``python examples/litestar_site/app.py`` (after ``pip install -e ".[litestar,example]"``).
"""

from __future__ import annotations

import argparse
import os
import secrets

from litestar import Litestar, MediaType, Request, get

from consent import ConsentConfig, ConsentMiddleware, consent_state, settings_url

config = ConsentConfig(
    secret_key=os.environ.get("CONSENT_SECRET") or secrets.token_urlsafe(32),
    site_name="Litestar Ledger",
    locales=["en", "de"],
)

PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Litestar Ledger</title>
<script type="text/plain" data-consent="analytics" async src="https://www.googletagmanager.com/gtag/js?id=G-LEDGER"></script>
</head><body><h1>Litestar Ledger</h1><p>{ad}</p>
<footer><a href="{settings}">Cookie settings</a></footer></body></html>"""


@get("/", media_type=MediaType.HTML)
async def home(request: Request) -> str:
    state = consent_state(request)  # scope["consent"], as for any ASGI framework
    ad = "Advertisement" if state.allows("marketing") else "No advertising for you."
    return PAGE.format(ad=ad, settings=settings_url(request))


# The recipe: wrap the Litestar app. (Not middleware=[DefineMiddleware(ConsentMiddleware, ...)]: refused.)
app = ConsentMiddleware(Litestar(route_handlers=[home]), config=config)


def main(argv: list[str] | None = None) -> None:
    import uvicorn

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    print(f"asgi-consent Litestar example: http://{args.host}:{args.port}/", flush=True)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
