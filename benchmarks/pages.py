"""Deterministic benchmark pages: WordPress-style news markup, generated from a seed.

The shapes follow real WordPress news sites (a theme with Yoast SEO, Jetpack-style sharing, the block editor,
the core emoji loader, jQuery and theme settings blobs): long ``class`` lists on menu items, paragraphs with
inline links, figures with ``srcset``, comments with Gravatars, a sidebar and a footer full of links. Tag
density and inline-script share land in the ranges measured on such pages (one tag per 60-100 bytes overall,
20-40 % of the bytes inside inline ``<script>``/``<style>``/JSON-LD); ``page_stats`` reports both so a change
to the generator that drifts out of range shows in the results.

Every page carries the same third-party code, unmarked, exactly as vendors publish it (the tracker table in
consent/data/trackers.json will auto-block these): the GA4 gtag snippet with its googletagmanager.com loader,
the GTM container snippet and its ``<noscript>`` iframe, the Meta pixel (``fbq`` + connect.facebook.net) and
its ``<noscript>`` image, a Hotjar snippet and a YouTube embed; and elements the site marked itself with
``data-consent`` (scripts, an iframe, an image).

Pages:

``article``  a ~80 KB news article (the common case)
``large``    a ~1 MB live blog: hundreds of timestamped updates, its LiveBlogPosting JSON-LD, many comments
``dense``    a deliberately dense ~80 KB results page (~one tag per 30 bytes, an ``<img>`` in every table row):
             the worst case for a rewriter that stops at tags
``tiny``     a few hundred bytes: used to measure the middleware's per-request fixed cost
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from collections.abc import Iterator
from functools import cache

SITE = "https://www.meridian-news.example"
UPLOADS = SITE + "/wp-content/uploads/2026/11/"

_WORDS = """
the of and to in a is that for it as was with be by on not he this are or his from at which but have an they
you were her she there been one all we their has would when if so no will more can out some other what into
them than then its only over also after most new years time people government minister said year week city
state council report police court public health officials plan school water energy market prices workers
union election vote party leader campaign budget tax housing rent transport rail bus road bridge river storm
flood climate emissions farmers harvest season league match club coach players goal final injury transfer
museum festival theatre film music album concert author novel study research university scientists data
hospital patients doctors nurses vaccine virus cases winter summer morning evening night weekend district
residents neighbours community local national regional federal border trade exports imports inflation rates
bank central growth jobs unemployment survey poll analysis experts critics supporters opponents protest
statement interview spokesperson committee hearing inquiry investigation evidence witness trial verdict
appeal ruling law bill reform proposal funding grant contract company chief executive shares profit loss
quarter record increase decline rise fall sharp steady modest significant recent earlier later several
many few dozens hundreds thousands millions billion percent average total annual monthly daily local
""".split()
_FIRST = (
    "Anna Ben Clara David Elena Farid Grace Hugo Ines Jonas Kira Luca Maya Nils Olga Pavel Rosa Sami Tara Umar".split()
)
_LAST = "Adler Brandt Costa Diaz Eriksen Fischer Garcia Haas Ivanova Jensen Kowalski Lindqvist Moreau Novak".split()
_SECTIONS = [
    ("news", "News", ["World", "Europe", "Politics", "Business", "Science", "Health", "Education"]),
    ("sport", "Sport", ["Football", "Cricket", "Tennis", "Cycling", "Athletics", "Motorsport"]),
    ("culture", "Culture", ["Film", "Music", "Books", "Art", "Stage", "TV &amp; Radio"]),
    ("lifestyle", "Lifestyle", ["Food", "Travel", "Money", "Home", "Fashion", "Wellbeing"]),
    ("opinion", "Opinion", ["Editorials", "Columnists", "Letters", "Cartoons"]),
    ("local", "Local", ["North", "South", "East", "West", "City Centre"]),
    ("weather", "Weather", []),
    ("podcasts", "Podcasts", ["Daily Briefing", "The Long Read", "Match Day"]),
]

# Third-party code as the vendors publish it (IDs are placeholders). Unmarked: nothing tells the middleware
# what it is except the tracker table.
GA4_LOADER = '<script async src="https://www.googletagmanager.com/gtag/js?id=G-7QX2M4K9LZ"></script>\n'
GA4 = """<script>
  window.dataLayer = window.dataLayer || [];
  function gtag(){dataLayer.push(arguments);}
  gtag('js', new Date());

  gtag('config', 'G-7QX2M4K9LZ');
</script>
"""
GTM = """<!-- Google Tag Manager -->
<script>(function(w,d,s,l,i){w[l]=w[l]||[];w[l].push({'gtm.start':
new Date().getTime(),event:'gtm.js'});var f=d.getElementsByTagName(s)[0],
j=d.createElement(s),dl=l!='dataLayer'?'&l='+l:'';j.async=true;j.src=
'https://www.googletagmanager.com/gtm.js?id='+i+dl;f.parentNode.insertBefore(j,f);
})(window,document,'script','dataLayer','GTM-K7P3QZ9');</script>
<!-- End Google Tag Manager -->
"""
GTM_NOSCRIPT = """<!-- Google Tag Manager (noscript) -->
<noscript><iframe src="https://www.googletagmanager.com/ns.html?id=GTM-K7P3QZ9"
height="0" width="0" style="display:none;visibility:hidden"></iframe></noscript>
<!-- End Google Tag Manager (noscript) -->
"""
META_PIXEL = """<!-- Meta Pixel Code -->
<script>
!function(f,b,e,v,n,t,s)
{if(f.fbq)return;n=f.fbq=function(){n.callMethod?
n.callMethod.apply(n,arguments):n.queue.push(arguments)};
if(!f._fbq)f._fbq=n;n.push=n;n.loaded=!0;n.version='2.0';
n.queue=[];t=b.createElement(e);t.async=!0;
t.src=v;s=b.getElementsByTagName(e)[0];
s.parentNode.insertBefore(t,s)}(window, document,'script',
'https://connect.facebook.net/en_US/fbevents.js');
fbq('init', '482913375520146');
fbq('track', 'PageView');
</script>
<noscript><img height="1" width="1" style="display:none"
src="https://www.facebook.com/tr?id=482913375520146&ev=PageView&noscript=1"
/></noscript>
<!-- End Meta Pixel Code -->
"""
HOTJAR = """<!-- Hotjar Tracking Code for www.meridian-news.example -->
<script>
    (function(h,o,t,j,a,r){
        h.hj=h.hj||function(){(h.hj.q=h.hj.q||[]).push(arguments)};
        h._hjSettings={hjid:3518207,hjsv:6};
        a=o.getElementsByTagName('head')[0];
        r=o.createElement('script');r.async=1;
        r.src=t+h._hjSettings.hjid+j+h._hjSettings.hjsv;
        a.appendChild(r);
    })(window,document,'https://static.hotjar.com/c/hotjar-','.js?sv=');
</script>
"""
UNMARKED_TRACKERS = ("gtag", "googletagmanager.com", "fbq", "connect.facebook.net", "hotjar", "youtube.com/embed")

# What the site marked itself.
MARKED_HEAD = """<script type="text/plain" data-consent="analytics" src="https://stats.meridian-news.example/count.js" async></script>
<script type="text/plain" data-consent="analytics">
  window.meridianStats = window.meridianStats || [];
  meridianStats.push(['page', {section: 'news', author: 'staff', paywall: false}]);
</script>
<script type="text/plain" data-consent="marketing" data-type="module" src="https://ads.meridian-news.example/prebid/loader.mjs"></script>
"""

# The core emoji loader (wp-includes/js/wp-emoji-loader.min.js, inlined by WordPress), abridged only in the
# middle of its feature-detection code.
EMOJI = (
    '<script>\nwindow._wpemojiSettings = {"baseUrl":"https:\\/\\/s.w.org\\/images\\/core\\/emoji\\/15.0.3\\/72x72\\/",'
    '"ext":".png","svgUrl":"https:\\/\\/s.w.org\\/images\\/core\\/emoji\\/15.0.3\\/svg\\/","svgExt":".svg",'
    '"source":{"concatemoji":"https:\\/\\/www.meridian-news.example\\/wp-includes\\/js\\/wp-emoji-release.min.js?ver=6.5.2"}};\n'
    "/*! This file is auto-generated */\n"
    "!function(i,n){var o,s,e;function c(e){try{var t={supportTests:e,timestamp:(new Date).valueOf()};"
    "sessionStorage.setItem(o,JSON.stringify(t))}catch(e){}}function p(e,t,n){e.clearRect(0,0,e.canvas.width,"
    "e.canvas.height),e.fillText(t,0,0);var t=new Uint32Array(e.getImageData(0,0,e.canvas.width,e.canvas.height)"
    ".data),r=(e.clearRect(0,0,e.canvas.width,e.canvas.height),e.fillText(n,0,0),new Uint32Array(e.getImageData"
    "(0,0,e.canvas.width,e.canvas.height).data));return t.every(function(e,t){return e===r[t]})}function u(e,t,n)"
    '{switch(t){case"flag":return n(e,"\\ud83c\\udff3\\ufe0f\\u200d\\u26a7\\ufe0f","\\ud83c\\udff3\\ufe0f\\u200b'
    '\\u26a7\\ufe0f")?!1:!n(e,"\\ud83c\\uddfa\\ud83c\\uddf3","\\ud83c\\uddfa\\u200b\\ud83c\\uddf3")&&!n(e,"\\ud83c'
    '\\udff4\\udb40\\udc67\\udb40\\udc62\\udb40\\udc65\\udb40\\udc6e\\udb40\\udc67\\udb40\\udc7f","\\ud83c\\udff4'
    "\\u200b\\udb40\\udc67\\u200b\\udb40\\udc62\\u200b\\udb40\\udc65\\u200b\\udb40\\udc6e\\u200b\\udb40\\udc67"
    '\\u200b\\udb40\\udc7f");case"emoji":return!n(e,"\\ud83d\\udc26\\u200d\\u2b1b","\\ud83d\\udc26\\u200b\\u2b1b")}'
    'return!1}function f(e,t,n){var r="undefined"!=typeof WorkerGlobalScope&&self instanceof WorkerGlobalScope?'
    'new OffscreenCanvas(300,150):i.createElement("canvas"),a=r.getContext("2d",{willReadFrequently:!0}),o=(a.'
    'textBaseline="top",a.font="600 32px Arial",{});return e.forEach(function(e){o[e]=t(a,e,n)}),o}function t(e)'
    '{var t=i.createElement("script");t.src=e,t.defer=!0,i.head.appendChild(t)}"undefined"!=typeof Promise&&(o='
    '"wpEmojiSettingsSupports",s=["flag","emoji"],n.supports={everything:!0,everythingExceptFlag:!0},e=new '
    'Promise(function(e){i.addEventListener("DOMContentLoaded",e,{once:!0})}),new Promise(function(t){var n='
    'function(){try{var e=JSON.parse(sessionStorage.getItem(o));if("object"==typeof e&&"number"==typeof e.'
    'timestamp&&(new Date).valueOf()<e.timestamp+604800&&"object"==typeof e.supportTests)return e.supportTests}'
    'catch(e){}return null}();if(!n){if("undefined"!=typeof Worker&&"undefined"!=typeof OffscreenCanvas&&'
    '"undefined"!=typeof URL&&URL.createObjectURL&&"undefined"!=typeof Blob)try{var e="postMessage("+f.toString()'
    '+"("+[JSON.stringify(s),u.toString(),p.toString()].join(",")+"));",r=new Blob([e],{type:"text/javascript"}),'
    'a=new Worker(URL.createObjectURL(r),{name:"wpTestEmojiSupports"});return void(a.onmessage=function(e){c(n=e.'
    "data),a.terminate(),t(n)})}catch(e){}c(n=f(s,u,p))}t(n)}).then(function(e){for(var t in e)n.supports[t]=e[t],"
    'n.supports.everything=n.supports.everything&&n.supports[t],"flag"!==t&&(n.supports.everythingExceptFlag=n.'
    "supports.everythingExceptFlag&&n.supports[t]);n.supports.everythingExceptFlag=n.supports.everythingExceptFlag"
    "&&!n.supports.flag,n.DOMReady=!1,n.readyCallback=function(){n.DOMReady=!0}}).then(function(){return e}).then"
    "(function(){var e;n.supports.everything||(n.readyCallback(),(e=n.source||{}).concatemoji?t(e.concatemoji):e."
    "wpemoji&&e.twemoji&&(t(e.twemoji),t(e.wpemoji)))}))}((window,document),window._wpemojiSettings);\n</script>\n"
)
EMOJI_STYLE = (
    "<style id='wp-emoji-styles-inline-css'>\n\n\timg.wp-smiley, img.emoji {\n\t\tdisplay: inline !important;\n"
    "\t\tborder: none !important;\n\t\tbox-shadow: none !important;\n\t\theight: 1em !important;\n"
    "\t\twidth: 1em !important;\n\t\tmargin: 0 0.07em !important;\n\t\tvertical-align: -0.1em !important;\n"
    "\t\tbackground: none !important;\n\t\tpadding: 0 !important;\n\t}\n</style>\n"
)

_PALETTE = [
    ("black", "#000000"),
    ("cyan-bluish-gray", "#abb8c3"),
    ("white", "#ffffff"),
    ("pale-pink", "#f78da7"),
    ("vivid-red", "#cf2e2e"),
    ("luminous-vivid-orange", "#ff6900"),
    ("luminous-vivid-amber", "#fcb900"),
    ("light-green-cyan", "#7bdcb5"),
    ("vivid-green-cyan", "#00d084"),
    ("pale-cyan-blue", "#8ed1fc"),
    ("vivid-cyan-blue", "#0693e3"),
    ("vivid-purple", "#9b51e0"),
]
_GRADIENTS = [
    ("vivid-cyan-blue-to-vivid-purple", "linear-gradient(135deg,rgba(6,147,227,1) 0%,rgb(155,81,224) 100%)"),
    ("light-green-cyan-to-vivid-green-cyan", "linear-gradient(135deg,rgb(122,220,180) 0%,rgb(0,208,130) 100%)"),
    (
        "luminous-vivid-amber-to-luminous-vivid-orange",
        "linear-gradient(135deg,rgba(252,185,0,1) 0%,rgba(255,105,0,1) 100%)",
    ),
    ("luminous-vivid-orange-to-vivid-red", "linear-gradient(135deg,rgba(255,105,0,1) 0%,rgb(207,46,46) 100%)"),
    ("very-light-gray-to-cyan-bluish-gray", "linear-gradient(135deg,rgb(238,238,238) 0%,rgb(169,184,195) 100%)"),
    (
        "cool-to-warm-spectrum",
        "linear-gradient(135deg,rgb(74,234,220) 0%,rgb(151,120,209) 20%,rgb(207,42,186) 40%,rgb(238,44,130) 60%,rgb(251,105,98) 80%,rgb(254,248,76) 100%)",
    ),
    ("blush-light-purple", "linear-gradient(135deg,rgb(255,206,236) 0%,rgb(152,150,240) 100%)"),
    ("electric-grass", "linear-gradient(135deg,rgb(202,248,128) 0%,rgb(113,206,126) 100%)"),
    ("midnight", "linear-gradient(135deg,rgb(2,3,129) 0%,rgb(40,116,252) 100%)"),
]
_SIZES = [("small", "13px"), ("medium", "20px"), ("large", "36px"), ("x-large", "42px")]
_SPACING = [
    ("20", "0.44rem"),
    ("30", "0.67rem"),
    ("40", "1rem"),
    ("50", "1.5rem"),
    ("60", "2.25rem"),
    ("70", "3.38rem"),
    ("80", "5.06rem"),
]


def _global_styles() -> str:
    """WordPress 6.x ``global-styles-inline-css``: preset custom properties and one rule per preset and use."""
    props = [f"--wp--preset--color--{n}: {v};" for n, v in _PALETTE]
    props += [f"--wp--preset--gradient--{n}: {v};" for n, v in _GRADIENTS]
    props += [f"--wp--preset--font-size--{n}: {v};" for n, v in _SIZES]
    props += [f"--wp--preset--spacing--{n}: {v};" for n, v in _SPACING]
    props += [
        "--wp--preset--shadow--natural: 6px 6px 9px rgba(0, 0, 0, 0.2);",
        "--wp--preset--shadow--deep: 12px 12px 50px rgba(0, 0, 0, 0.4);",
        "--wp--preset--shadow--sharp: 6px 6px 0px rgba(0, 0, 0, 0.2);",
        "--wp--preset--shadow--outlined: 6px 6px 0px -3px rgba(255, 255, 255, 1), 6px 6px rgba(0, 0, 0, 1);",
        "--wp--preset--shadow--crisp: 6px 6px 0px rgba(0, 0, 0, 1);",
    ]
    rules = [":root{" + "".join(props) + "}"]
    rules.append(":where(.is-layout-flex){gap: 0.5em;}:where(.is-layout-grid){gap: 0.5em;}")
    rules.append("body .is-layout-flex{display: flex;}.is-layout-flex{flex-wrap: wrap;align-items: center;}")
    rules.append(".is-layout-flex > :is(*, div){margin: 0;}body .is-layout-grid{display: grid;}")
    for n, _ in _PALETTE:
        rules.append(f".has-{n}-color{{color: var(--wp--preset--color--{n}) !important;}}")
    for n, _ in _PALETTE:
        rules.append(f".has-{n}-background-color{{background-color: var(--wp--preset--color--{n}) !important;}}")
    for n, _ in _PALETTE:
        rules.append(f".has-{n}-border-color{{border-color: var(--wp--preset--color--{n}) !important;}}")
    for n, _ in _GRADIENTS:
        rules.append(f".has-{n}-gradient-background{{background: var(--wp--preset--gradient--{n}) !important;}}")
    for n, _ in _SIZES:
        rules.append(f".has-{n}-font-size{{font-size: var(--wp--preset--font-size--{n}) !important;}}")
    rules.append(".wp-block-navigation a:where(:not(.wp-element-button)){color: inherit;}")
    rules.append(":where(.wp-block-post-template.is-layout-flex){gap: 1.25em;}")
    rules.append(":where(.wp-block-columns.is-layout-flex){gap: 2em;}")
    rules.append(".wp-block-pullquote{font-size: 1.5em;line-height: 1.6;}")
    return "<style id='global-styles-inline-css'>\n" + "\n".join(rules) + "\n</style>\n"


class _Gen:
    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)
        self.post_id = 48000 + seed * 17

    # -- text --------------------------------------------------------------------------------------------
    def words(self, lo: int, hi: int) -> list[str]:
        return [self.r.choice(_WORDS) for _ in range(self.r.randint(lo, hi))]

    def title(self, lo: int = 6, hi: int = 11) -> str:
        w = self.words(lo, hi)
        return " ".join([w[0].capitalize()] + w[1:])

    def sentence(self) -> str:
        w = self.words(9, 24)
        s = " ".join([w[0].capitalize()] + w[1:])
        if self.r.random() < 0.15:
            s = s.replace(" the ", " the council&#8217;s ", 1)
        return s + self.r.choice([".", ".", ".", ".", "?", "&#8230;"])

    def name(self) -> str:
        return f"{self.r.choice(_FIRST)} {self.r.choice(_LAST)}"

    def slug(self, lo: int = 4, hi: int = 8) -> str:
        return "-".join(self.words(lo, hi))

    def post_url(self) -> str:
        section = self.r.choice(_SECTIONS)[0]
        return f"{SITE}/{section}/2026/11/{self.r.randint(1, 28):02d}/{self.slug()}/"

    def md5(self) -> str:
        return hashlib.md5(str(self.r.random()).encode()).hexdigest()

    # -- markup pieces -----------------------------------------------------------------------------------
    def paragraph(self, links: int, lo: int = 3, hi: int = 6) -> str:
        sentences = [self.sentence() for _ in range(self.r.randint(lo, hi))]
        for _ in range(links):
            i = self.r.randrange(len(sentences))
            w = sentences[i].split(" ")
            if len(w) < 5:
                continue
            a = self.r.randrange(1, len(w) - 3)
            b = a + self.r.randint(2, 3)
            w[a] = f'<a href="{self.post_url()}">{w[a]}'
            w[b - 1] = w[b - 1] + "</a>"
            sentences[i] = " ".join(w)
        text = " ".join(sentences)
        if self.r.random() < 0.25:
            w = text.split(" ")
            k = self.r.randrange(len(w) - 2)
            if "<" not in w[k] and ">" not in w[k]:
                w[k] = f"<strong>{w[k]}</strong>" if self.r.random() < 0.5 else f"<em>{w[k]}</em>"
            text = " ".join(w)
        return f"<p>{text}</p>\n"

    def img(self, width: int, height: int, cls: str, lazy: bool = True) -> str:
        base = UPLOADS + self.slug(2, 4)
        srcset = ", ".join(f"{base}-{w}x{w * height // width}.jpg {w}w" for w in (300, 768, 1024, width))
        lazy_attr = ' loading="lazy"' if lazy else ' fetchpriority="high"'
        return (
            f'<img{lazy_attr} decoding="async" width="{width}" height="{height}" src="{base}-{width}x{height}.jpg" '
            f'alt="{self.title(3, 6)}" class="{cls}" srcset="{srcset}" sizes="(max-width: {width}px) 100vw, {width}px" />'
        )

    def figure(self) -> str:
        wid = self.r.randint(48000, 49999)
        return (
            f'<figure class="wp-block-image size-large">{self.img(1024, 576, f"wp-image-{wid}")}'
            f'<figcaption class="wp-element-caption">{self.sentence()} Photo: {self.name()}/Meridian</figcaption></figure>\n'
        )

    def youtube(self) -> str:
        vid = "".join(
            self.r.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-") for _ in range(11)
        )
        return (
            '<figure class="wp-block-embed is-type-video is-provider-youtube wp-block-embed-youtube wp-embed-aspect-16-9 '
            'wp-has-aspect-ratio"><div class="wp-block-embed__wrapper">\n'
            f'<iframe title="{self.title(4, 8)}" width="800" height="450" src="https://www.youtube.com/embed/{vid}?feature=oembed" '
            'frameborder="0" allow="accelerometer; autoplay; clipboard-write; encrypted-media; gyroscope; picture-in-picture; '
            'web-share" referrerpolicy="strict-origin-when-cross-origin" allowfullscreen></iframe>\n</div></figure>\n'
        )

    def marked_embed(self) -> str:
        return (
            '<figure class="wp-block-embed is-type-video is-provider-vimeo"><div class="wp-block-embed__wrapper">\n'
            f'<iframe data-consent="marketing" data-src="https://player.vimeo.com/video/{self.r.randint(10**8, 10**9)}?dnt=1&amp;app_id=122963" '
            'src="about:blank" width="800" height="450" frameborder="0" allow="autoplay; fullscreen; picture-in-picture" '
            f'title="{self.title(3, 6)}"></iframe>\n</div></figure>\n'
        )

    def tweet(self) -> str:
        handle = self.r.choice(_LAST).lower()
        return (
            '<figure class="wp-block-embed is-type-rich is-provider-twitter wp-block-embed-twitter"><div class="wp-block-embed__wrapper">\n'
            f'<blockquote class="twitter-tweet" data-width="550" data-dnt="true"><p lang="en" dir="ltr">{self.sentence()} '
            f'<a href="https://t.co/{self.md5()[:10]}">pic.twitter.com/{self.md5()[:10]}</a></p>&mdash; {self.name()} (@{handle}) '
            f'<a href="https://twitter.com/{handle}/status/{self.r.randint(10**17, 10**18)}?ref_src=twsrc%5Etfw">November 27, 2026</a>'
            '</blockquote><script async src="https://platform.twitter.com/widgets.js" charset="utf-8"></script>\n</div></figure>\n'
        )

    def ad_slot(self, n: int) -> str:
        return (
            f'<div class="ad-slot ad-slot--inline" data-slot="article_mid_{n}"><!-- /21804848/meridian/article_mid_{n} -->'
            f'<div id="div-gpt-ad-article-mid-{n}" style="min-height:250px"></div>'
            f'<img data-consent="marketing" data-src="https://ads.meridian-news.example/px?slot={n}&amp;pid={self.post_id}" '
            'width="1" height="1" alt="" style="display:none"></div>\n'
        )

    def menu(self, menu_id: str, top: bool) -> str:
        out = [f'<ul id="{menu_id}" class="menu">']
        for slug, label, subs in _SECTIONS:
            item = self.r.randint(100, 9999)
            has = " menu-item-has-children" if subs and top else ""
            out.append(
                f'<li id="menu-item-{item}" class="menu-item menu-item-type-taxonomy menu-item-object-category{has} '
                f'menu-item-{item}"><a href="{SITE}/{slug}/">{label}</a>'
            )
            if subs and top:
                out.append('<ul class="sub-menu">')
                for sub in subs:
                    sid = self.r.randint(100, 9999)
                    sub_slug = re.sub(r"[^a-z]+", "-", sub.lower()).strip("-")
                    out.append(
                        f'<li id="menu-item-{sid}" class="menu-item menu-item-type-taxonomy menu-item-object-category '
                        f'menu-item-{sid}"><a href="{SITE}/{slug}/{sub_slug}/">{sub}</a></li>'
                    )
                out.append("</ul>")
            out.append("</li>")
        out.append("</ul>")
        return "\n".join(out) + "\n"

    def teaser(self, heading: str = "h3") -> str:
        url = self.post_url()
        return (
            f'<article class="teaser"><a class="teaser__image" href="{url}" tabindex="-1">'
            f"{self.img(400, 225, 'attachment-medium size-medium wp-post-image')}</a>"
            f'<{heading} class="teaser__title"><a href="{url}" rel="bookmark">{self.title()}</a></{heading}>'
            f'<time class="teaser__date" datetime="2026-11-{self.r.randint(1, 28):02d}T{self.r.randint(6, 22):02d}:00:00+00:00">'
            f"{self.r.randint(1, 23)} hours ago</time></article>\n"
        )

    def comment(self, n: int, depth: int) -> str:
        who = self.name()
        avatar = f"https://secure.gravatar.com/avatar/{self.md5()}?s=56&#038;d=mm&#038;r=g"
        body = "".join(
            f"<p>{' '.join(self.sentence() for _ in range(self.r.randint(1, 3)))}</p>"
            for _ in range(self.r.randint(1, 2))
        )
        parity = "even" if n % 2 == 0 else "odd"
        return (
            f'<li id="comment-{n}" class="comment {parity} thread-{parity} depth-{depth}">\n'
            f'<article id="div-comment-{n}" class="comment-body">\n<footer class="comment-meta">\n'
            f"<div class=\"comment-author vcard\">\n<img alt='' src='{avatar}' srcset='{avatar.replace('s=56', 's=112')} 2x' "
            f"class='avatar avatar-56 photo' height='56' width='56' loading='lazy' decoding='async'/>"
            f'<b class="fn">{who}</b> <span class="says">says:</span></div><!-- .comment-author -->\n'
            f'<div class="comment-metadata"><a href="{SITE}/?p={self.post_id}#comment-{n}"><time datetime="2026-11-27T'
            f'{self.r.randint(0, 23):02d}:{self.r.randint(0, 59):02d}:00+00:00">November 27, 2026 at {self.r.randint(1, 12)}:'
            f"{self.r.randint(0, 59):02d} pm</time></a></div><!-- .comment-metadata -->\n</footer><!-- .comment-meta -->\n"
            f'<div class="comment-content">{body}</div><!-- .comment-content -->\n'
            f"<div class=\"reply\"><a rel='nofollow' class='comment-reply-link' href='#comment-{n}' data-commentid=\"{n}\" "
            f'data-postid="{self.post_id}" data-belowelement="div-comment-{n}" data-respondelement="respond" '
            f"data-replyto=\"Reply to {who}\" aria-label='Reply to {who}'>Reply</a></div>\n</article><!-- .comment-body -->\n</li><!-- #comment-## -->\n"
        )

    # -- page parts --------------------------------------------------------------------------------------
    def head(self, title: str, url: str, jsonld: str) -> str:
        css = "".join(
            f"<link rel='stylesheet' id='{name}-css' href='{SITE}/wp-content/{path}?ver={ver}' media='all' />\n"
            for name, path, ver in (
                ("wp-block-library", "../wp-includes/css/dist/block-library/style.min.css", "6.5.2"),
                ("jetpack-sharing-buttons-style", "plugins/jetpack/_inc/blocks/sharing-buttons/view.css", "13.3.1"),
                ("contact-form-7", "plugins/contact-form-7/includes/css/styles.css", "5.9.3"),
                ("meridian-fonts", "themes/meridian/assets/fonts/fonts.css", "2.4.0"),
                ("meridian-style", "themes/meridian/style.css", "2.4.0"),
                ("meridian-print", "themes/meridian/assets/css/print.css", "2.4.0"),
            )
        )
        settings = json.dumps(
            {
                "ajaxurl": SITE + "/wp-admin/admin-ajax.php",
                "resturl": SITE + "/wp-json/",
                "nonce": self.md5()[:10],
                "postId": self.post_id,
                "isSingle": "1",
                "i18n": {
                    "readMore": "Read more",
                    "loading": "Loading&hellip;",
                    "close": "Close",
                    "menu": "Menu",
                    "search": "Search",
                    "share": "Share this article",
                    "copied": "Link copied",
                },
                "paywall": {"meter": 5, "remaining": 3, "loginUrl": SITE + "/account/login/"},
                "breakpoints": {"sm": 576, "md": 768, "lg": 992, "xl": 1200},
            }
        ).replace("/", "\\/")
        return (
            f'<!DOCTYPE html>\n<html lang="en-US" prefix="og: https://ogp.me/ns#">\n<head>\n<meta charset="UTF-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n<link rel="profile" href="https://gmpg.org/xfn/11">\n'
            f"<title>{title} &#8211; The Meridian</title>\n"
            "<meta name='robots' content='index, follow, max-image-preview:large, max-snippet:-1, max-video-preview:-1' />\n"
            "<!-- This site is optimized with the Yoast SEO plugin v22.4 - https://yoast.com/wordpress/plugins/seo/ -->\n"
            f'<meta name="description" content="{self.sentence()}" />\n<link rel="canonical" href="{url}" />\n'
            f'<meta property="og:locale" content="en_US" />\n<meta property="og:type" content="article" />\n'
            f'<meta property="og:title" content="{title}" />\n<meta property="og:url" content="{url}" />\n'
            '<meta property="og:site_name" content="The Meridian" />\n'
            f'<meta property="og:image" content="{UPLOADS}lead-1200x675.jpg" />\n<meta name="twitter:card" content="summary_large_image" />\n'
            f'<script type="application/ld+json" class="yoast-schema-graph">{jsonld}</script>\n<!-- / Yoast SEO plugin. -->\n\n'
            "<link rel='dns-prefetch' href='//www.googletagmanager.com' />\n<link rel='dns-prefetch' href='//stats.wp.com' />\n"
            f'<link rel="alternate" type="application/rss+xml" title="The Meridian &raquo; Feed" href="{SITE}/feed/" />\n'
            + EMOJI
            + EMOJI_STYLE
            + css
            + _global_styles()
            + "<style id='classic-theme-styles-inline-css'>\n/*! This file is auto-generated */\n.wp-block-button__link{color:#fff;"
            "background-color:#32373c;border-radius:9999px;box-shadow:none;text-decoration:none;padding:calc(.667em + 2px) calc(1.333em + 2px);"
            "font-size:1.125em}.wp-block-file__button{background:#32373c;color:#fff;text-decoration:none}\n</style>\n"
            f'<script src="{SITE}/wp-includes/js/jquery/jquery.min.js?ver=3.7.1" id="jquery-core-js"></script>\n'
            f'<script src="{SITE}/wp-includes/js/jquery/jquery-migrate.min.js?ver=3.4.1" id="jquery-migrate-js"></script>\n'
            f'<script id="meridian-script-js-extra">\nvar meridianSettings = {settings};\n</script>\n'
            f'<link rel="https://api.w.org/" href="{SITE}/wp-json/" /><link rel="EditURI" type="application/rsd+xml" title="RSD" href="{SITE}/xmlrpc.php?rsd" />\n'
            '<meta name="generator" content="WordPress 6.5.2" />\n'
            + GA4_LOADER
            + GA4
            + GTM
            + META_PIXEL
            + HOTJAR
            + MARKED_HEAD
            + self.customizer_css()
            + f'<link rel="icon" href="{UPLOADS}cropped-icon-32x32.png" sizes="32x32" />\n</head>\n\n'
        )

    def customizer_css(self) -> str:
        """The theme's Customizer output (``wp-custom-css`` and the colour/typography settings), as themes inline it."""
        rules = []
        for sel in (
            "body",
            ".site-header",
            ".main-navigation a",
            ".entry-title",
            ".entry-content p",
            ".entry-content a",
            ".teaser__title a",
            ".widget-title",
            ".site-footer",
            ".site-footer a",
            ".comment-content p",
            ".standfirst",
            ".cat-links a",
            ".liveblog-entry__title",
            ".results td",
            ".ad-slot",
        ):
            color = f"#{self.r.randrange(0x1000000):06x}"
            rules.append(
                f'{sel}{{color:{color};font-family:"Source Serif 4",Georgia,"Times New Roman",serif;'
                f"font-size:{self.r.randint(13, 42)}px;line-height:{self.r.randint(12, 18) / 10};letter-spacing:0.01em}}"
            )
            rules.append(
                f"@media (max-width: 782px){{{sel}{{font-size:{self.r.randint(12, 30)}px;margin:0 0 {self.r.randint(4, 24)}px}}}}"
            )
        rules.append(
            ".ad-slot{display:flex;justify-content:center;align-items:center;background:#f4f4f4;margin:2rem auto}"
        )
        rules.append(
            '.ad-slot::before{content:"Advertisement";display:block;font:11px/1 system-ui;color:#767676;text-transform:uppercase}'
        )
        return '<style id="wp-custom-css">\n' + "\n".join(rules) + "\n</style>\n"

    def jsonld(self, title: str, url: str, extra: list[dict] | None = None) -> str:
        graph: list[dict] = [
            {
                "@type": "NewsArticle",
                "@id": url + "#article",
                "isPartOf": {"@id": url},
                "author": {"name": self.name(), "@id": SITE + "/#/schema/person/" + self.md5()},
                "headline": title,
                "datePublished": "2026-11-27T08:12:44+00:00",
                "dateModified": "2026-11-27T15:40:02+00:00",
                "mainEntityOfPage": {"@id": url},
                "wordCount": self.r.randint(700, 1600),
                "commentCount": self.r.randint(10, 90),
                "publisher": {"@id": SITE + "/#organization"},
                "image": {"@id": url + "#primaryimage"},
                "thumbnailUrl": UPLOADS + "lead-1200x675.jpg",
                "keywords": self.words(4, 8),
                "articleSection": ["News", "Politics"],
                "inLanguage": "en-US",
                "potentialAction": [{"@type": "CommentAction", "name": "Comment", "target": [url + "#respond"]}],
                "copyrightYear": "2026",
                "copyrightHolder": {"@id": SITE + "/#organization"},
            },
            {
                "@type": "WebPage",
                "@id": url,
                "url": url,
                "name": title + " - The Meridian",
                "isPartOf": {"@id": SITE + "/#website"},
                "primaryImageOfPage": {"@id": url + "#primaryimage"},
                "datePublished": "2026-11-27T08:12:44+00:00",
                "breadcrumb": {"@id": url + "#breadcrumb"},
                "inLanguage": "en-US",
                "potentialAction": [{"@type": "ReadAction", "target": [url]}],
            },
            {
                "@type": "ImageObject",
                "inLanguage": "en-US",
                "@id": url + "#primaryimage",
                "url": UPLOADS + "lead.jpg",
                "contentUrl": UPLOADS + "lead.jpg",
                "width": 1200,
                "height": 675,
                "caption": self.sentence(),
            },
            {
                "@type": "BreadcrumbList",
                "@id": url + "#breadcrumb",
                "itemListElement": [
                    {"@type": "ListItem", "position": 1, "name": "Home", "item": SITE + "/"},
                    {"@type": "ListItem", "position": 2, "name": "News", "item": SITE + "/news/"},
                    {"@type": "ListItem", "position": 3, "name": title},
                ],
            },
            {
                "@type": "WebSite",
                "@id": SITE + "/#website",
                "url": SITE + "/",
                "name": "The Meridian",
                "description": "Independent news since 1887",
                "publisher": {"@id": SITE + "/#organization"},
                "potentialAction": [
                    {
                        "@type": "SearchAction",
                        "target": {"@type": "EntryPoint", "urlTemplate": SITE + "/?s={search_term_string}"},
                        "query-input": "required name=search_term_string",
                    }
                ],
                "inLanguage": "en-US",
            },
            {
                "@type": "Organization",
                "@id": SITE + "/#organization",
                "name": "The Meridian",
                "url": SITE + "/",
                "logo": {"@type": "ImageObject", "url": UPLOADS + "logo.png", "width": 600, "height": 60},
                "sameAs": [
                    "https://www.facebook.com/meridiannews",
                    "https://x.com/meridiannews",
                    "https://www.instagram.com/meridiannews/",
                    "https://www.youtube.com/@meridiannews",
                ],
            },
        ]
        graph += extra or []
        return json.dumps({"@context": "https://schema.org", "@graph": graph}, separators=(",", ":")).replace(
            "/", "\\/"
        )

    def header(self) -> str:
        return (
            '<div class="top-bar"><div class="container"><span class="top-bar__date">Saturday, 28 November 2026</span>'
            f'<ul class="top-bar__links"><li><a href="{SITE}/newsletters/">Newsletters</a></li><li><a href="{SITE}/subscribe/">Subscribe</a></li>'
            f'<li><a href="{SITE}/account/login/">Sign in</a></li><li><a href="{SITE}/e-paper/">E-paper</a></li></ul></div></div>\n'
            '<header id="masthead" class="site-header" role="banner">\n<div class="site-branding">'
            f'<a href="{SITE}/" class="custom-logo-link" rel="home" aria-current="page"><img width="600" height="60" '
            f'src="{UPLOADS}logo.png" class="custom-logo" alt="The Meridian" decoding="async" /></a>'
            '<p class="site-description">Independent news since 1887</p></div><!-- .site-branding -->\n'
            '<nav id="site-navigation" class="main-navigation" aria-label="Primary menu">\n'
            '<button class="menu-toggle" aria-controls="primary-menu" aria-expanded="false">Menu</button>\n'
            + self.menu("primary-menu", True)
            + f'</nav><!-- #site-navigation -->\n<form role="search" method="get" class="search-form" action="{SITE}/">'
            '<label><span class="screen-reader-text">Search for:</span><input type="search" class="search-field" '
            'placeholder="Search &hellip;" value="" name="s" /></label><input type="submit" class="search-submit" value="Search" /></form>\n'
            "</header><!-- #masthead -->\n"
        )

    def share(self, url: str) -> str:
        items = []
        for net, label in (
            ("facebook", "Facebook"),
            ("x", "X"),
            ("linkedin", "LinkedIn"),
            ("whatsapp", "WhatsApp"),
            ("email", "Email"),
            ("print", "Print"),
        ):
            items.append(
                f'<li class="share-{net}"><a rel="nofollow noopener noreferrer" data-shared="sharing-{net}-{self.post_id}" '
                f'class="share-{net} sd-button share-icon" href="{url}?share={net}&amp;nb=1" target="_blank" '
                f'title="Click to share on {label}"><span>{label}</span></a></li>'
            )
        return (
            '<div class="sharedaddy sd-sharing-enabled"><div class="robots-nocontent sd-block sd-social">'
            '<h3 class="sd-title">Share this:</h3><div class="sd-content"><ul>'
            + "".join(items)
            + "</ul></div></div></div>\n"
        )

    def comments(self, count: int, title: str) -> str:
        out = [
            f'<div id="comments" class="comments-area">\n<h2 class="comments-title">{count} thoughts on &ldquo;{title}&rdquo;</h2>\n<ol class="comment-list">\n'
        ]
        for n in range(1, count + 1):
            depth = 1 if n % 4 else 2
            c = self.comment(self.post_id * 10 + n, depth)
            out.append(c if depth == 1 else f'<ol class="children">\n{c}</ol><!-- .children -->\n')
        out.append("</ol><!-- .comment-list -->\n")
        out.append(
            '<div id="respond" class="comment-respond">\n<h3 id="reply-title" class="comment-reply-title">Leave a Reply '
            '<small><a rel="nofollow" id="cancel-comment-reply-link" href="#respond" style="display:none;">Cancel reply</a></small></h3>'
            f'<form action="{SITE}/wp-comments-post.php" method="post" id="commentform" class="comment-form" novalidate>'
            '<p class="comment-notes"><span id="email-notes">Your email address will not be published.</span> '
            '<span class="required-field-message">Required fields are marked <span class="required">*</span></span></p>'
            '<p class="comment-form-comment"><label for="comment">Comment <span class="required">*</span></label> '
            '<textarea id="comment" name="comment" cols="45" rows="8" maxlength="65525" required></textarea></p>'
            '<p class="comment-form-author"><label for="author">Name <span class="required">*</span></label> '
            '<input id="author" name="author" type="text" value="" size="30" maxlength="245" autocomplete="name" required /></p>\n'
            '<p class="comment-form-email"><label for="email">Email <span class="required">*</span></label> '
            '<input id="email" name="email" type="email" value="" size="30" maxlength="100" aria-describedby="email-notes" autocomplete="email" required /></p>\n'
            '<p class="form-submit"><input name="submit" type="submit" id="submit" class="submit" value="Post Comment" /> '
            f"<input type='hidden' name='comment_post_ID' value='{self.post_id}' id='comment_post_ID' />\n"
            "<input type='hidden' name='comment_parent' id='comment_parent' value='0' />\n</p></form>\t</div><!-- #respond -->\n"
            "</div><!-- #comments -->\n"
        )
        return "".join(out)

    def sidebar(self) -> str:
        recent = "".join(f'<li><a href="{self.post_url()}">{self.title()}</a></li>\n' for _ in range(8))
        popular = "".join(
            f'<li><span class="rank">{i}</span><a href="{self.post_url()}">{self.title()}</a></li>\n'
            for i in range(1, 6)
        )
        return (
            '<aside id="secondary" class="widget-area" role="complementary">\n'
            f'<section id="block-4" class="widget widget_block"><h2 class="widget-title">Latest</h2><ul class="wp-block-latest-posts__list">\n{recent}</ul></section>\n'
            f'<section id="block-5" class="widget widget_block"><h2 class="widget-title">Most read</h2><ol class="most-read">\n{popular}</ol></section>\n'
            '<section id="block-6" class="widget widget_block"><div class="newsletter"><h2 class="widget-title">The Morning Briefing</h2>'
            f'<form method="post" action="{SITE}/newsletters/subscribe/"><input type="email" name="email" placeholder="you@example.com" required>'
            '<input type="hidden" name="list" value="morning"><button type="submit">Sign up</button></form></div></section>\n'
            '<section id="block-7" class="widget widget_block"><div class="ad-slot ad-slot--sidebar"><!-- /21804848/meridian/sidebar_top -->'
            '<div id="div-gpt-ad-sidebar-top" style="min-height:600px"></div></div></section>\n</aside><!-- #secondary -->\n'
        )

    def footer(self) -> str:
        cols = []
        for slug, label, subs in _SECTIONS[:5]:
            links = "".join(
                f'<li class="menu-item menu-item-type-taxonomy menu-item-object-category"><a href="{SITE}/{slug}/'
                f'{re.sub(r"[^a-z]+", "-", s.lower()).strip("-")}/">{s}</a></li>'
                for s in subs
            )
            cols.append(
                f'<div class="footer-col"><h4><a href="{SITE}/{slug}/">{label}</a></h4><ul class="menu">{links}</ul></div>\n'
            )
        legal = "".join(
            f'<li class="menu-item"><a href="{SITE}/{s}/">{t}</a></li>'
            for s, t in (
                ("about", "About us"),
                ("contact", "Contact"),
                ("jobs", "Work for us"),
                ("advertise", "Advertise"),
                ("terms", "Terms"),
                ("privacy", "Privacy policy"),
                ("cookies", "Cookie policy"),
                ("corrections", "Corrections"),
            )
        )
        return (
            '<footer id="colophon" class="site-footer">\n<div class="footer-widgets">\n'
            + "".join(cols)
            + f'</div>\n<nav class="footer-navigation" aria-label="Footer menu"><ul class="menu">{legal}</ul></nav>\n'
            '<div class="site-info">&copy; 2026 The Meridian Media Ltd. All rights reserved. '
            f'<a href="{SITE}/privacy/">Privacy</a></div><!-- .site-info -->\n</footer><!-- #colophon -->\n'
        )

    def tail_scripts(self) -> str:
        rules = json.dumps(
            {
                "prefetch": [
                    {
                        "source": "document",
                        "where": {
                            "and": [
                                {"href_matches": "/*"},
                                {
                                    "not": {
                                        "href_matches": [
                                            "/wp-*.php",
                                            "/wp-admin/*",
                                            "/wp-content/uploads/*",
                                            "/wp-content/*",
                                            "/wp-content/plugins/*",
                                            "/wp-content/themes/meridian/*",
                                            "/*\\?(.+)",
                                        ]
                                    }
                                },
                                {"not": {"selector_matches": 'a[rel~="nofollow"]'}},
                                {"not": {"selector_matches": ".no-prefetch, .no-prefetch a"}},
                            ]
                        },
                        "eagerness": "conservative",
                    }
                ]
            }
        )
        return (
            f'<script type="speculationrules">\n{rules}\n</script>\n'
            f'<script src="{SITE}/wp-includes/js/dist/vendor/wp-polyfill-inert.min.js?ver=3.1.2" id="wp-polyfill-inert-js"></script>\n'
            f'<script src="{SITE}/wp-includes/js/dist/hooks.min.js?ver=2810c76e705dd1a53b18" id="wp-hooks-js"></script>\n'
            f'<script src="{SITE}/wp-includes/js/dist/i18n.min.js?ver=5e580eb46a90c2b997e6" id="wp-i18n-js"></script>\n'
            "<script id=\"wp-i18n-js-after\">\nwp.i18n.setLocaleData( { 'text direction\\u0004ltr': [ 'ltr' ] } );\n</script>\n"
            f'<script src="{SITE}/wp-content/plugins/contact-form-7/includes/swv/js/index.js?ver=5.9.3" id="swv-js"></script>\n'
            '<script id="contact-form-7-js-extra">\nvar wpcf7 = {"api":{"root":"https:\\/\\/www.meridian-news.example\\/wp-json\\/",'
            '"namespace":"contact-form-7\\/v1"},"cached":"1"};\n</script>\n'
            f'<script src="{SITE}/wp-includes/js/comment-reply.min.js?ver=6.5.2" id="comment-reply-js" async data-wp-strategy="async"></script>\n'
            '<script id="meridian-navigation-js-extra">\nvar meridianScreenReaderText = {"expand":"Expand child menu","collapse":"Collapse child menu"};\n</script>\n'
            f'<script src="{SITE}/wp-content/themes/meridian/assets/js/navigation.js?ver=2.4.0" id="meridian-navigation-js"></script>\n'
            "<script>\njQuery(function($){$('.menu-toggle').on('click',function(){var e=$(this).attr('aria-expanded')==='true';"
            "$(this).attr('aria-expanded',!e);$('#site-navigation').toggleClass('toggled');});"
            "$('.share-print a').on('click',function(e){e.preventDefault();window.print();});});\n</script>\n"
            '<script type="text/plain" data-consent="marketing" src="https://securepubads.g.doubleclick.net/tag/js/gpt.js" async></script>\n'
            '<script type="text/plain" data-consent="analytics marketing">\n  window.meridianStats && meridianStats.push([\'scrollDepth\', [25, 50, 75, 100]]);\n</script>\n'
        )


def _body_open(gen: _Gen, classes: str) -> str:
    return (
        f'<body class="{classes}">\n'
        + GTM_NOSCRIPT
        + '<div id="page" class="site">\n<a class="skip-link screen-reader-text" href="#primary">Skip to content</a>\n'
    )


def _article_body(g: _Gen, target: int) -> str:
    """Paragraphs with links and headings, with figures, embeds and ad slots between them: ``target`` bytes."""
    extras = [g.figure(), g.youtube(), g.ad_slot(1), g.tweet(), g.marked_embed(), g.figure(), g.ad_slot(2), g.figure()]
    extras.insert(
        3,
        f'<blockquote class="wp-block-quote"><p>{g.sentence()} {g.sentence()}</p><cite>{g.name()}</cite></blockquote>\n',
    )
    paragraphs: list[str] = []
    size = sum(map(len, extras))
    while size < target:
        piece = g.paragraph(links=g.r.choice([1, 1, 2, 2, 3, 3]))
        if len(paragraphs) % 5 == 4:
            piece = f'<h2 class="wp-block-heading" id="h-{g.slug(2, 3)}">{g.title(3, 7)}</h2>\n' + piece
        paragraphs.append(piece)
        size += len(piece)
    every = max(1, len(paragraphs) // (len(extras) + 1))
    parts: list[str] = []
    for i, piece in enumerate(paragraphs):
        parts.append(piece)
        if i % every == every - 1 and extras:
            parts.append(extras.pop(0))
    return "".join(parts + extras)


def article_page(seed: int = 1, target: int = 80_000) -> bytes:
    g = _Gen(seed)
    title = g.title()
    url = g.post_url()
    head = g.head(title, url, g.jsonld(title, url))
    top = (
        _body_open(
            g,
            f"post-template-default single single-post postid-{g.post_id} single-format-standard wp-custom-logo "
            "wp-embed-responsive has-sidebar",
        )
        + g.header()
        + '<div id="content" class="site-content">\n<main id="primary" class="site-main">\n'
        f'<article id="post-{g.post_id}" class="post-{g.post_id} post type-post status-publish format-standard has-post-thumbnail '
        'hentry category-news category-politics tag-council tag-housing">\n<header class="entry-header">'
        f'<div class="cat-links"><a href="{SITE}/news/" rel="category tag">News</a>, <a href="{SITE}/news/politics/" rel="category tag">Politics</a></div>'
        f'<h1 class="entry-title">{title}</h1><p class="standfirst">{g.sentence()}</p>'
        f'<div class="entry-meta"><span class="byline">By <span class="author vcard"><a class="url fn n" href="{SITE}/author/{g.slug(2, 2)}/">{g.name()}</a></span></span> '
        '<span class="posted-on"><time class="entry-date published" datetime="2026-11-27T08:12:44+00:00">27 November 2026</time>'
        '<time class="updated" datetime="2026-11-27T15:40:02+00:00">Updated 15:40</time></span></div></header>\n'
        f'<figure class="post-thumbnail">{g.img(1200, 675, "attachment-post-thumbnail size-post-thumbnail wp-post-image", lazy=False)}'
        f"<figcaption>{g.sentence()}</figcaption></figure>\n"
        '<div class="entry-content">\n'
    )
    after = (
        "</div><!-- .entry-content -->\n"
        f'<footer class="entry-footer"><span class="tags-links">Tagged <a href="{SITE}/tag/council/" rel="tag">council</a>, '
        f'<a href="{SITE}/tag/housing/" rel="tag">housing</a>, <a href="{SITE}/tag/budget/" rel="tag">budget</a></span></footer>\n'
        "</article><!-- #post-## -->\n"
        + g.share(url)
        + '<section class="related-posts"><h2 class="related-posts__title">More on this story</h2>\n'
        + "".join(g.teaser() for _ in range(6))
        + "</section>\n"
        + g.comments(6, title)
        + "</main><!-- #main -->\n"
        + g.sidebar()
        + "</div><!-- #content -->\n"
        + g.footer()
        + "</div><!-- #page -->\n\n"
        + g.tail_scripts()
        + "</body>\n</html>\n"
    )
    fixed = len(head) + len(top) + len(after)
    body = _article_body(g, max(2000, target - fixed))
    return (head + top + body + after).encode()


def large_page(seed: int = 2, target: int = 1_000_000) -> bytes:
    """A live blog: the day's updates, each a short article, plus the LiveBlogPosting JSON-LD that carries them."""
    g = _Gen(seed)
    title = "Live: " + g.title()
    url = g.post_url()
    updates: list[str] = []
    ld_updates: list[dict] = []
    size = 0
    n = 0
    while size < target * 0.72:  # the rest: head, JSON-LD of the updates, comments, footer
        n += 1
        hh, mm = 23 - (n // 60) % 24, 59 - n % 60
        uid = f"update-{g.post_id}-{n}"
        headline = g.title(5, 10)
        text = "".join(g.paragraph(links=g.r.choice([1, 2, 2, 3]), lo=2, hi=4) for _ in range(g.r.randint(1, 2)))
        media = ""
        if n % 9 == 0:
            media = g.figure()
        elif n % 23 == 0:
            media = g.youtube()
        elif n % 17 == 0:
            media = g.tweet()
        elif n % 31 == 0:
            media = g.marked_embed()
        elif n % 13 == 0:
            media = g.ad_slot(n)
        piece = (
            f'<article id="{uid}" class="liveblog-entry"><header class="liveblog-entry__meta"><time datetime="2026-11-27T{hh:02d}:{mm:02d}:00+00:00">'
            f'{hh:02d}:{mm:02d}</time> <span class="liveblog-entry__author">{g.name()}</span></header>'
            f'<h3 class="liveblog-entry__title">{headline}</h3>\n<div class="liveblog-entry__body">\n{text}{media}</div>'
            f'<footer><a class="liveblog-entry__link" href="{url}#{uid}">Link to this update</a></footer></article>\n'
        )
        updates.append(piece)
        size += len(piece)
        ld_updates.append(
            {
                "@type": "BlogPosting",
                "headline": headline,
                "url": f"{url}#{uid}",
                "datePublished": f"2026-11-27T{hh:02d}:{mm:02d}:00+00:00",
                "articleBody": re.sub(r"<[^>]+>", "", text).strip()[:240],
                "author": {"@type": "Person", "name": g.name()},
            }
        )
    extra = [
        {
            "@type": "LiveBlogPosting",
            "@id": url + "#liveblog",
            "headline": title,
            "coverageStartTime": "2026-11-27T06:00:00+00:00",
            "coverageEndTime": "2026-11-28T06:00:00+00:00",
            "liveBlogUpdate": ld_updates,
        }
    ]
    head = g.head(title, url, g.jsonld(title, url, extra))
    top = (
        _body_open(
            g,
            f"post-template-default single single-post postid-{g.post_id} single-format-standard liveblog wp-embed-responsive",
        )
        + g.header()
        + '<div id="content" class="site-content">\n<main id="primary" class="site-main">\n'
        f'<article id="post-{g.post_id}" class="post-{g.post_id} post type-post status-publish format-standard liveblog">\n'
        f'<header class="entry-header"><h1 class="entry-title">{title}</h1><p class="standfirst">{g.sentence()}</p></header>\n'
        f'<figure class="post-thumbnail">{g.img(1200, 675, "attachment-post-thumbnail size-post-thumbnail wp-post-image", lazy=False)}</figure>\n'
        f'<div class="entry-content liveblog-feed" data-liveblog-poll="{SITE}/wp-json/liveblog/v1/{g.post_id}/entries">\n'
    )
    rest = "</div><!-- .entry-content -->\n</article>\n" + g.share(url)
    tail = (
        "</main>\n"
        + g.sidebar()
        + "</div>\n"
        + g.footer()
        + "</div><!-- #page -->\n\n"
        + g.tail_scripts()
        + "</body>\n</html>\n"
    )
    page = head + top + "".join(updates) + rest
    per_comment = len(_Gen(seed).comments(20, title)) / 20  # the same markup from a throwaway generator
    page += g.comments(max(10, int((target - len(page) - len(tail)) / per_comment)), title) + tail
    return page.encode()


def dense_page(seed: int = 3, target: int = 80_000) -> bytes:
    """Election results ward by ward: small tables where every row has a party logo, then a topic index.
    About one tag per 30 bytes overall, and an ``<img>`` (a tag the rewriter stops at) every ~200 bytes."""
    g = _Gen(seed)
    title = "Council election 2026: full results ward by ward"
    url = f"{SITE}/news/2026/11/27/council-election-results/"
    parties = [
        ("lab", "Labour"),
        ("con", "Conservative"),
        ("ld", "Liberal Democrat"),
        ("grn", "Green"),
        ("ind", "Independent"),
    ]
    head = g.head(title, url, g.jsonld(title, url))
    top = (
        _body_open(g, "page-template-default page results wp-embed-responsive")
        + g.header()
        + '<div id="content" class="site-content">\n<main id="primary" class="site-main">\n'
        f'<h1 class="entry-title">{title}</h1>\n<p>{g.sentence()} <a href="{SITE}/elections/">All elections</a></p>\n'
        + g.youtube()
    )
    tail = "</main>\n</div>\n" + g.footer() + "</div><!-- #page -->\n\n" + g.tail_scripts() + "</body>\n</html>\n"
    parts: list[str] = []
    size = len(head) + len(top) + len(tail)
    n = 0
    while size < target * 0.88:
        n += 1
        ward = g.title(1, 2)
        rows = []
        for key, label in g.r.sample(parties, 4):
            rows.append(
                f'<tr class="party-{key}"><td class="results__party"><img src="/i/{key}.svg" alt="" width="16" height="16"> {label}</td>'
                f'<td class="results__candidate">{g.name()}</td><td class="has-text-align-right">'
                f'{g.r.randint(100, 4999):,}</td><td class="has-text-align-right">{g.r.randint(10, 700) / 10}%</td></tr>\n'
            )
        piece = (
            f'<h3 id="ward-{n}"><a href="/ward/{n}">{ward}</a></h3><p>Turnout {g.r.randint(200, 600) / 10}%. '
            f'{g.r.choice(parties)[1]} hold.</p>\n<table class="results"><tbody>\n'
            + "".join(rows)
            + "</tbody></table>\n"
        )
        parts.append(piece)
        size += len(piece)
    parts.append('<nav class="tag-index"><h2>Topics</h2><ul>\n')
    size += len(parts[-1]) + len("</ul></nav>\n")
    while size < target:
        w = g.r.choice(_WORDS)
        item = f'<li><a href="/t/{w}">{w}</a></li>'
        parts.append(item)
        size += len(item)
    parts.append("</ul></nav>\n")
    return (head + top + "".join(parts) + tail).encode()


def tiny_page() -> bytes:
    return (
        b'<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8"><title>Home</title></head>\n'
        b"<body><h1>Hello</h1><p>Some content, no markup to gate.</p></body>\n</html>\n"
    )


@cache
def pages() -> dict[str, bytes]:
    """The benchmark pages, by name (cached: generating the 1 MB page takes a moment)."""
    return {"article": article_page(), "large": large_page(), "dense": dense_page()}


# -- statistics ---------------------------------------------------------------------------------------------

_RAW = re.compile(rb"<(script|style)\b([^>]*)>(.*?)</\1\s*>", re.S | re.I)
_COMMENT = re.compile(rb"<!--.*?-->", re.S)
_TAG = re.compile(rb"<[A-Za-z/!]")


def page_stats(page: bytes) -> dict[str, object]:
    """Size, tag density and the share of bytes inside inline scripts, styles and JSON (script/style content)."""
    inline = 0
    inline_elems = 0
    external = 0
    for m in _RAW.finditer(page):
        if m[3].strip():
            inline += len(m[3])
            inline_elems += 1
        elif b"src=" in m[2]:
            external += 1
    raw_removed = _RAW.sub(b"<x></x>", page)
    comments = len(_COMMENT.findall(raw_removed))
    no_comments = _COMMENT.sub(b"<!---->", raw_removed)
    tags = len(_TAG.findall(no_comments))
    low = page.lower()
    return {
        "bytes": len(page),
        "tags": tags,
        "bytes_per_tag": round(len(page) / tags, 1),
        "inline_share": round(inline / len(page), 3),
        "inline_scripts_styles": inline_elems,
        "external_scripts": external,
        "comments": comments,
        "img": low.count(b"<img"),
        "iframe": low.count(b"<iframe"),
        "script": low.count(b"<script"),
        "marked": low.count(b"data-consent="),
        "unmarked_trackers": sum(1 for t in UNMARKED_TRACKERS if t.encode() in low),
    }


# -- a long stream, for the memory benchmark --------------------------------------------------------------


@cache
def _stream_parts() -> tuple[bytes, bytes, bytes]:
    # Cached, so the ~1 MB source is allocated once (before any memory measurement), not per stream.
    src = pages()["large"]
    body_end = src.index(b">", src.index(b"<body")) + 1
    close = src.rindex(b"</body>")
    return src[:body_end], src[body_end:close], src[close:]


def stream_chunks(total: int, chunk_size: int = 64 * 1024) -> Iterator[bytes]:
    """``total`` bytes of HTML in ``chunk_size`` pieces: the live blog's head, its body content repeated, the
    closing tags. Built lazily from one source page, so only a chunk or two exists at a time."""
    head, middle, tail = _stream_parts()
    produced = 0
    buf = bytearray(head)
    mid_pos = 0
    while produced < total:
        want = min(chunk_size, total - produced)
        last = produced + want >= total
        need = want - (len(tail) if last else 0)
        while len(buf) < need:
            take = min(len(middle) - mid_pos, need - len(buf))
            buf += middle[mid_pos : mid_pos + take]
            mid_pos = (mid_pos + take) % len(middle)
        out = bytes(buf[:need]) + (tail if last else b"")
        del buf[:need]
        produced += len(out)
        yield out
