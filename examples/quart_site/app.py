"""A Quart app with asgi-consent: ``app.asgi_app`` wrapped by the middleware, so that everything Quart
serves (and the middleware's own /consent, settings and policy pages) goes through it.

Run it with ``python examples/quart_site/app.py`` (after ``pip install -e ".[quart,example]"``).
"""

from __future__ import annotations

import argparse
import os
import secrets

from quart import Quart, request

from consent import ConsentConfig, ConsentMiddleware, consent_state, settings_url

config = ConsentConfig(
    secret_key=os.environ.get("CONSENT_SECRET") or secrets.token_urlsafe(32),
    site_name="Quart Quarterly",
    locales=["en", "de"],
)

app = Quart(__name__)
# The recipe: wrap Quart's ASGI callable (app.asgi_app), not the Quart object, so Quart's own features stay.
app.asgi_app = ConsentMiddleware(app.asgi_app, config=config)  # type: ignore[method-assign]


@app.get("/")
async def home() -> str:
    state = consent_state(request)  # Quart's request has the ASGI scope
    ad = "Advertisement" if state.allows("marketing") else "No advertising for you."
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Quart Quarterly</title>'
        '<script type="text/plain" data-consent="analytics" async src="https://www.googletagmanager.com/gtag/js?id=G-QUART"></script>'
        f"</head><body><h1>Quart Quarterly</h1><p>{ad}</p>"
        f'<footer><a href="{settings_url(request)}">Cookie settings</a></footer></body></html>'
    )


def main(argv: list[str] | None = None) -> None:
    import uvicorn

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    print(f"asgi-consent Quart example: http://{args.host}:{args.port}/", flush=True)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
