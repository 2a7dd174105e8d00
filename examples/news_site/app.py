"""An example news site: the reference article, with Google Analytics, a Meta pixel and a YouTube embed.

Run it with ``python examples/news_site/app.py`` (after ``pip install -e ".[example]"``) and open the URL it
prints. The templates know nothing about consent beyond the ``data-consent`` attributes on the trackers:
ConsentMiddleware adds the banner, keeps the trackers inert until the visitor allows them, and serves
/privacy and /consent/settings.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import html
import os
import re
import secrets
import sys
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from consent import ConsentConfig, ConsentMiddleware, ConsentState, csp_hashes

HERE = Path(__file__).resolve().parent
TITLE = "Japan and New Zealand expand security cooperation to prevent New Zealand from becoming a breach in Indo-Pacific strategy"
GA_ID = "G-NEWS12345"
PIXEL_ID = "000000000000000"
VIDEO = "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"


def load_config() -> ConsentConfig:
    # The secret comes from the environment in production; a random one is fine for a demo (choices are
    # then forgotten when the server restarts).
    secret = os.environ.get("CONSENT_SECRET") or secrets.token_urlsafe(32)
    # Every decision is kept as proof of consent, in a SQLite file beside this one (gitignored); read it with
    # `consent log stats --log examples/news_site/consent-log.db`, or `consent log show <id from /consent/settings>`.
    log = os.environ.get("CONSENT_LOG") or str(HERE / "consent-log.db")
    return ConsentConfig.from_toml(HERE / "consent.toml", secret_key=secret, consent_log=log)


CONFIG = load_config()


def article_html() -> str:
    out = []
    for line in (HERE / "article.txt").read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            out.append(f"<h2>{html.escape(line[3:])}</h2>")
        elif line.startswith("!! "):
            out.append(
                '<figure class="photo"><img src="/static/photo.svg" width="640" height="360" alt="">'
                f"<figcaption>{html.escape(line[3:])}</figcaption></figure>"
            )
        else:
            out.append(f"<p>{html.escape(line)}</p>")
    # The video goes after the fourth paragraph, as an editor would place it.
    out.insert(
        4,
        '<figure class="video"><iframe data-consent="marketing" data-src="'
        + VIDEO
        + '" width="640" height="360" title="Video: Kishida and Ardern after their meeting" '
        'allow="encrypted-media; picture-in-picture" allowfullscreen></iframe>'
        "<figcaption>Video: the two prime ministers after their meeting in Tokyo.</figcaption></figure>",
    )
    return "\n".join(out)


PAGE = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} - Daily Pacific</title>
<link rel="stylesheet" href="/static/site.css">
<!-- Google Analytics 4 (gtag.js): inert until the visitor allows analytics -->
<script type="text/plain" data-consent="analytics" async src="https://www.googletagmanager.com/gtag/js?id={ga}" nonce="{nonce}"></script>
<script type="text/plain" data-consent="analytics" nonce="{nonce}">
  window.dataLayer = window.dataLayer || [];
  function gtag(){{dataLayer.push(arguments);}}
  gtag('js', new Date());
  gtag('config', '{ga}');
</script>
<!-- Meta pixel: inert until the visitor allows marketing -->
<script type="text/plain" data-consent="marketing" nonce="{nonce}">
  !function(f,b,e,v,n,t,s){{if(f.fbq)return;n=f.fbq=function(){{n.callMethod?
  n.callMethod.apply(n,arguments):n.queue.push(arguments)}};if(!f._fbq)f._fbq=n;n.push=n;n.loaded=!0;
  n.version='2.0';n.queue=[];t=b.createElement(e);t.async=!0;t.src=v;s=b.getElementsByTagName(e)[0];
  s.parentNode.insertBefore(t,s)}}(window, document,'script','https://connect.facebook.net/en_US/fbevents.js');
  fbq('init', '{pixel}');
  fbq('track', 'PageView');
</script>
</head>
<body class="post-template-default single single-post">
<a class="skip-link" href="#content">Skip to content</a>
<header class="site-header">
<p class="site-title"><a href="/">Daily Pacific</a></p>
<nav aria-label="Sections"><ul><li><a href="/">World</a></li><li><a href="/">Asia-Pacific</a></li><li><a href="/">Politics</a></li><li><a href="/">Business</a></li></ul></nav>
</header>
<main id="content" class="site-main">
<nav class="breadcrumbs" aria-label="Breadcrumb"><a href="/">Home</a> » <span>{title}</span></nav>
<article class="post">
<h1 class="entry-title">{title}</h1>
<p class="byline">by <a href="/">admin</a> · <time datetime="2022-04-22">April 22, 2022</time></p>
<div class="entry-content">
{article}
</div>
{ad}
<p class="see-also"><strong>See also</strong> <a href="/">RIIZE Set to Release Japanese Version of Hit Song "Love 119" Today</a></p>
</article>
<section class="related" aria-labelledby="related-title">
<h2 id="related-title">You may also like</h2>
<ul>
<li><a href="/">Quad leaders to meet in Tokyo at the end of May</a></li>
<li><a href="/">New Zealand and China upgrade their free trade agreement</a></li>
<li><a href="/">Solomon Islands security pact: what we know</a></li>
</ul>
</section>
<section class="comments" aria-labelledby="comments-title">
<h2 id="comments-title">Leave a Comment</h2>
<form class="comment-form" method="post" action="/">
<label for="comment">Comment</label>
<textarea id="comment" name="comment" rows="4"></textarea>
<label for="author">Name</label>
<input id="author" name="author" autocomplete="name">
<button type="submit">Post Comment</button>
</form>
<p class="akismet">This site uses Akismet to reduce spam. <a href="/">Learn how your comment data is processed.</a></p>
</section>
</main>
<footer class="site-footer">
<p>© 2022 Daily Pacific. <a href="/privacy">Privacy &amp; Cookies Policy</a> · <a href="/consent/settings">Cookie settings</a></p>
</footer>
<noscript><img data-consent="marketing" height="1" width="1" alt="" data-src="https://www.facebook.com/tr?id={pixel}&amp;ev=PageView&amp;noscript=1"></noscript>
</body>
</html>
"""


async def article(request: Request) -> HTMLResponse:
    nonce = secrets.token_urlsafe(16)
    # A multilingual site tells ConsentMiddleware its language on the request (and in <html lang>); this demo
    # takes it from ?lang= so that every shipped translation of the consent UI can be seen on one article.
    lang = request.query_params.get("lang", "en")
    if not lang.replace("-", "").replace("_", "").isalnum() or len(lang) > 12:
        lang = "en"
    request.scope["consent.locale"] = lang
    state: ConsentState = request.scope["consent"]
    # The app can also decide on the server: this ad slot is only rendered with marketing consent.
    ad = (
        '<aside class="ad" aria-label="Advertisement"><p>Advertisement</p></aside>' if state.allows("marketing") else ""
    )
    page = PAGE.format(
        lang=lang, title=html.escape(TITLE), ga=GA_ID, pixel=PIXEL_ID, nonce=nonce, article=ARTICLE, ad=ad
    )
    csp = (
        f"default-src 'self'; script-src 'self' 'nonce-{nonce}' https://www.googletagmanager.com "
        "https://connect.facebook.net; img-src 'self' data: https://www.facebook.com https://www.google-analytics.com; "
        "connect-src 'self' https://www.google-analytics.com https://*.google-analytics.com; "
        "frame-src https://www.youtube-nocookie.com; style-src 'self'; base-uri 'self'; form-action 'self'"
    )
    return HTMLResponse(page, headers={"content-security-policy": csp})


# The same article on a site whose templates nobody will edit: vendor snippets pasted as the vendors ship
# them, nothing marked. ConsentMiddleware recognises them (tracker table) and gates them all the same.
RAW_TRACKERS = """
<script async src="https://www.googletagmanager.com/gtag/js?id=G-RAW00001"></script>
<script>
  window.dataLayer = window.dataLayer || [];
  function gtag(){dataLayer.push(arguments);}
  gtag('js', new Date());
  gtag('config', 'G-RAW00001');
</script>
<script>(function(w,d,s,l,i){w[l]=w[l]||[];w[l].push({'gtm.start':
new Date().getTime(),event:'gtm.js'});var f=d.getElementsByTagName(s)[0],
j=d.createElement(s),dl=l!='dataLayer'?'&l='+l:'';j.async=true;j.src=
'https://www.googletagmanager.com/gtm.js?id='+i+dl;f.parentNode.insertBefore(j,f);
})(window,document,'script','dataLayer','GTM-RAW0001');</script>
<script>
!function(f,b,e,v,n,t,s){if(f.fbq)return;n=f.fbq=function(){n.callMethod?
n.callMethod.apply(n,arguments):n.queue.push(arguments)};if(!f._fbq)f._fbq=n;n.push=n;n.loaded=!0;
n.version='2.0';n.queue=[];t=b.createElement(e);t.async=!0;t.src=v;s=b.getElementsByTagName(e)[0];
s.parentNode.insertBefore(t,s)}(window, document,'script','https://connect.facebook.net/en_US/fbevents.js');
fbq('init', '111111111111111');
fbq('track', 'PageView');
</script>
<script>
    (function(h,o,t,j,a,r){
        h.hj=h.hj||function(){(h.hj.q=h.hj.q||[]).push(arguments)};
        h._hjSettings={hjid:1234567,hjsv:6};
        a=o.getElementsByTagName('head')[0];
        r=o.createElement('script');r.async=1;
        r.src=t+h._hjSettings.hjid+j+h._hjSettings.hjsv;
        a.appendChild(r);
    })(window,document,'https://static.hotjar.com/c/hotjar-','.js?sv=');
</script>
"""
RAW_VIDEO = (
    '<iframe width="640" height="360" src="https://www.youtube.com/embed/dQw4w9WgXcQ" title="Video: the summit" '
    'allow="encrypted-media; picture-in-picture" allowfullscreen></iframe>'
)


async def raw(request: Request) -> HTMLResponse:
    page = PAGE.format(lang="en", title=html.escape(TITLE), ga=GA_ID, pixel=PIXEL_ID, nonce="", article=ARTICLE, ad="")
    start, end = page.index("<!-- Google Analytics"), page.index("</head>")
    page = page[:start] + RAW_TRACKERS + page[end:]
    page = page.replace(ARTICLE, ARTICLE.replace(VIDEO_FIGURE, f'<figure class="video">{RAW_VIDEO}</figure>'))
    page = re.sub(r"<noscript>.*?</noscript>", "", page, flags=re.S)
    return HTMLResponse(page)


def _cached_page() -> tuple[str, str]:
    """The article for a CDN: publicly cacheable, so ConsentMiddleware serves every visitor the same bytes, and
    a strict CSP that allows inline scripts by hash only (no nonce can be shared through a cache)."""
    page = PAGE.format(lang="en", title=html.escape(TITLE), ga=GA_ID, pixel=PIXEL_ID, nonce="", article=ARTICLE, ad="")
    page = page.replace(' nonce=""', "")
    own = [
        "'sha256-" + base64.b64encode(hashlib.sha256(m.encode()).digest()).decode() + "'"
        for m in re.findall(r"<script[^>]*>(.*?)</script>", page, flags=re.S)
        if m.strip()
    ]
    csp = (
        f"default-src 'self'; script-src 'self' {' '.join(own + csp_hashes(CONFIG))} https://www.googletagmanager.com "
        "https://connect.facebook.net; img-src 'self' data: https://www.facebook.com; "
        "frame-src https://www.youtube-nocookie.com; style-src 'self'; base-uri 'self'; form-action 'self'"
    )
    return page, csp


async def cached(request: Request) -> HTMLResponse:
    page, csp = CACHED
    return HTMLResponse(page, headers={"cache-control": "public, max-age=60", "content-security-policy": csp})


async def static(request: Request) -> Response:
    name = request.path_params["name"]
    if name == "site.css":
        return Response((HERE / "site.css").read_bytes(), media_type="text/css")
    if name == "photo.svg":
        return Response(PHOTO, media_type="image/svg+xml")
    return Response("Not found", status_code=404)


PHOTO = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 640 360"><rect width="640" height="360" fill="#d9dde3"/>'
    '<circle cx="320" cy="150" r="60" fill="#b4bcc8"/><rect x="210" y="230" width="220" height="90" rx="45" '
    'fill="#b4bcc8"/></svg>'
)
ARTICLE = article_html()
VIDEO_FIGURE = ARTICLE[
    ARTICLE.index('<figure class="video">') : ARTICLE.index("</figure>", ARTICLE.index('<figure class="video">')) + 9
]
CACHED = _cached_page()

app = Starlette(
    routes=[Route("/", article), Route("/raw", raw), Route("/cached", cached), Route("/static/{name}", static)],
    middleware=[
        # GZip outside (first in the list), consent inside: consent must see the uncompressed HTML.
        Middleware(GZipMiddleware, minimum_size=500),
        Middleware(ConsentMiddleware, config=CONFIG),
    ],
)


def main(argv: list[str] | None = None) -> None:
    import uvicorn

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    print(f"asgi-consent example news site: http://{args.host}:{args.port}/", flush=True)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    main()
