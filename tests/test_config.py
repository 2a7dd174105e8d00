"""ConsentConfig validation and ConsentConfig.from_toml: every bad value raises ConfigError naming its key."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from consent import Category, ConfigError, ConsentConfig, ConsentDecision, ConsentMiddleware, ConsentState
from consent import CookieDeclaration as Cookie

SECRET = "config-test-secret-0123456789-abcdefghij"


def config(**kwargs):
    return ConsentConfig(**{"secret_key": SECRET, **kwargs})


def ga(**kwargs):
    values = dict(name="_ga", category="analytics", provider="Google", purpose="Counts visits", duration=None)
    return Cookie(**{**values, **kwargs})


# -- the public surface and the defaults ---------------------------------------------------------------


def test_public_names_are_importable_and_config_error_is_a_value_error():
    assert issubclass(ConfigError, ValueError)
    assert all(callable(x) for x in (ConsentMiddleware, ConsentDecision, ConsentState))


def test_defaults_are_opt_in_with_necessary_analytics_and_marketing():
    c = config()
    assert c.mode == "opt-in"
    assert c.category_keys == ("necessary", "analytics", "marketing")
    assert c.optional_keys == ("analytics", "marketing")
    assert (c.cookie_name, c.prefix, c.policy_path, c.policy_version) == ("consent", "/consent", "/privacy", "1")
    assert c.max_age_seconds == 180 * 86400
    assert c.cookies == () and c.exclude_paths == () and c.cookie_domain is None


def test_config_is_frozen():
    with pytest.raises(AttributeError):
        config().mode = "opt-out"


# -- every rule, each naming its key ------------------------------------------------------------------------

CATS = [Category("analytics")]
BAD = [
    # (kwargs, key, a fragment of the message)
    (dict(secret_key="x" * 31), "secret_key", "too short (31 characters, need at least 32); generate one with"),
    (dict(secret_key=["a" * 32, "short"]), "secret_key[1]", "too short"),
    (dict(secret_key=[b"a" * 40, "b" * 32]), "secret_key[0]", "must be a string"),
    (dict(secret_key=[]), "secret_key", "empty"),
    (dict(secret_key=()), "secret_key", "empty"),
    (dict(secret_key=b"x" * 40), "secret_key", "string or a list"),
    (dict(secret_key=12345), "secret_key", "string or a list"),
    (dict(secret_key=None), "secret_key", ""),
    (dict(mode="optin"), "mode", "opt-in, opt-out, notice"),
    (dict(mode="notice", categories=CATS), "categories", "notice mode"),
    (dict(mode="notice", cookies=[ga()]), "cookies[0].category", "'analytics' is not a declared category"),
    *[(dict(policy_version=v), "policy_version", "1-40") for v in ["", "a:b", "v 1", "x" * 41, 2, "é"]],
    *[(dict(cookie_name=v), "cookie_name", "") for v in ["", "a b", "a;b", "a=b", "consent\n", "x" * 65, 5]],
    (dict(cookie_name="__Host-consent", cookie_domain="example.com"), "cookie_name", "__Host-"),
    *[
        (dict(cookie_domain=v), "cookie_domain", "not a domain name")
        for v in ["", "exa mple.com", "example.com/", "https://example.com", "a..b", 7]
    ],
    *[(dict(max_age=v), "max_age", "400-day") for v in [timedelta(days=401), 400 * 86400 + 1, 10**12]],
    *[(dict(max_age=v), "max_age", "positive") for v in [0, -1, timedelta(0), timedelta(seconds=-5)]],
    *[
        (dict(max_age=v), "max_age", "duration such as '180 days'")
        for v in [True, 3600.0, "180 moons", None, "session"]
    ],
    *[
        (dict(**{k: v}), k, "absolute path")
        for k in ("prefix", "policy_path")
        for v in ["", "/", "consent", "//consent", "/a//b", "/a b", "/a?b", "/a#b"]
    ],
    (dict(prefix=None), "prefix", "absolute path"),
    (dict(policy_path=None), "policy_path", "set read_more_url"),
    (dict(policy_path="/consent"), "policy_path", "must not lie under prefix '/consent'"),
    (dict(policy_path="/consent/policy"), "policy_path", "must not lie under prefix"),
    *[
        (dict(read_more_url=v), "read_more_url", "")
        for v in [
            "privacy",
            "//evil.test/x",
            "javascript:alert(1)",
            "ftp://x.test",
            "/\\evil.test",
            "/a\nb",
            "/\x7f",
            5,
        ]
    ],
    (dict(exclude_paths="/api"), "exclude_paths", "list of path prefixes"),
    (dict(exclude_paths=["/api", "admin"]), "exclude_paths[1]", "starting with '/'"),
    (dict(on_decision="log_it"), "on_decision", "callable"),
    # categories
    *[
        (dict(categories=[Category("analytics"), Category(k, "Title")]), "categories[1].key", "lower-case")
        for k in ["Analytics", "1st", "a.b", "a:b", "", "a" * 33, "a b", 5]
    ],
    (dict(categories=[Category("analytics"), Category("analytics")]), "categories[1].key", "duplicate"),
    (dict(categories=[Category("necessary"), Category("necessary")]), "categories[1].key", "duplicate"),
    (dict(categories=[Category("social")]), "categories[0].title", "needs a title"),
    (dict(categories=[Category("analytics", title=5)]), "categories[0].title", "must be a string"),
    (dict(categories=[Category("analytics", description=5)]), "categories[0].description", "must be a string"),
    (dict(categories=[Category("marketing", sale_or_share="yes")]), "categories[0].sale_or_share", "true or false"),
    (dict(categories=[Category("necessary", sale_or_share=True)]), "categories[0].sale_or_share", "cannot be refused"),
    *[(dict(categories=v), "categories", "list of Category") for v in ["x", {"a": 1}, Category("analytics"), 5]],
    (dict(categories=[Category("analytics"), "marketing"]), "categories[1]", "must be a Category"),
    # cookie declarations
    (dict(cookies=[ga(category="preferences")]), "cookies[0].category", "'preferences' is not a declared category"),
    *[
        (dict(cookies=[ga(), ga(**{f: v})]), f"cookies[1].{f}", "non-empty string")
        for f in ("name", "provider", "purpose")
        for v in ["", "   ", None]
    ],
    *[(dict(cookies=[ga(duration=v)]), "cookies[0].duration", "duration such as") for v in ["13 moons", 1.5, True]],
    (dict(cookies=[ga(third_party="yes")]), "cookies[0].third_party", "true or false"),
    *[(dict(cookies=v), "cookies", "list of CookieDeclaration") for v in ["_ga", ga(), {"name": "_ga"}]],
    (dict(cookies=[{"name": "_ga"}]), "cookies[0]", "must be a CookieDeclaration"),
]


@pytest.mark.parametrize("kwargs, key, fragment", BAD, ids=[f"{key}-{i}" for i, (_, key, _) in enumerate(BAD)])
def test_bad_value_raises_config_error_starting_with_its_key(kwargs, key, fragment):
    with pytest.raises(ConfigError) as info:
        config(**kwargs)
    message = str(info.value)
    assert message.startswith(key + ": "), message
    assert info.value.key == key
    assert fragment in message


# -- what is accepted, and how it is normalised ----------------------------------------------------------------


def test_notice_mode_is_necessary_only():
    assert config(mode="notice").category_keys == ("necessary",)
    assert config(mode="notice", categories=[Category("necessary")]).optional_keys == ()
    assert config(mode="notice", cookies=[ga(category="necessary")]).cookies[0].category == "necessary"


def test_secret_key_of_32_characters_and_key_lists_are_accepted_oldest_first():
    assert config(secret_key="k" * 32).secret_keys == ("k" * 32,)
    assert config(secret_key=["a" * 32, "b" * 32]).secret_keys == ("a" * 32, "b" * 32)
    assert config(secret_key=["c" * 32]).secret_keys == ("c" * 32,)


def test_policy_version_of_40_cookie_safe_characters_is_accepted():
    assert len(config(policy_version="2024-05-01_v1.2+x" + "0" * 23).policy_version) == 40


def test_host_prefixed_cookie_without_domain_is_accepted():
    assert config(cookie_name="__Host-consent").cookie_name == "__Host-consent"


def test_cookie_domain_is_normalised_to_lower_case_without_leading_dot():
    assert config(cookie_domain=".Example.COM").cookie_domain == "example.com"


def test_max_age_accepts_seconds_or_a_timedelta_up_to_400_days():
    assert config(max_age=3600).max_age_seconds == 3600
    assert config(max_age=timedelta(days=30)).max_age_seconds == 30 * 86400
    assert config(max_age=timedelta(days=400)).max_age_seconds == 400 * 86400


def test_trailing_slash_is_stripped_from_paths_and_a_mere_string_prefix_is_fine():
    c = config(prefix="/cookies/", policy_path="/legal/privacy/")
    assert (c.prefix, c.policy_path) == ("/cookies", "/legal/privacy")
    assert config(policy_path="/consent-policy").policy_path == "/consent-policy"


@pytest.mark.parametrize("url", ["/privacy", "https://example.com/privacy", "http://example.com"])
def test_read_more_url_may_be_a_path_or_an_http_url(url):
    assert config(read_more_url=url).policy_url == url
    assert config(policy_path="/legal").policy_url == "/legal"


def test_exclude_paths_are_kept_as_a_tuple():
    assert config(exclude_paths=["/api", "/admin"]).exclude_paths == ("/api", "/admin")


def test_on_decision_may_be_sync_or_async():
    async def hook(decision):
        pass

    assert config(on_decision=hook).on_decision is hook
    assert config(on_decision=print).on_decision is print


def test_necessary_is_added_and_forced_first_keeping_its_own_title():
    c = config(categories=[Category("analytics"), Category("necessary", "Essential", "Needed")], auto_block=False)
    assert c.category_keys == ("necessary", "analytics")
    assert c.categories[0].title == "Essential"
    only = config(categories=[Category("preferences")], auto_block=False)
    assert only.category_keys == ("necessary", "preferences")
    assert config(categories=[], auto_block=False).category_keys == ("necessary",)


def test_custom_category_with_a_title_is_accepted_builtins_need_none():
    c = config(categories=[Category("preferences"), Category("social", "Social")], auto_block=False)
    assert c.optional_keys == ("preferences", "social")


def test_cookie_declarations_are_kept_in_order():
    c = config(cookies=[ga(duration=timedelta(days=390)), ga(name="_gid", third_party=True)])
    assert [d.name for d in c.cookies] == ["_ga", "_gid"]


# -- from_toml ----------------------------------------------------------------------------------------------

TOML = """
mode = "opt-in"
policy_version = "2024-05"
secret_key_env = "CONSENT_TEST_SECRET"
max_age = 7776000
cookie_domain = "example.com"
exclude_paths = ["/api"]

[[categories]]
key = "analytics"
title = "Statistics"
description = "Counting visits."

[[categories]]
key = "social"
title = "Social media"
sale_or_share = true

[[cookies]]
name = "_ga"
category = "analytics"
provider = "Google"
purpose = "Distinguishes visitors"
duration = "13 months"

[[cookies]]
name = "sessionid"
category = "necessary"
provider = "This site"
purpose = "Keeps you signed in"
duration = "session"
third_party = false

[[cookies]]
name = "fb"
category = "social"
provider = "Meta"
purpose = "Ads"
duration = 86400
third_party = true
"""
COOKIE = '[[cookies]]\nname = "a"\ncategory = "necessary"\nprovider = "p"\npurpose = "q"\n'


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "consent.toml"
    path.write_text(text, encoding="utf-8")
    return path


def toml_error(path: Path) -> str:
    with pytest.raises(ConfigError) as info:
        ConsentConfig.from_toml(path)
    return str(info.value)


@pytest.fixture
def secret_env(monkeypatch):
    monkeypatch.setenv("CONSENT_TEST_SECRET", SECRET)


def test_from_toml_reads_everything(tmp_path, secret_env):
    c = ConsentConfig.from_toml(write(tmp_path, TOML))
    assert c.secret_keys == (SECRET,)
    assert (c.mode, c.policy_version, c.max_age_seconds) == ("opt-in", "2024-05", 7776000)
    assert c.cookie_domain == "example.com"
    assert c.exclude_paths == ("/api",)
    # marketing was not declared, but the tracker table gates trackers under it: added (see test_config_traps).
    assert c.category_keys == ("necessary", "analytics", "social", "marketing")
    assert (c.categories[1].title, c.categories[1].description) == ("Statistics", "Counting visits.")
    assert c.categories[2].sale_or_share is True
    ga_, session, fb = c.cookies
    assert ga_.duration == timedelta(days=390)
    assert session.duration is None and session.category == "necessary"
    assert fb.duration == timedelta(days=1) and fb.third_party is True
    assert ConsentConfig.from_toml(str(write(tmp_path, TOML))).policy_version == "2024-05"  # a str path too


def test_from_toml_keyword_overrides_win_and_can_add_on_decision(tmp_path, secret_env):
    c = ConsentConfig.from_toml(write(tmp_path, TOML), policy_version="3", secret_key="n" * 40, on_decision=print)
    assert c.policy_version == "3" and c.secret_keys == ("n" * 40,) and c.on_decision is print


def test_from_toml_secret_key_list_for_rotation(tmp_path):
    c = ConsentConfig.from_toml(write(tmp_path, f'secret_key = ["{"o" * 32}", "{SECRET}"]\n'))
    assert c.secret_keys == ("o" * 32, SECRET)


@pytest.mark.parametrize(
    "text, value",
    [
        ('"1 year"', timedelta(days=365)),
        ('"2 Weeks"', timedelta(days=14)),
        ('" 30 days "', timedelta(days=30)),
        ('"90 minutes"', timedelta(minutes=90)),
        ('"1 hour"', timedelta(hours=1)),
        ('"Session"', None),
    ],
)
def test_from_toml_duration_forms(tmp_path, text, value):
    path = write(tmp_path, f'secret_key = "{SECRET}"\n{COOKIE}duration = {text}\n')
    assert ConsentConfig.from_toml(path).cookies[0].duration == value


@pytest.mark.parametrize("duration", ['"13 moons"', '"forever"', '"-1 day"', "true", "1.5", '""'])
def test_from_toml_bad_duration_names_file_and_cookie(tmp_path, duration):
    path = write(tmp_path, f'secret_key = "{SECRET}"\n{COOKIE}duration = {duration}\n')
    assert toml_error(path).startswith(f"{path}: cookies[0].duration: ")


@pytest.mark.parametrize(
    "body, where",
    [
        ("unknown_key = 1\n", "unknown_key: unknown key (known: "),
        ('on_decision = "x"\n', "on_decision: unknown key"),
        ('[[categories]]\nkey = "analytics"\ncolour = "red"\n', "categories[0].colour: unknown key"),
        ('[[categories]]\ntitle = "X"\n', "categories[0].key: is required"),
        ('categories = ["analytics"]\n', "categories[0]: must be a table"),
        (COOKIE, "cookies[0].duration: is required"),
        (COOKIE + 'duration = "session"\nthird_party = "no"\nextra = 1\n', "cookies[0].extra: unknown key"),
        ("secret_key_env = 5\n", "secret_key_env: must be the name of an environment variable"),
    ],
)
def test_from_toml_structure_errors_name_the_file_and_the_key(tmp_path, body, where):
    path = write(tmp_path, f'secret_key = "{SECRET}"\n{body}')
    assert toml_error(path).startswith(f"{path}: {where}")


def test_from_toml_categories_must_be_an_array_of_tables(tmp_path):
    assert "categories: must be an array of tables" in toml_error(write(tmp_path, 'categories = "analytics"\n'))


@pytest.mark.parametrize(
    "line, key",
    [
        ("mode = 1", "mode"),
        ('max_age = "180 moons"', "max_age"),
        ("max_age = 40000000", "max_age"),
        ('exclude_paths = "/api"', "exclude_paths"),
        ("cookie_domain = 5", "cookie_domain"),
        ("policy_version = 2", "policy_version"),
        ('prefix = "consent"', "prefix"),
        ('mode = "notice"\n[[categories]]\nkey = "analytics"', "categories"),
        ('cookie_name = "__Host-consent"\ncookie_domain = "example.com"', "cookie_name"),
    ],
)
def test_from_toml_bad_values_name_the_key(tmp_path, line, key):
    path = write(tmp_path, f'secret_key = "{SECRET}"\n{line}\n')
    assert toml_error(path).startswith(f"{path}: {key}: ")


def test_from_toml_short_secret_is_reported(tmp_path):
    path = write(tmp_path, 'secret_key = "short"\n')
    assert toml_error(path).startswith(f"{path}: secret_key: too short")


def test_from_toml_secret_key_env_that_is_not_set(tmp_path, monkeypatch):
    monkeypatch.delenv("CONSENT_TEST_SECRET", raising=False)
    path = write(tmp_path, TOML)
    assert toml_error(path).startswith(f"{path}: secret_key_env: environment variable 'CONSENT_TEST_SECRET'")


def test_from_toml_without_any_secret_is_a_config_error_naming_secret_key(tmp_path):
    assert "secret_key" in toml_error(write(tmp_path, 'mode = "opt-in"\n'))


def test_from_toml_invalid_toml_names_the_file(tmp_path):
    path = write(tmp_path, "mode = \n[[[")
    assert toml_error(path).startswith(f"{path}: not valid TOML")


def test_from_toml_missing_file_names_the_file(tmp_path):
    path = tmp_path / "nope.toml"
    assert toml_error(path) == f"{path}: file not found"
