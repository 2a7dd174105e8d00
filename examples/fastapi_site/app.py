"""A FastAPI + Jinja2 news site with asgi-consent: the typed ``Consent`` dependency, a "Cookie settings" link
in the site's own footer (consent.jinja), and the policy and settings pages in the site's layout.

Run it with ``python examples/fastapi_site/app.py`` (after ``pip install -e ".[fastapi,example]"``) and open
the URL it prints. Its tests, written as a user of the library would write them, are in ``test_site.py``.
"""

from __future__ import annotations

import argparse
import os
import secrets
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

import consent.jinja
from consent import Category, ConsentConfig, ConsentMiddleware
from consent.fastapi import Consent, docs_paths

HERE = Path(__file__).resolve().parent
templates = Jinja2Templates(directory=HERE / "templates", context_processors=[consent.jinja.context_processor])

app = FastAPI(title="The Harbour Gazette")
config = ConsentConfig(
    secret_key=os.environ.get("CONSENT_SECRET") or secrets.token_urlsafe(32),
    policy_version="2026-11",
    categories=[Category("analytics"), Category("marketing")],
    site_name="The Harbour Gazette",
    page_template="consent_page.html",  # the policy and settings pages inside base.html
    templates=templates,
    reopen_link=False,  # the footer's "Cookie settings" link (consent.jinja) reopens the choice
    exclude_paths=docs_paths(app),  # no banner on /docs and /redoc
    locales=["en", "de", "fr"],
)
app.add_middleware(ConsentMiddleware, config=config)

ARTICLES = {
    "harbour": ("New ferry terminal opens", "The harbour's new terminal opened on Monday with a brass band."),
    "market": ("Fish market returns", "After two years of works, the Saturday fish market is back on the quay."),
}


@app.get("/", response_class=HTMLResponse)
async def home(request: Request, consent: Consent) -> HTMLResponse:
    return templates.TemplateResponse(request, "home.html", {"articles": ARTICLES, "consent": consent})


@app.get("/articles/{slug}", response_class=HTMLResponse)
async def article(request: Request, slug: str, consent: Consent) -> HTMLResponse:
    title, text = ARTICLES.get(slug, ("Not found", "No such article."))
    # The server decides too: the ad slot is only rendered for visitors who allowed marketing.
    context = {"title": title, "text": text, "show_ad": consent.allows("marketing")}
    return templates.TemplateResponse(request, "article.html", context, status_code=200 if slug in ARTICLES else 404)


@app.get("/api/consent-summary")
async def summary(consent: Consent) -> dict[str, object]:
    """What the visitor allowed, as the app sees it (JSON is never rewritten)."""
    return {"decided": consent.decided, "categories": dict(consent.categories)}


def main(argv: list[str] | None = None) -> None:
    import uvicorn

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    print(f"asgi-consent FastAPI example: http://{args.host}:{args.port}/", flush=True)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
