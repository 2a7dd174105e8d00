# ruff: noqa: E501  (the vendor snippets below are quoted verbatim, minified lines included)
"""The shipped tracker table (consent/data/trackers.json) is well formed and its host rules and inline-snippet
signatures recognise the real vendor code, and nothing else that a consent library or a news site emits."""

from __future__ import annotations

import json
import re
import time
from importlib.resources import files
from urllib.parse import urlsplit

import pytest

try:  # the regular-expression parser, to reject nested quantifiers (catastrophic backtracking)
    from re import _parser as _sre_parse  # Python 3.11+
except ImportError:  # pragma: no cover - Python 3.10
    try:
        import sre_parse as _sre_parse  # type: ignore[no-redef]
    except ImportError:
        _sre_parse = None


def _load() -> dict:
    resource = files("consent").joinpath("data", "trackers.json")
    return json.loads(resource.read_text(encoding="utf-8"))


TABLE = _load()
PROVIDERS = TABLE["providers"]
BY_ID = {p["id"]: p for p in PROVIDERS}

CATEGORIES = {"analytics", "marketing"}
REQUIRED_KEYS = {"id", "name", "category", "hosts", "embed", "privacy_url"}
OPTIONAL_KEYS = {"snippets", "embed_url_hint", "cookies", "paths"}

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Lower-case host name: labels of letters, digits and inner hyphens, at least one dot, alphabetic TLD.
HOST_RE = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
COOKIE_RE = re.compile(r"^[A-Za-z0-9_.\-]+\*?$|^[A-Za-z0-9_.\-]*\*[A-Za-z0-9_.\-]*$")

# Hosts shared with first-party, functional or innocuous content: a provider may list one of these (or a
# parent domain of one) only when it restricts matching with "paths".
SHARED_HOSTS = set(
    """
google.com www.google.com gstatic.com www.gstatic.com fonts.gstatic.com googleapis.com
fonts.googleapis.com ajax.googleapis.com storage.googleapis.com googleusercontent.com recaptcha.net
facebook.com www.facebook.com fbcdn.net twitter.com x.com twimg.com pbs.twimg.com linkedin.com
www.linkedin.com licdn.com tiktok.com www.tiktok.com pinterest.com reddit.com www.reddit.com
microsoft.com bing.com www.bing.com live.com apple.com amazon.com yandex.ru yandex.com baidu.com
ytimg.com i.ytimg.com cloudflare.com cdnjs.cloudflare.com challenges.cloudflare.com jsdelivr.net
cdn.jsdelivr.net unpkg.com cloudfront.net amazonaws.com akamaihd.net akamaized.net fastly.net
azureedge.net bootstrapcdn.com github.io githubusercontent.com wp.com wordpress.com hcaptcha.com
stripe.com js.stripe.com paypal.com
""".split()
)


def _host_matches(host: str, entry: str) -> bool:
    return host == entry or host.endswith("." + entry)


def providers_for_url(url: str) -> set[str]:
    """The providers whose host (and, when given, path prefix) rule matches ``url``: the documented semantics."""
    parts = urlsplit(url if "//" in url else "https://" + url)
    host = (parts.hostname or "").lower()
    path = parts.path or "/"
    found = set()
    for provider in PROVIDERS:
        if not any(_host_matches(host, entry) for entry in provider["hosts"]):
            continue
        paths = provider.get("paths")
        if paths and not any(path.startswith(prefix) for prefix in paths):
            continue
        found.add(provider["id"])
    return found


COMPILED = {p["id"]: [re.compile(s) for s in p.get("snippets", ())] for p in PROVIDERS}


def providers_for_inline(script: str) -> set[str]:
    return {pid for pid, patterns in COMPILED.items() if any(p.search(script) for p in patterns)}


# --------------------------------------------------------------------------- schema


def test_top_level_shape():
    assert set(TABLE) == {"version", "providers"}
    assert isinstance(TABLE["version"], str)
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", TABLE["version"])
    assert isinstance(PROVIDERS, list)


def test_at_least_45_providers():
    assert len(PROVIDERS) >= 45


def test_every_field_has_the_right_type():
    for p in PROVIDERS:
        where = p.get("id", p)
        assert isinstance(p, dict), where
        assert REQUIRED_KEYS <= set(p), f"{where}: missing {REQUIRED_KEYS - set(p)}"
        assert set(p) <= REQUIRED_KEYS | OPTIONAL_KEYS, f"{where}: unknown {set(p) - REQUIRED_KEYS - OPTIONAL_KEYS}"

        assert isinstance(p["id"], str) and ID_RE.fullmatch(p["id"]), where
        assert isinstance(p["name"], str) and p["name"].strip() == p["name"] and p["name"], where
        assert p["category"] in CATEGORIES, where
        assert type(p["embed"]) is bool, where

        assert isinstance(p["hosts"], list) and p["hosts"], where
        for host in p["hosts"]:
            assert isinstance(host, str) and HOST_RE.fullmatch(host), f"{where}: bad host {host!r}"
        assert len(set(p["hosts"])) == len(p["hosts"]), f"{where}: duplicate host"
        for a in p["hosts"]:
            for b in p["hosts"]:
                assert a == b or not _host_matches(a, b), f"{where}: {a} is already covered by {b}"

        if "paths" in p:
            assert isinstance(p["paths"], list) and p["paths"], where
            for prefix in p["paths"]:
                assert isinstance(prefix, str) and prefix.startswith("/") and len(prefix) > 1, where
                assert "?" not in prefix and "#" not in prefix, where

        if "snippets" in p:
            assert isinstance(p["snippets"], list) and p["snippets"], where
            for s in p["snippets"]:
                assert isinstance(s, str) and s, where

        if "embed_url_hint" in p:
            assert isinstance(p["embed_url_hint"], str), where
            assert p["embed"] or p["embed_url_hint"] == "", f"{where}: embed_url_hint is only for embeds"

        if "cookies" in p:
            assert isinstance(p["cookies"], list) and p["cookies"], where
            for name in p["cookies"]:
                assert isinstance(name, str) and COOKIE_RE.fullmatch(name), f"{where}: bad cookie {name!r}"
            assert len(set(p["cookies"])) == len(p["cookies"]), where

        assert isinstance(p["privacy_url"], str), where
        url = urlsplit(p["privacy_url"])
        assert url.scheme == "https" and url.hostname and "." in url.hostname, f"{where}: {p['privacy_url']}"


def test_ids_are_unique():
    ids = [p["id"] for p in PROVIDERS]
    assert len(ids) == len(set(ids))


def test_no_host_is_listed_under_two_providers():
    owner: dict[str, str] = {}
    for p in PROVIDERS:
        for host in p["hosts"]:
            assert host not in owner, f"{host} is listed under {owner.get(host)} and {p['id']}"
            owner[host] = p["id"]


def test_no_host_overlaps_another_providers_host():
    # Stricter than the above: a sub-domain of another provider's host would make one URL match both.
    entries = [(host, p["id"]) for p in PROVIDERS for host in p["hosts"]]
    for host, pid in entries:
        for other, oid in entries:
            if pid != oid:
                assert not _host_matches(host, other), f"{host} ({pid}) is inside {other} ({oid})"


def test_embed_hint_present_for_embeds():
    for p in PROVIDERS:
        if p["embed"]:
            assert p.get("embed_url_hint"), p["id"]
            # embedded players, posts, maps and widgets set tracking cookies
            assert p["category"] == "marketing", p["id"]


def test_cookie_globs_are_not_claimed_twice():
    seen: dict[str, str] = {}
    for p in PROVIDERS:
        for name in p.get("cookies", ()):
            assert name not in seen, f"cookie {name} under {seen.get(name)} and {p['id']}"
            seen[name] = p["id"]


def test_no_broad_shared_host_without_paths():
    for p in PROVIDERS:
        for host in p["hosts"]:
            too_broad = any(_host_matches(shared, host) for shared in SHARED_HOSTS)
            if too_broad:
                assert p.get("paths"), f"{p['id']}: {host} covers a shared host; restrict it with 'paths'"


# --------------------------------------------------------------------------- host rules


@pytest.mark.parametrize(
    "url, expected",
    [
        ("https://www.google-analytics.com/analytics.js", "google-analytics"),
        ("https://region1.analytics.google.com/g/collect?v=2", "google-analytics"),
        ("https://www.googletagmanager.com/gtag/js?id=G-XXXXXXX", "google-tag-manager"),
        ("https://www.googletagmanager.com/gtm.js?id=GTM-XXXX", "google-tag-manager"),
        ("https://www.googletagmanager.com/ns.html?id=GTM-XXXX", "google-tag-manager"),
        ("https://pagead2.googlesyndication.com/pagead/js/adsbygoogle.js?client=ca-pub-1", "google-ads"),
        ("https://securepubads.g.doubleclick.net/tag/js/gpt.js", "google-ads"),
        ("https://googleads.g.doubleclick.net/pagead/viewthroughconversion/1/", "google-ads"),
        ("https://www.googleadservices.com/pagead/conversion.js", "google-ads"),
        ("https://adservice.google.com/ddm/fls/z/src=1", "google-ads"),
        ("https://adservice.google.de/ddm/fls/z/src=1", "google-ads"),
        ("https://connect.facebook.net/en_US/fbevents.js", "meta-pixel"),
        ("https://www.facebook.com/tr?id=123&ev=PageView&noscript=1", "facebook"),
        ("https://www.facebook.com/plugins/post.php?href=https%3A%2F%2Fwww.facebook.com%2Fx", "facebook"),
        ("https://cdn.matomo.cloud/example.matomo.cloud/matomo.js", "matomo"),
        ("https://example.matomo.cloud/matomo.php?idsite=1", "matomo"),
        ("https://example.innocraft.cloud/piwik.js", "matomo"),
        ("https://static.hotjar.com/c/hotjar-123.js?sv=6", "hotjar"),
        ("https://www.clarity.ms/tag/abcdefghij", "microsoft-clarity"),
        ("https://snap.licdn.com/li.lms-analytics/insight.min.js", "linkedin-insight"),
        ("https://px.ads.linkedin.com/collect/?pid=1&fmt=gif", "linkedin-insight"),
        ("https://analytics.tiktok.com/i18n/pixel/events.js?sdkid=X", "tiktok-pixel"),
        ("https://static.ads-twitter.com/uwt.js", "x-pixel"),
        ("https://analytics.twitter.com/i/adsct?txn_id=x&p_id=Twitter", "x-pixel"),
        ("https://t.co/i/adsct?txn_id=x&p_id=Twitter", "x-pixel"),
        ("https://bat.bing.com/bat.js", "microsoft-advertising"),
        ("https://c.amazon-adsystem.com/aax2/apstag.js", "amazon-ads"),
        ("https://static.criteo.net/js/ld/publishertag.js", "criteo"),
        ("https://cdn.taboola.com/libtrc/example/loader.js", "taboola"),
        ("https://widgets.outbrain.com/outbrain.js", "outbrain"),
        ("https://static.chartbeat.com/js/chartbeat.js", "chartbeat"),
        ("https://sb.scorecardresearch.com/cs/1234567/beacon.js", "comscore"),
        ("https://secure.quantserve.com/quant.js", "quantcast"),
        ("https://cdn-gl.imrworldwide.com/novms/js/2/ggcmb510.js", "nielsen"),
        ("https://cdn.parsely.com/keys/example.com/p.js", "parsely"),
        ("https://example.sc.omtrdc.net/b/ss/rsid/1/JS-2.22.0", "adobe-analytics"),
        ("https://dpm.demdex.net/id?d_visid_ver=5", "adobe-analytics"),
        ("https://example.112.2o7.net/b/ss/rsid/1", "adobe-analytics"),
        ("https://assets.adobedtm.com/launch-EN123.min.js", "adobe-analytics"),
        ("https://cdn.segment.com/analytics.js/v1/KEY/analytics.min.js", "segment"),
        ("https://cdn.mxpnl.com/libs/mixpanel-2-latest.min.js", "mixpanel"),
        ("https://cdn.amplitude.com/libs/analytics-browser-2.11.1-min.js.gz", "amplitude"),
        ("https://cdn.heapanalytics.com/js/heap-123.js", "heap"),
        ("https://cdn.us.heap-api.com/config/123/heap_config.js", "heap"),
        ("https://plausible.io/js/script.js", "plausible"),
        ("https://s.pinimg.com/ct/core.js", "pinterest-tag"),
        ("https://ct.pinterest.com/v3/?tid=1&event=init&noscript=1", "pinterest-tag"),
        ("https://sc-static.net/scevent.min.js", "snapchat-pixel"),
        ("https://www.redditstatic.com/ads/pixel.js", "reddit-pixel"),
        ("https://mc.yandex.ru/metrika/tag.js", "yandex-metrica"),
        ("https://mc.yandex.ru/watch/12345678", "yandex-metrica"),
        ("https://hm.baidu.com/hm.js?0123456789abcdef", "baidu-tongji"),
        ("https://js.hs-scripts.com/123456.js", "hubspot"),
        ("https://cdn.optimizely.com/js/123.js", "optimizely"),
        ("https://script.crazyegg.com/pages/scripts/0012/3456.js", "crazy-egg"),
        ("https://cdn.mouseflow.com/projects/abc.js", "mouseflow"),
        ("https://edge.fullstory.com/s/fs.js", "fullstory"),
        ("https://www.youtube.com/embed/dQw4w9WgXcQ", "youtube"),
        ("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ", "youtube"),
        ("https://player.vimeo.com/video/76979871", "vimeo"),
        ("https://platform.twitter.com/widgets.js", "x-twitter"),
        ("https://platform.twitter.com/embed/Tweet.html?id=1", "x-twitter"),
        ("https://syndication.twitter.com/srv/timeline-profile/screen-name/x", "x-twitter"),
        ("https://www.instagram.com/embed.js", "instagram"),
        ("https://www.instagram.com/p/Cabc123/embed", "instagram"),
        ("https://open.spotify.com/embed/track/4uLU6hMCjMI75M1A2tKUQC", "spotify"),
        ("https://www.google.com/maps/embed?pb=!1m18!1m12", "google-maps"),
        ("https://maps.google.com/maps?q=Berlin&output=embed", "google-maps"),
        ("https://maps.googleapis.com/maps/api/js?key=KEY", "google-maps"),
        ("https://w.soundcloud.com/player/?url=https%3A//api.soundcloud.com/tracks/1", "soundcloud"),
        ("https://www.tiktok.com/embed/v2/7000000000000000000", "tiktok"),
        ("https://www.tiktok.com/embed.js", "tiktok"),
        ("https://www.tiktok.com/player/v1/7000000000000000000", "tiktok"),
        ("https://www.dailymotion.com/embed/video/x7tgad0", "dailymotion"),
        ("https://geo.dailymotion.com/player/xabc.html?video=x7tgad0", "dailymotion"),
        ("https://example.disqus.com/embed.js", "disqus"),
    ],
)
def test_known_tracker_urls_match_one_provider(url, expected):
    assert providers_for_url(url) == {expected}


@pytest.mark.parametrize(
    "url",
    [
        "https://www.google.com/recaptcha/api.js",
        "https://www.google.com/search?q=news",
        "https://www.gstatic.com/recaptcha/releases/x/recaptcha__en.js",
        "https://fonts.googleapis.com/css2?family=Inter",
        "https://fonts.gstatic.com/s/inter/v12/x.woff2",
        "https://ajax.googleapis.com/ajax/libs/jquery/3.7.1/jquery.min.js",
        "https://cdn.jsdelivr.net/npm/htmx.org@2/dist/htmx.min.js",
        "https://cdnjs.cloudflare.com/ajax/libs/lodash.js/4.17.21/lodash.min.js",
        "https://challenges.cloudflare.com/turnstile/v0/api.js",
        "https://unpkg.com/alpinejs",
        "https://www.facebook.com/examplenewspaper",
        "https://www.tiktok.com/@examplenewspaper",
        "https://pbs.twimg.com/media/abc.jpg",
        "https://www.linkedin.com/company/example",
        "https://news.example.com/static/matomo.js",
        "https://example.com/gtag/js",
        "https://js.stripe.com/v3/",
    ],
)
def test_innocuous_urls_match_no_provider(url):
    assert providers_for_url(url) == set()


def test_required_providers_are_present():
    required = {
        "google-analytics",
        "google-tag-manager",
        "google-ads",
        "meta-pixel",
        "matomo",
        "hotjar",
        "microsoft-clarity",
        "linkedin-insight",
        "tiktok-pixel",
        "x-pixel",
        "microsoft-advertising",
        "amazon-ads",
        "criteo",
        "taboola",
        "outbrain",
        "chartbeat",
        "comscore",
        "quantcast",
        "nielsen",
        "parsely",
        "adobe-analytics",
        "segment",
        "mixpanel",
        "amplitude",
        "heap",
        "plausible",
        "pinterest-tag",
        "snapchat-pixel",
        "reddit-pixel",
        "yandex-metrica",
        "baidu-tongji",
        "hubspot",
        "optimizely",
        "crazy-egg",
        "mouseflow",
        "fullstory",
    }
    assert required <= set(BY_ID), required - set(BY_ID)


def test_required_embed_providers():
    required = {
        "youtube",
        "vimeo",
        "x-twitter",
        "instagram",
        "spotify",
        "google-maps",
        "soundcloud",
        "tiktok",
        "facebook",
        "dailymotion",
        "disqus",
    }
    assert required <= set(BY_ID), required - set(BY_ID)
    for pid in required:
        assert BY_ID[pid]["embed"] is True, pid
    # trackers that are not visible content must not get a click-to-load placeholder
    for pid in ("google-analytics", "google-tag-manager", "meta-pixel", "matomo", "x-pixel", "tiktok-pixel"):
        assert BY_ID[pid]["embed"] is False, pid


def test_google_maps_is_restricted_by_path():
    maps = BY_ID["google-maps"]
    assert "www.google.com" in maps["hosts"]
    assert maps.get("paths") == ["/maps"]


def test_categories():
    assert {p["category"] for p in PROVIDERS} == CATEGORIES
    for pid in ("google-analytics", "matomo", "hotjar", "microsoft-clarity", "plausible", "chartbeat"):
        assert BY_ID[pid]["category"] == "analytics", pid
    for pid in ("google-ads", "meta-pixel", "linkedin-insight", "tiktok-pixel", "x-pixel", "criteo", "youtube"):
        assert BY_ID[pid]["category"] == "marketing", pid


# --------------------------------------------------------------------------- snippet signatures


def test_every_snippet_compiles():
    for p in PROVIDERS:
        for s in p.get("snippets", ()):
            re.compile(s)


def _unbounded_repeats(subpattern, inside: bool = False) -> list[str]:
    """Paths to repeats with an unbounded maximum nested inside another unbounded repeat."""
    problems = []
    maxrepeat = _sre_parse.MAXREPEAT
    repeat_ops = {_sre_parse.MAX_REPEAT, _sre_parse.MIN_REPEAT}
    if hasattr(_sre_parse, "POSSESSIVE_REPEAT"):
        repeat_ops.add(_sre_parse.POSSESSIVE_REPEAT)

    def children(value):
        if isinstance(value, _sre_parse.SubPattern):
            yield value
        elif isinstance(value, (list, tuple)):
            for item in value:
                yield from children(item)

    for op, av in subpattern:
        if op in repeat_ops:
            low, high, body = av
            unbounded = high == maxrepeat or high > 100
            if unbounded and inside:
                problems.append(str(op))
            problems += _unbounded_repeats(body, inside or unbounded)
        else:
            for child in children(av):
                problems += _unbounded_repeats(child, inside)
    return problems


@pytest.mark.skipif(_sre_parse is None, reason="regular-expression parser not available")
def test_snippets_have_no_nested_quantifiers():
    for p in PROVIDERS:
        for s in p.get("snippets", ()):
            assert not _unbounded_repeats(_sre_parse.parse(s)), f"{p['id']}: nested quantifier in {s!r}"


# Official snippets as the vendors publish them (IDs replaced by placeholders). The text is what the
# middleware sees: the content of an inline <script> without src.

GA4 = """
  window.dataLayer = window.dataLayer || [];
  function gtag(){dataLayer.push(arguments);}
  gtag('js', new Date());

  gtag('config', 'G-XXXXXXXXXX');
"""

GA_UNIVERSAL = """
(function(i,s,o,g,r,a,m){i['GoogleAnalyticsObject']=r;i[r]=i[r]||function(){
(i[r].q=i[r].q||[]).push(arguments)},i[r].l=1*new Date();a=s.createElement(o),
m=s.getElementsByTagName(o)[0];a.async=1;a.src=g;m.parentNode.insertBefore(a,m)
})(window,document,'script','https://www.google-analytics.com/analytics.js','ga');

ga('create', 'UA-XXXXX-Y', 'auto');
ga('send', 'pageview');
"""

GTM = """(function(w,d,s,l,i){w[l]=w[l]||[];w[l].push({'gtm.start':
new Date().getTime(),event:'gtm.js'});var f=d.getElementsByTagName(s)[0],
j=d.createElement(s),dl=l!='dataLayer'?'&l='+l:'';j.async=true;j.src=
'https://www.googletagmanager.com/gtm.js?id='+i+dl;f.parentNode.insertBefore(j,f);
})(window,document,'script','dataLayer','GTM-XXXXXXX');"""

GOOGLE_ADS = """
  window.dataLayer = window.dataLayer || [];
  function gtag(){dataLayer.push(arguments);}
  gtag('js', new Date());

  gtag('config', 'AW-123456789');
"""

GOOGLE_ADS_CONVERSION = """
  gtag('event', 'conversion', {
      'send_to': 'AW-123456789/AbC-D_efG-h12_34-567',
      'value': 1.0,
      'currency': 'EUR'
  });
"""

ADSENSE = """
     (adsbygoogle = window.adsbygoogle || []).push({});
"""

GPT = """
  window.googletag = window.googletag || {cmd: []};
  googletag.cmd.push(function() {
    googletag.defineSlot('/1234567/sports', [728, 90], 'div-gpt-ad-1').addService(googletag.pubads());
    googletag.enableServices();
  });
"""

META_PIXEL = """
!function(f,b,e,v,n,t,s)
{if(f.fbq)return;n=f.fbq=function(){n.callMethod?
n.callMethod.apply(n,arguments):n.queue.push(arguments)};
if(!f._fbq)f._fbq=n;n.push=n;n.loaded=!0;n.version='2.0';
n.queue=[];t=b.createElement(e);t.async=!0;
t.src=v;s=b.getElementsByTagName(e)[0];
s.parentNode.insertBefore(t,s)}(window, document,'script',
'https://connect.facebook.net/en_US/fbevents.js');
fbq('init', '123456789012345');
fbq('track', 'PageView');
"""

MATOMO = """
  var _paq = window._paq = window._paq || [];
  /* tracker methods like "setCustomDimension" should be called before "trackPageView" */
  _paq.push(['trackPageView']);
  _paq.push(['enableLinkTracking']);
  (function() {
    var u="//analytics.example.com/";
    _paq.push(['setTrackerUrl', u+'matomo.php']);
    _paq.push(['setSiteId', '1']);
    var d=document, g=d.createElement('script'), s=d.getElementsByTagName('script')[0];
    g.async=true; g.src=u+'matomo.js'; s.parentNode.insertBefore(g,s);
  })();
"""

MATOMO_CLOUD = """
  var _paq = window._paq = window._paq || [];
  _paq.push(["trackPageView"]);
  _paq.push(["enableLinkTracking"]);
  (function() {
    var u="https://example.matomo.cloud/";
    _paq.push(["setTrackerUrl", u+"matomo.php"]);
    _paq.push(["setSiteId", "1"]);
    var d=document, g=d.createElement("script"), s=d.getElementsByTagName("script")[0];
    g.async=true; g.src="https://cdn.matomo.cloud/example.matomo.cloud/matomo.js"; s.parentNode.insertBefore(g,s);
  })();
"""

MATOMO_TAG_MANAGER = """
var _mtm = window._mtm = window._mtm || [];
_mtm.push({'mtm.startTime': (new Date().getTime()), 'event': 'mtm.Start'});
(function() {
  var d=document, g=d.createElement('script'), s=d.getElementsByTagName('script')[0];
  g.async=true; g.src='https://cdn.matomo.cloud/example.matomo.cloud/container_AbCdEfGh.js'; s.parentNode.insertBefore(g,s);
})();
"""

HOTJAR = """
    (function(h,o,t,j,a,r){
        h.hj=h.hj||function(){(h.hj.q=h.hj.q||[]).push(arguments)};
        h._hjSettings={hjid:1234567,hjsv:6};
        a=o.getElementsByTagName('head')[0];
        r=o.createElement('script');r.async=1;
        r.src=t+h._hjSettings.hjid+j+h._hjSettings.hjsv;
        a.appendChild(r);
    })(window,document,'https://static.hotjar.com/c/hotjar-','.js?sv=');
"""

CLARITY = """
    (function(c,l,a,r,i,t,y){
        c[a]=c[a]||function(){(c[a].q=c[a].q||[]).push(arguments)};
        t=l.createElement(r);t.async=1;t.src="https://www.clarity.ms/tag/"+i;
        y=l.getElementsByTagName(r)[0];y.parentNode.insertBefore(t,y);
    })(window, document, "clarity", "script", "abcdefghij");
"""

LINKEDIN_PARTNER = """
_linkedin_partner_id = "1234567";
window._linkedin_data_partner_ids = window._linkedin_data_partner_ids || [];
window._linkedin_data_partner_ids.push(_linkedin_partner_id);
"""

LINKEDIN_LOADER = """
(function(l) {
if (!l){window.lintrk = function(a,b){window.lintrk.q.push([a,b])};
window.lintrk.q=[]}
var s = document.getElementsByTagName("script")[0];
var b = document.createElement("script");
b.type = "text/javascript";b.async = true;
b.src = "https://snap.licdn.com/li.lms-analytics/insight.min.js";
s.parentNode.insertBefore(b, s);})(window.lintrk);
"""

TIKTOK = """
!function (w, d, t) {
  w.TiktokAnalyticsObject=t;var ttq=w[t]=w[t]||[];ttq.methods=["page","track","identify","instances","debug","on","off","once","ready","alias","group","enableCookie","disableCookie","holdConsent","revokeConsent","grantConsent"],ttq.setAndDefer=function(t,e){t[e]=function(){t.push([e].concat(Array.prototype.slice.call(arguments,0)))}};for(var i=0;i<ttq.methods.length;i++)ttq.setAndDefer(ttq,ttq.methods[i]);ttq.instance=function(t){for(var e=ttq._i[t]||[],n=0;n<ttq.methods.length;n++)ttq.setAndDefer(e,ttq.methods[n]);return e},ttq.load=function(e,n){var r="https://analytics.tiktok.com/i18n/pixel/events.js",o=n&&n.partner;ttq._i=ttq._i||{},ttq._i[e]=[],ttq._i[e]._u=r,ttq._t=ttq._t||{},ttq._t[e]=+new Date,ttq._o=ttq._o||{},ttq._o[e]=n||{};n=document.createElement("script");n.type="text/javascript",n.async=!0,n.src=r+"?sdkid="+e+"&lib="+t;e=document.getElementsByTagName("script")[0];e.parentNode.insertBefore(n,e)};

  ttq.load('CXXXXXXXXXXXXXXXXXXX');
  ttq.page();
}(window, document, 'ttq');
"""

X_PIXEL = """
!function(e,t,n,s,u,a){e.twq||(s=e.twq=function(){s.exe?s.exe.apply(s,arguments):s.queue.push(arguments);
},s.version='1.1',s.queue=[],u=t.createElement(n),u.async=!0,u.src='https://static.ads-twitter.com/uwt.js',
a=t.getElementsByTagName(n)[0],a.parentNode.insertBefore(u,a))}(window,document,'script');
twq('config','o1abc');
"""

X_PIXEL_LEGACY = """
!function(e,t,n,s,u,a){e.twq||(s=e.twq=function(){s.exe?s.exe.apply(s,arguments):s.queue.push(arguments);
},s.version='1.1',s.queue=[],u=t.createElement(n),u.async=!0,u.src='//static.ads-twitter.com/uwt.js',
a=t.getElementsByTagName(n)[0],a.parentNode.insertBefore(u,a))}(window,document,'script');
twq('init','o1abc');
twq('track','PageView');
"""

BING_UET = """(function(w,d,t,r,u){var f,n,i;w[u]=w[u]||[],f=function(){var o={ti:"12345678", enableAutoSpaTracking: true};o.q=w[u],w[u]=new UET(o),w[u].push("pageLoad")},n=d.createElement(t),n.src=r,n.async=1,n.onload=n.onreadystatechange=function(){var s=this.readyState;s&&s!=="loaded"&&s!=="complete"||(f(),n.onload=n.onreadystatechange=null)},i=d.getElementsByTagName(t)[0],i.parentNode.insertBefore(n,i)})(window,document,"script","//bat.bing.com/bat.js","uetq");"""

YANDEX = """
   (function(m,e,t,r,i,k,a){m[i]=m[i]||function(){(m[i].a=m[i].a||[]).push(arguments)};
   m[i].l=1*new Date();
   for (var j = 0; j < document.scripts.length; j++) {if (document.scripts[j].src === r) { return; }}
   k=e.createElement(t),a=e.getElementsByTagName(t)[0],k.async=1,k.src=r,a.parentNode.insertBefore(k,a)})
   (window, document, "script", "https://mc.yandex.ru/metrika/tag.js", "ym");

   ym(12345678, "init", {
        clickmap:true,
        trackLinks:true,
        accurateTrackBounce:true
   });
"""

BAIDU = """
var _hmt = _hmt || [];
(function() {
  var hm = document.createElement("script");
  hm.src = "https://hm.baidu.com/hm.js?0123456789abcdef0123456789abcdef";
  var s = document.getElementsByTagName("script")[0];
  s.parentNode.insertBefore(hm, s);
})();
"""

PINTEREST = """
!function(e){if(!window.pintrk){window.pintrk = function () {
window.pintrk.queue.push(Array.prototype.slice.call(arguments))};var
  n=window.pintrk;n.queue=[],n.version="3.0";var
  t=document.createElement("script");t.async=!0,t.src=e;var
  r=document.getElementsByTagName("script")[0];
  r.parentNode.insertBefore(t,r)}}("https://s.pinimg.com/ct/core.js");
pintrk('load', '2612345678901', {em: '<user_email_address>'});
pintrk('page');
"""

SNAPCHAT = """
(function(e,t,n){if(e.snaptr)return;var a=e.snaptr=function()
{a.handleRequest?a.handleRequest.apply(a,arguments):a.queue.push(arguments)};
a.queue=[];var s='script';r=t.createElement(s);r.async=!0;
r.src=n;var u=t.getElementsByTagName(s)[0];
u.parentNode.insertBefore(r,u);})(window,document,
'https://sc-static.net/scevent.min.js');

snaptr('init', '00000000-0000-0000-0000-000000000000', {});
snaptr('track', 'PAGE_VIEW');
"""

REDDIT = """
!function(w,d){if(!w.rdt){var p=w.rdt=function(){p.sendEvent?p.sendEvent.apply(p,arguments):p.callQueue.push(arguments)};p.callQueue=[];var t=d.createElement("script");t.src="https://www.redditstatic.com/ads/pixel.js",t.async=!0;var s=d.getElementsByTagName("script")[0];s.parentNode.insertBefore(t,s)}}(window,document);rdt('init','a2_abcdefghij');rdt('track', 'PageVisit');
"""

CHARTBEAT = """
    (function() {
        var _sf_async_config = window._sf_async_config = (window._sf_async_config || {});
        _sf_async_config.uid = 12345;
        _sf_async_config.domain = 'example.com';
        _sf_async_config.useCanonical = true;
        function loadChartbeat() {
            var e = document.createElement('script');
            var n = document.getElementsByTagName('script')[0];
            e.type = 'text/javascript';
            e.async = true;
            e.src = '//static.chartbeat.com/js/chartbeat.js';
            n.parentNode.insertBefore(e, n);
        }
        loadChartbeat();
     })();
"""

COMSCORE = """
  var _comscore = _comscore || [];
  _comscore.push({ c1: "2", c2: "1234567" });
  (function() {
    var s = document.createElement("script"), el = document.getElementsByTagName("script")[0]; s.async = true;
    s.src = "https://sb.scorecardresearch.com/cs/1234567/beacon.js";
    el.parentNode.insertBefore(s, el);
  })();
"""

OFFICIAL_SNIPPETS = [
    (GA4, {"google-analytics"}),
    (GA_UNIVERSAL, {"google-analytics"}),
    (GTM, {"google-tag-manager"}),
    (GOOGLE_ADS, {"google-ads"}),
    (GOOGLE_ADS_CONVERSION, {"google-ads"}),
    (ADSENSE, {"google-ads"}),
    (GPT, {"google-ads"}),
    (GA4 + GOOGLE_ADS, {"google-analytics", "google-ads"}),
    (META_PIXEL, {"meta-pixel"}),
    (MATOMO, {"matomo"}),
    (MATOMO_CLOUD, {"matomo"}),
    (MATOMO_TAG_MANAGER, {"matomo"}),
    (HOTJAR, {"hotjar"}),
    (CLARITY, {"microsoft-clarity"}),
    (LINKEDIN_PARTNER, {"linkedin-insight"}),
    (LINKEDIN_LOADER, {"linkedin-insight"}),
    (TIKTOK, {"tiktok-pixel"}),
    (X_PIXEL, {"x-pixel"}),
    (X_PIXEL_LEGACY, {"x-pixel"}),
    (BING_UET, {"microsoft-advertising"}),
    (YANDEX, {"yandex-metrica"}),
    (BAIDU, {"baidu-tongji"}),
    (PINTEREST, {"pinterest-tag"}),
    (SNAPCHAT, {"snapchat-pixel"}),
    (REDDIT, {"reddit-pixel"}),
    (CHARTBEAT, {"chartbeat"}),
    (COMSCORE, {"comscore"}),
]


@pytest.mark.parametrize("script, expected", OFFICIAL_SNIPPETS)
def test_official_snippet_is_recognised(script, expected):
    assert providers_for_inline(script) == expected


def test_required_providers_have_snippets():
    for pid in (
        "google-analytics",
        "google-tag-manager",
        "meta-pixel",
        "matomo",
        "hotjar",
        "microsoft-clarity",
        "linkedin-insight",
        "tiktok-pixel",
        "x-pixel",
    ):
        assert BY_ID[pid].get("snippets"), pid


CONSENT_DEFAULT = "gtag('consent', 'default', {'ad_storage': 'denied'});"
DATALAYER_INIT = "window.dataLayer = window.dataLayer || [];"

# What a consent library (including this one) and ordinary news-site code emit: none of it is a tracker.
NOT_TRACKERS = [
    CONSENT_DEFAULT,
    DATALAYER_INIT,
    CONSENT_DEFAULT + "\n" + DATALAYER_INIT,
    """
    window.dataLayer = window.dataLayer || [];
    function gtag(){dataLayer.push(arguments);}
    gtag('consent', 'default', {
      'ad_storage': 'denied', 'ad_user_data': 'denied', 'ad_personalization': 'denied',
      'analytics_storage': 'denied', 'wait_for_update': 500
    });
    gtag("set", "ads_data_redaction", true);
    """,
    "gtag('consent', 'update', {'analytics_storage': 'granted'});",
    'gtag("consent", "default", {"ad_storage": "denied"});',
    "dataLayer.push({'event': 'consent_update'});",
    "fbq('consent', 'revoke');",
    "window.uetq = window.uetq || []; window.uetq.push('consent', 'default', {'ad_storage': 'denied'});",
    "_paq.push(['requireConsent']);",
    "_paq.push(['rememberConsentGiven']);",
    'window.clarity("consentv2", {ad_Storage: "denied", analytics_Storage: "denied"});',
    "ttq.holdConsent();",
    """
    document.addEventListener('DOMContentLoaded', function () {
      var nav = document.querySelector('.site-nav');
      nav.addEventListener('click', function (e) { nav.classList.toggle('open'); });
      fetch('/api/latest?section=politics').then(function (r) { return r.json(); });
    });
    """,
    """{"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Example",
        "publisher": {"@type": "Organization", "name": "Example News",
          "sameAs": ["https://www.facebook.com/example", "https://twitter.com/example",
                     "https://www.youtube.com/@example", "https://www.instagram.com/example",
                     "https://www.tiktok.com/@example", "https://www.linkedin.com/company/example"]}}""",
    "var config = {analytics: false, ads: false, heap: null, segment: 'world'};",
    'window.__INITIAL_STATE__ = {"user": null, "page": "home", "trackingEnabled": false};',
]


@pytest.mark.parametrize("script", NOT_TRACKERS)
def test_consent_and_site_code_match_no_snippet(script):
    assert providers_for_inline(script) == set()


def test_consent_mode_and_datalayer_alone_never_match():
    for pid, patterns in COMPILED.items():
        for pattern in patterns:
            assert not pattern.search(CONSENT_DEFAULT), (pid, pattern.pattern)
            assert not pattern.search(DATALAYER_INIT), (pid, pattern.pattern)


def test_snippets_are_cheap_on_large_hostile_input():
    pieces = [s for s, _ in OFFICIAL_SNIPPETS] + NOT_TRACKERS
    # long runs of the characters the patterns skip over, interleaved with near-miss tokens
    hostile = (
        "gtag("
        + " " * 20000
        + "'config',"
        + "\t" * 20000
        + "x"
        + "_paq.push(["
        + " " * 20000
        + "'x'"
        + "ym("
        + "1" * 20000
        + ","
        + "cdn."
        + "a" * 20000
        + ".heap"
        + "(" * 20000
        + "[" * 20000
        + "'" * 20000
    )
    text = hostile + "\n".join(pieces) * 5 + hostile
    start = time.perf_counter()
    for patterns in COMPILED.values():
        for pattern in patterns:
            pattern.search(text)
            pattern.search(hostile)
    # linear patterns take well under a second here; catastrophic backtracking would take minutes
    assert time.perf_counter() - start < 10.0
