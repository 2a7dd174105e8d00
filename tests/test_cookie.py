"""The signed consent cookie: round trip, key rotation, tampering, expiry, size and its Set-Cookie header."""

from __future__ import annotations

import base64
import re
from datetime import timedelta

import itsdangerous.timed
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consent import Category, ConsentConfig
from consent._cookie import MAX_COOKIE_BYTES, ConsentCookie, cookie_values

SECRET = "cookie-test-secret-0123456789-abcdefghij"
OTHER_SECRET = "other-secret-0123456789-abcdefghijklmnop"
OLD, NEW = "old-key-" + "o" * 32, "new-key-" + "n" * 32


def cookie(**overrides) -> ConsentCookie:
    overrides.setdefault("secret_key", SECRET)
    return ConsentCookie(ConsentConfig(**overrides))


def at_time(monkeypatch, timestamp: int) -> None:
    monkeypatch.setattr(itsdangerous.timed.TimestampSigner, "get_timestamp", lambda self: timestamp)


def test_round_trip_keeps_granted_categories_and_consent_id():
    jar = cookie()
    choice = jar.loads(jar.dumps({"analytics"}, "abc123"))
    assert choice is not None and choice.granted == {"analytics"} and choice.consent_id == "abc123"
    assert choice.decided_at.tzinfo is not None
    refusal = jar.loads(jar.dumps((), jar.new_id()))
    assert refusal is not None and refusal.granted == frozenset()


def test_new_ids_are_random_and_cookie_safe():
    ids = {ConsentCookie.new_id() for _ in range(50)}
    assert len(ids) == 50
    assert all(i.replace("-", "").replace("_", "").isalnum() and ":" not in i for i in ids)


def test_categories_that_are_not_configured_are_dropped_on_write_and_read():
    wide = cookie(categories=[Category("analytics"), Category("marketing"), Category("preferences")])
    narrow = cookie(categories=[Category("analytics")], auto_block=False)
    value = wide.dumps({"analytics", "marketing", "preferences", "bogus", "necessary"}, "id")
    assert "bogus" not in value and "necessary" not in value
    choice = narrow.loads(value)
    assert choice is not None and choice.granted == frozenset({"analytics"})


def test_cookie_signed_with_the_old_key_verifies_with_the_rotated_list():
    signed_old = cookie(secret_key=OLD).dumps({"analytics"}, "id")
    choice = cookie(secret_key=[OLD, NEW]).loads(signed_old)
    assert choice is not None and choice.granted == {"analytics"}


def test_rotated_list_signs_with_the_newest_key():
    signed = cookie(secret_key=[OLD, NEW]).dumps({"analytics"}, "id")
    assert cookie(secret_key=NEW).loads(signed) is not None
    assert cookie(secret_key=OLD).loads(signed) is None


def test_old_signed_cookie_fails_once_the_old_key_is_retired():
    signed_old = cookie(secret_key=OLD).dumps({"analytics"}, "id")
    assert cookie(secret_key=[NEW]).loads(signed_old) is None


def test_unknown_key_is_treated_as_no_decision():
    assert cookie(secret_key=OTHER_SECRET).loads(cookie().dumps({"analytics"}, "id")) is None


def test_tampered_payload_is_rejected():
    jar = cookie()
    value = jar.dumps((), "id")
    forged = value.replace("1:1::id", "1:1:analytics.marketing:id", 1)
    assert forged != value
    assert jar.loads(forged) is None


def test_tampered_signature_is_rejected():
    jar = cookie()
    value = jar.dumps({"analytics"}, "id")
    # Not the last character: its low bits are base64 padding, so some replacements decode to the same bytes.
    index = len(value) - 10
    assert jar.loads(value[:index] + ("A" if value[index] != "A" else "B") + value[index + 1 :]) is None
    assert jar.loads(value.rsplit(".", 1)[0]) is None  # signature stripped


def test_tampered_timestamp_is_rejected():
    jar = cookie()
    payload, stamp, sig = jar.dumps({"analytics"}, "id").rsplit(".", 2)
    later = base64.urlsafe_b64encode((int.from_bytes(base64.urlsafe_b64decode(stamp + "==")) + 1).to_bytes(4))
    assert jar.loads(f"{payload}.{later.decode().rstrip('=')}.{sig}") is None


def test_value_signed_with_another_salt_is_rejected():
    forged = itsdangerous.TimestampSigner(SECRET, salt="some.other.salt").sign("1:1:analytics.marketing:id").decode()
    assert cookie().loads(forged) is None


def test_value_for_another_policy_version_is_rejected():
    v1 = cookie(policy_version="1").dumps({"analytics"}, "id")
    assert cookie(policy_version="1").loads(v1) is not None
    assert cookie(policy_version="2").loads(v1) is None


def test_value_with_an_unknown_format_version_is_rejected():
    serializer = cookie()._serializer
    signed = serializer.make_signer().sign(b"2:1:analytics:id").decode()
    assert cookie().loads(signed) is None


@pytest.mark.parametrize(
    "age, valid",
    [(3601, False), (3600, True), (3599, True), (0, True), (-3600, False)],
    ids=["expired", "exactly-max-age", "within", "fresh", "from-the-future"],
)
def test_cookie_older_than_max_age_or_from_the_future_is_treated_as_no_decision(monkeypatch, age, valid):
    jar = cookie(max_age=timedelta(hours=1))
    now = 1_800_000_000
    at_time(monkeypatch, now - age)
    value = jar.dumps({"analytics"}, "id")
    at_time(monkeypatch, now)
    assert (jar.loads(value) is not None) is valid


@pytest.mark.parametrize(
    "value",
    [
        "",
        "garbage",
        "...",
        "1:1:analytics:id",
        "1:1:analytics:id.AAAA.BBBB",
        "é\x00\xff",
        "a" * 5000,
        "x." * 2500,
    ],
)
def test_garbage_values_are_treated_as_no_decision(value):
    assert cookie().loads(value) is None


def test_value_over_4096_bytes_is_ignored_even_if_validly_signed():
    jar = cookie(categories=[Category(f"c{i:02d}" + "x" * 28, "T") for i in range(20)])
    value = jar.dumps(jar._optional, "id" * 2000)
    assert len(value) > MAX_COOKIE_BYTES
    assert jar.loads(value) is None


def test_default_config_cookie_is_under_200_bytes():
    jar = cookie()
    name_and_value = f"{jar.name}={jar.dumps({'analytics', 'marketing'}, jar.new_id())}"
    assert len(name_and_value.encode()) < 200


def test_worst_case_config_cookie_fits_in_4096_bytes():
    categories = [Category(f"c{i:02d}" + "x" * 29, "Title") for i in range(20)]
    jar = cookie(categories=categories, policy_version="v" * 40, cookie_name="c" * 64, auto_block=False)
    value = jar.dumps(jar._optional, jar.new_id())
    assert len(jar.set_cookie_header(value, secure=True)) < MAX_COOKIE_BYTES
    choice = jar.loads(value)
    assert choice is not None and len(choice.granted) == 20


def test_cookie_value_is_cookie_safe_without_quoting():
    value = cookie().dumps({"analytics", "marketing"}, ConsentCookie.new_id())
    assert all(c.isalnum() or c in "-_.:" for c in value)


# -- reading the Cookie header ------------------------------------------------------------------------------


def test_cookie_values_finds_every_value_of_the_name_and_unquotes():
    header = b'a=1; consent=x; xconsent=no; consentx=no; consent="y"; consent; b=2;  consent=z ;consent=w'
    assert cookie_values(header, b"consent=") == ["x", "y", "z", "w"]
    assert cookie_values(b"consent=", b"consent=") == [""]
    assert cookie_values(b"a=consent=1", b"consent=") == []
    assert cookie_values(b"a=1;\t consent=\tv\t ; b", b"consent=") == ["v"]


def _pairs_by_the_rule(header: bytes, marker: bytes) -> list[str]:
    """RFC 6265 5.4's pairs as a regular expression: a pair starts the header or follows ';' and blanks."""
    values = []
    for m in re.finditer(rb"(?:^|;)[ \t]*" + re.escape(marker) + rb"[ \t]*([^;]*)", header):
        value = m[1].rstrip(b" \t")
        values.append((value[1:-1] if len(value) >= 2 and value[0] == value[-1] == 0x22 else value).decode("latin-1"))
    return values


_PIECES = [b"consent=", b"consent", b"=", b";", b" ", b"\t", b'"', b"x", b"a=", b"; ", b"xconsent=", b"\xff"]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=14).map(b"".join))
def test_cookie_values_reads_pairs_as_the_rule_does(header):
    assert cookie_values(header, b"consent=") == _pairs_by_the_rule(header, b"consent=")


# -- the Set-Cookie header ------------------------------------------------------------------------------------


def attributes(header: bytes) -> tuple[str, dict[str, str]]:
    first, *rest = header.decode().split("; ")
    attrs = {}
    for part in rest:
        key, _, value = part.partition("=")
        attrs[key] = value
    return first, attrs


@pytest.mark.parametrize(
    "overrides, secure, expected",
    [
        ({}, False, {"Path": "/", "Max-Age": str(180 * 86400), "SameSite": "Lax"}),
        ({"max_age": 60}, True, {"Path": "/", "Max-Age": "60", "SameSite": "Lax", "Secure": ""}),
        (
            {"cookie_domain": ".Example.com"},
            False,
            {"Path": "/", "Max-Age": "15552000", "SameSite": "Lax", "Domain": "example.com"},
        ),
    ],
    ids=["http", "https", "domain"],
)
def test_set_cookie_header_attributes(overrides, secure, expected):
    first, attrs = attributes(cookie(**overrides).set_cookie_header("VALUE", secure=secure))
    assert first == "consent=VALUE" and attrs == expected


def test_prefixed_cookie_names_are_always_secure_and_host_cookies_have_no_domain():
    for name in ("__Host-consent", "__Secure-consent"):
        first, attrs = attributes(cookie(cookie_name=name).set_cookie_header("V", secure=False))
        assert first == f"{name}=V" and "Secure" in attrs and "Domain" not in attrs and attrs["Path"] == "/"


def test_delete_header_empties_the_value_with_max_age_zero():
    first, attrs = attributes(cookie(cookie_domain="example.com").delete_cookie_header(secure=True))
    assert first == "consent="
    assert attrs["Max-Age"] == "0" and attrs["Path"] == "/" and attrs["Domain"] == "example.com" and "Secure" in attrs
    assert b"HttpOnly" not in cookie().set_cookie_header("V", secure=True)  # the client script reads the choice


# -- the same attributes end to end ---------------------------------------------------------------------------------


def test_post_over_http_sets_the_cookie_without_secure(client, make_app):
    response = client(make_app()).post("/consent", data={"action": "accept"})
    first, attrs = attributes(response.headers["set-cookie"].encode())
    assert first.startswith("consent=1:1:analytics.marketing:")
    assert attrs == {"Path": "/", "Max-Age": "15552000", "SameSite": "Lax"}
    assert len(response.headers["set-cookie"].split(";")[0]) < 200


def test_post_over_https_sets_a_secure_cookie_with_the_configured_domain(client, make_app):
    app = make_app(cookie_domain="example.com", max_age=timedelta(days=30))
    response = client(app, base_url="https://www.example.com").post("/consent", data={"action": "reject"})
    _, attrs = attributes(response.headers["set-cookie"].encode())
    assert attrs["Secure"] == "" and attrs["Domain"] == "example.com" and attrs["Max-Age"] == str(30 * 86400)


def test_cookie_signed_by_an_old_key_is_honoured_by_the_app_after_rotation(client, make_app):
    old_value = cookie(secret_key=OLD).dumps({"analytics"}, "id")
    c = client(make_app(secret_key=[OLD, NEW]))
    state = c.get("/json", headers={"cookie": f"consent={old_value}"}).json()
    assert state == {"decided": True, "categories": {"necessary": True, "analytics": True, "marketing": False}}


def test_when_the_name_appears_twice_the_most_restrictive_choice_wins(monkeypatch, client, make_app):
    # Cookie tossing: anyone can get a validly signed "accept all" (by clicking Accept), and a sibling subdomain
    # can plant it with Domain= the parent. A second copy may narrow the choice, never widen it.
    jar = cookie()
    at_time(monkeypatch, 1_800_000_000)
    rejected = jar.dumps(set(), "mine")
    at_time(monkeypatch, 1_800_000_100)
    planted = jar.dumps({"analytics", "marketing"}, "theirs")  # newer, and allowing everything
    partial = jar.dumps({"analytics"}, "other")
    app = make_app(secret_key=SECRET)
    for header in (f"consent={rejected}; consent={planted}", f"consent={planted}; consent=junk; consent={rejected}"):
        state = client(app).get("/json", headers={"cookie": header}).json()
        assert state == {"decided": True, "categories": {"necessary": True, "analytics": False, "marketing": False}}
    state = client(app).get("/json", headers={"cookie": f"consent={planted}; consent={partial}"}).json()
    assert state["categories"] == {"necessary": True, "analytics": True, "marketing": False}
