"""No consent state leaks through a shared cache: nginx with proxy_cache in front of the example site.

The example's /cached article is publicly cacheable (every visitor gets the same bytes: banner in the HTML,
trackers inert, the client script decides from the cookie); its / article depends on the visitor and is
marked private, so nginx must never store it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import httpx
import pytest

from ._lifetime import die_with_test
from .browser.conftest import free_port, serve

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
pytestmark = pytest.mark.skipif(
    not Path(NGINX).exists() and not os.environ.get("CONSENT_REQUIRE_BROWSER"),
    reason="nginx not installed: apt-get install nginx (see .ci/run)",
)

CONF = """
user root;
worker_processes 1;
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    proxy_cache_path {tmp}/cache levels=1 keys_zone=pages:1m max_size=10m;
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://127.0.0.1:{upstream};
            proxy_set_header Host $host:$server_port;
            proxy_cache pages;
            proxy_cache_valid 200 1m;
            add_header X-Cache $upstream_cache_status always;
        }}
    }}
}}
"""


@pytest.fixture(scope="module")
def proxy(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("nginx")
    upstream = free_port()
    app = serve([sys.executable, "examples/news_site/app.py", "--port", str(upstream)], f"http://127.0.0.1:{upstream}/")
    port = free_port()
    conf = tmp / "nginx.conf"
    conf.write_text(CONF.format(tmp=tmp, port=port, upstream=upstream))
    nginx = subprocess.Popen(
        [NGINX, "-c", str(conf), "-p", str(tmp)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        preexec_fn=die_with_test(),
    )
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 10
    while True:
        try:
            urllib.request.urlopen(url + "static/site.css", timeout=1).read()
            break
        except OSError:
            if nginx.poll() is not None or time.monotonic() > deadline:
                nginx.kill()
                raise RuntimeError(f"nginx did not start: {nginx.communicate()[0]!r}") from None
            time.sleep(0.1)
    yield url
    nginx.terminate()
    nginx.wait(10)
    nginx.stdout.close()
    app.terminate()
    app.wait(10)
    app.stdout.close()


def active_trackers(text: str) -> list[str]:
    tags = re.findall(r"<(?:script|iframe|img)\b[^>]*>", text)
    return [
        t
        for t in tags
        if re.search(r"googletagmanager|facebook|youtube", t) and 'type="text/plain"' not in t and "data-src" not in t
    ]


def test_a_shared_page_never_carries_one_visitors_choice_to_another(proxy):
    with httpx.Client(base_url=proxy) as visitor_b, httpx.Client(base_url=proxy) as visitor_a:
        first = visitor_b.get("/cached")
        assert first.headers["x-cache"] == "MISS"
        assert 'id="consent-banner"' in first.text and active_trackers(first.text) == []

        accepted = visitor_a.post(
            "/consent", data={"action": "accept", "next": "/cached"}, headers={"origin": proxy[:-1]}
        )
        assert accepted.status_code == 303 and "consent" in visitor_a.cookies
        a_view = visitor_a.get("/cached")
        assert a_view.headers["x-cache"] == "HIT"  # A's cookie changes nothing on the wire: same cached bytes
        assert a_view.text == first.text
        assert "set-cookie" not in a_view.headers

        b_view = visitor_b.get("/cached")
        assert b_view.headers["x-cache"] == "HIT"
        assert 'id="consent-banner"' in b_view.text and active_trackers(b_view.text) == []


def test_a_private_page_is_never_served_from_the_cache(proxy):
    with httpx.Client(base_url=proxy) as visitor_a, httpx.Client(base_url=proxy) as visitor_b:
        visitor_a.post("/consent", data={"action": "accept"}, headers={"origin": proxy[:-1]})
        a_view = visitor_a.get("/")
        assert "private" in a_view.headers["cache-control"]
        assert 'id="consent-banner"' not in a_view.text and 'id="consent-reopen"' in a_view.text
        assert active_trackers(a_view.text)  # A allowed them: served active, to A only
        for _ in range(2):
            b_view = visitor_b.get("/")
            assert b_view.headers["x-cache"] != "HIT"
            assert 'id="consent-banner"' in b_view.text and active_trackers(b_view.text) == []
