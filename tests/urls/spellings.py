"""Generated URL spellings of a few tracker and harmless hosts, as written in an HTML attribute value.

Each `Spelling` holds the attribute text as it appears in the markup (character references included) and a
unique token placed in the URL's path or query, so that a request seen in a browser can be traced back to
the spelling that caused it. Deterministic (seeded): the same few thousand cases on every run.
"""

from __future__ import annotations

import functools
import random
from dataclasses import dataclass

from consent._browser.hosts import _IGNORABLE_RANGES as IGNORABLE_RANGES

TRACKERS = ("www.facebook.com", "connect.facebook.net", "www.googletagmanager.com", "static.hotjar.com")
HARMLESS = ("cdn.example.org", "img.example.net")
IPV4 = "127.0.0.2"  # loopback only: nothing here may ever reach another machine
IPV4_FORMS = (
    "127.0.0.2",
    "2130706434",
    "0x7f000002",
    "0X7F.0.0.2",
    "0177.0.0.02",
    "127.2",
    "127.0.2",
    "127.0.0.2.",
    "0x7f.0x0.0.2",
    "127.0.0.0x2",
    "127.0.0.08",  # octal with an 8: failure
    "127.0.0.256",  # failure
    "127.0.0.2.3",  # five parts: failure
    "1.2.3.4.5",
    "0x",  # "ends in a number", the number 0: host 0.0.0.0
    "127.0.0.2%2e",
    "１２７.０.０.２",  # fullwidth digits
)
IPV6_FORMS = ("[::1]", "[0:0:0:0:0:0:0:1]", "[::ffff:127.0.0.2]", "[::1", "[::1]]", "[:::1]", "[1::2::3]",
              "[::127.0.0.02]")  # fmt: skip

# Prefixes before the host. Spellings the URL standard sends to a host, and some it does not.
PREFIXES = (
    "https://", "http://", "//", "HTTPS://", "hTtP://", "https:\\\\", "https:/\\", "https:\\/", "/\\", "\\\\",
    "\\/", "https:/", "https:", "http:/", "http:", "https:///", "https:////", " \t https://", "\x01\x1fhttps://",
    "h\nttps://", "ht\ttps://", "https\r://", "ws://", "wss://", "ftp://", "javascript://", "data://", "blob:https://",
    "foo://", "https;//", "https//", "1https://", "ht tps://", "https:\\\t\\", "file://", "about://", "mailto://",
    "view-source:https://", "https::/", "https:\\\\\\\\",
)  # fmt: skip
USERINFO = ("", "", "", "", "user@", "u:p@", "a@b@", "@", "%40@", "user:@", ":@")
PORTS = ("", "", "", "", ":443", ":80", ":", ":0443", ":65536", ":8a", ":-1", ":1.5", ":６", ":9999999999")
SEPARATORS = ("/", "/", "/", "\\", "?", "/\t")
DOTS = (".", ".", ".", "%2E", "%2e", "\u3002", "\uff0e", "\uff61", "%E3%80%82", "&#46;", "&period;", "%252E")
INVISIBLE = ("\u00ad", "\u200b", "\ufeff", "\u034f", "\u2060", "\u200d", "\u200c", "\u180e", "\t", "\n", "%C2%AD")
REFERENCES = {":": ("&colon;", "&#x3a;", "&#58;", "&#X3A;"), "/": ("&sol;", "&#47;", "&#x2f;"),
              ".": ("&period;",), "\\": ("&bsol;",), "\t": ("&Tab;",), "\n": ("&NewLine;",), "@": ("&commat;",),
              "?": ("&quest;",)}  # fmt: skip


@dataclass(frozen=True)
class Spelling:
    markup: str  # the attribute value as written between double quotes
    token: str  # unique, in the URL's path or query

    @property
    def is_tracker(self) -> bool:
        return any(h in self.markup for h in TRACKERS)


def _fullwidth(c: str) -> str:
    return chr(ord(c) - 0x21 + 0xFF01) if "!" <= c <= "~" else c


def _host(rng: random.Random, host: str) -> str:
    """One spelling of ``host``: dots, case, fullwidth, percent-encoding, invisible characters."""
    out = []
    for c in host:
        roll = rng.random()
        if c == ".":
            out.append(rng.choice(DOTS))
        elif roll < 0.06:
            out.append(_fullwidth(c))
        elif roll < 0.09:
            out.append("%" + format(ord(c), "02X"))
        elif roll < 0.11:
            out.append("".join("%" + format(b, "02x") for b in _fullwidth(c).encode()))
        elif roll < 0.14:
            out.append(c.upper())
        elif roll < 0.16:
            out.append(rng.choice(INVISIBLE) + c)
        elif roll < 0.165 and c.isalpha():
            out.append(chr(0x1D41A + ord(c) - ord("a")))  # MATHEMATICAL BOLD SMALL
        else:
            out.append(c)
    text = "".join(out)
    if rng.random() < 0.1:
        text += rng.choice((".", "%2E", "\u3002", ".."))
    return text


def _escape(rng: random.Random, text: str, rate: float) -> str:
    """``text`` written in an attribute value: quotes and ampersands escaped, some characters as references."""
    out = []
    for c in text:
        if c == '"':
            out.append("&quot;")
        elif c == "&":
            out.append("&amp;")
        elif c in REFERENCES and rng.random() < rate:
            out.append(rng.choice(REFERENCES[c]))
        elif c.isascii() and c.isalpha() and rng.random() < rate / 4:
            out.append(rng.choice((f"&#x{ord(c):x};", f"&#{ord(c)};", f"&#x{ord(c):X};")))
        else:
            out.append(c)
    return "".join(out)


def generate(count: int = 2400, seed: int = 9) -> list[Spelling]:
    """``count`` spellings, a third of them with character references."""
    rng = random.Random(seed)
    cases: list[Spelling] = []
    for i in range(count):
        token = f"zq{i}zq"
        roll = rng.random()
        if roll < 0.12:
            host = rng.choice(IPV4_FORMS + IPV6_FORMS)
        else:
            host = _host(rng, rng.choice(TRACKERS + TRACKERS + HARMLESS))
        prefix = rng.choice(PREFIXES) if rng.random() < 0.6 else rng.choice(PREFIXES[:6])
        userinfo = rng.choice(USERINFO)
        port = rng.choice(PORTS)
        url = f"{prefix}{userinfo}{host}{port}{rng.choice(SEPARATORS)}{token}.gif"
        if "&" in host:  # a reference chosen by DOTS: already markup
            head, _, tail = url.partition(host)
            markup = _escape(rng, head, 0.3) + host + _escape(rng, tail, 0.3)
        else:
            markup = _escape(rng, url, 0.35 if i % 3 == 0 else 0.0)
        cases.append(Spelling(markup, token))
    cases.extend(_fixed(len(cases)))
    return cases


def _fixed(start: int) -> list[Spelling]:
    """The forms named in issue 9, and references the attribute-value rules treat specially."""
    forms = (
        "https&#x3a;//www.facebook.com/{t}",
        "https&colon;//www.facebook.com/{t}",
        "https:&#47;&#47;www.facebook.com/{t}",
        "&#x68;ttps://www.facebook.com/{t}",
        "https://www.facebook&#46;com/{t}",
        "https:\\\\www.facebook.com/{t}",
        "/\\www.facebook.com/{t}",
        "\\\\www.facebook.com/{t}",
        "https://www.face&#9;book.com/{t}",
        "https://www.face\nbook.com/{t}",
        "https://www%2Efacebook%2Ecom/{t}",
        "https://www\u3002facebook\u3002com/{t}",
        "https://ｗｗｗ.ｆａｃｅｂｏｏｋ.ｃｏｍ/{t}",
        "https:/www.facebook.com/{t}",
        "https:www.facebook.com/{t}",
        "https://www.facebook.com&sol;{t}",
        "https:&sol&sol;www.facebook.com/{t}",  # legacy? no: "sol" needs ";"
        "https://www.facebook.com/{t}?a=1&amp=2",
        "https://www.facebook.com/{t}?&notit;",
        "&#104;ttps://www.facebook.com/{t}",
        "&#x0000068;ttps://www.facebook.com/{t}",
        "https:&#x2f&#x2f;www.facebook.com/{t}",
        "https:&#47&#47www.facebook.com/{t}",
        "https://www.facebook.com&#x3a;443/{t}",
        "https://www.facebook.com&#0;/{t}",
        "https://www.facebook.com&#x110000;/{t}",
        "https://www.facebook.com&#xD800;/{t}",
        "https://www.facebook.com&#128;/{t}",
        "https://www.facebook&#x2E;com/{t}",
        "https://www&period;facebook&period;com/{t}",
        "https://www.facebook.com%3A443/{t}",
        "https://www.facebook.com%2F{t}",
        "https://%77%77%77.facebook.com/{t}",
        "https://www.f%C2%ADacebook.com/{t}",
        "https://www.faceboo%E2%80%8Bk.com/{t}",
        "https://www.facebook.com\u00ad/{t}",
        "https://www.facebook.com./{t}",
        "https://www.facebook.com../{t}",
        "https://.www.facebook.com/{t}",
        "http://[/{t}",
        "http://[::1/{t}",
        "http://a[b]c/{t}",
        "http://www.facebook.com:/{t}",
        "http://www.facebook.com :80/{t}",
        "http://www.facebook.com\u3000/{t}",
        "http://www.facebook.com%20/{t}",
        "http://www.facebook.com%00/{t}",
        "http://www.facebook.com%/{t}",
        "http://www.facebook.com%zz/{t}",
        "http://www.facebook.com%ef%bc%8ecom/{t}",
        "http://xn--www.facebook.com/{t}",
        "http://www.xn--facebook-.com/{t}",
        "http://www.ƒacebook.com/{t}",
        "http://www.faceboo\u212a.com/{t}",  # KELVIN SIGN: k
        "http://www.facebook.co\u1d39/{t}",  # MODIFIER LETTER CAPITAL M
        "http://www.facebook.com\u2024/{t}",  # ONE DOT LEADER
        "http://www.facebook.com\uff0f{t}",  # FULLWIDTH SOLIDUS
        "http://www.facebook.com\uff1a443/{t}",  # FULLWIDTH COLON
        "http://www.facebook.com\uff20evil.example/{t}",  # FULLWIDTH COMMERCIAL AT
        "http://www.facebook.com％２Ｆ{t}",
        "http://％７７ww.facebook.com/{t}",
        "http://www.faceßook.com/{t}",
        "http://www.facebook.com\u0338/{t}",
        "  \x00https://www.facebook.com/{t}",
        "https://www.facebook.com/{t} \x00",
    )
    return [Spelling(form.replace("{t}", f"zq{start + i}zq"), f"zq{start + i}zq") for i, form in enumerate(forms)]


@functools.cache
def ascii_mapped_code_points() -> dict[int, str]:
    """Every non-ASCII code point that UTS #46 (ada-url's tables) maps to ASCII inside a label: cp -> text."""
    import ada_url

    found = {}
    for cp in range(0x80, 0x110000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        out = ada_url.idna_to_ascii("a" + chr(cp) + "b")
        if out and b"xn--" not in out:
            found[cp] = out.decode()[1:-1]
    return found


def idna_spellings(start: int, batch: int = 8) -> list[Spelling]:
    """Hosts holding every code point that maps to ASCII (``batch`` of them to a label when they map to
    letters, digits, hyphens or dots; alone otherwise), each default-ignorable range's ends, the deviation
    characters and a seeded sample of other code points: ``http://x<cps>y.example.org/<token>``."""
    mapped = ascii_mapped_code_points()
    plain = [cp for cp, text in mapped.items() if all(c.isalnum() or c in "-." for c in text)]
    groups = [plain[i : i + batch] for i in range(0, len(plain), batch)]
    singles = [cp for cp in mapped if cp not in set(plain)]
    singles += [a for a, _ in IGNORABLE_RANGES] + [b for _, b in IGNORABLE_RANGES]
    singles += [0x00DF, 0x03C2, 0x1E9E, 0x200C, 0x200D, 0xFFFD, 0x2024, 0x2488, 0xFF05, 0x3000, 0x00A0, 0x0130]
    rng = random.Random(46)
    singles += [cp for cp in (rng.randrange(0xA0, 0x30000) for _ in range(300)) if not 0xD800 <= cp <= 0xDFFF]
    groups += [[cp] for cp in dict.fromkeys(singles)]
    cases = []
    for group in groups:
        token = f"zq{start + len(cases)}zq"
        cases.append(Spelling(f"http://x{''.join(map(chr, group))}y.example.org/{token}", token))
    return cases
