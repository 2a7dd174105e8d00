"""Every visible string, by key: the English defaults (msgids of the ``consent`` gettext domain).

Site owners override any of them per locale (``ConsentConfig(text={"de": {"banner_message": "…"}})``);
otherwise they come translated from ``locales/``. Keys, not msgids, are the public names.
"""

from __future__ import annotations


def N_(message: str) -> str:
    """Marks a string for extraction (pybabel extract -k N_) without translating it here."""
    return message


def NP_(singular: str, plural: str) -> tuple[str, str]:
    """Marks a singular/plural pair for extraction (-k NP_:1,2)."""
    return singular, plural


TEXTS: dict[str, str] = {
    # The banner.
    "banner_title": N_("Privacy & Cookies"),
    "banner_message": N_(
        "We use cookies that this site needs to work. With your consent, we also use cookies to measure our "
        "audience and to show advertising and embedded content from our partners, who may then recognise your "
        "device. You can change your choice at any time with the Cookie settings link on every page."
    ),
    "banner_message_opt_out": N_(
        "This website uses cookies to improve your experience. We'll assume you're ok with this, but you can "
        "opt-out if you wish."
    ),
    "banner_message_notice": N_(
        "This website uses only the cookies it needs to work. They are not used for advertising or analytics."
    ),
    "accept_all": N_("Accept all"),
    "reject_all": N_("Reject all"),
    "accept": N_("Accept"),
    "opt_out": N_("Opt out"),
    "dismiss": N_("OK"),
    "settings": N_("Settings"),
    "read_more": N_("Read More"),
    # The reopen link leads to the settings page: it is named like it (never like the site's policy link).
    "reopen": N_("Cookie settings"),
    "saved": N_("Your privacy choice has been saved."),
    # The settings page.
    "settings_title": N_("Cookie settings"),
    "settings_intro": N_(
        "Choose which cookies this site may use. Necessary cookies are always on, because the site cannot work "
        "without them. Your choice applies to this browser, and you can change it at any time."
    ),
    "categories_legend": N_("Cookie categories"),
    "always_on": N_("Always on"),
    "save": N_("Save my choices"),
    "withdraw": N_("Withdraw consent"),
    "back": N_("Back to the site"),
    "consent_id": N_("Your consent ID"),  # followed by the id, so that the visitor can ask for their record
    # The policy page.
    "policy_title": N_("Privacy & Cookies Policy"),
    "policy_intro": N_(
        "This page explains which cookies this site uses, why, and for how long, and how you can change your "
        "choice. Cookies that are not necessary are only used with your consent, and you can withdraw it at "
        "any time as easily as you gave it."
    ),
    "your_choice": N_("Your current choice"),
    "choice_undecided": N_("You have not made a choice yet."),
    "choice_granted": N_("Allowed"),
    "choice_refused": N_("Not allowed"),
    "change_choice": N_("Change your choice"),
    "cookies_heading": N_("Cookies on this site"),
    "no_cookies": N_("No cookies of this kind are declared."),
    "col_name": N_("Name"),
    "col_provider": N_("Provider"),
    "col_purpose": N_("Purpose"),
    "col_duration": N_("Duration"),
    "session": N_("Until you close the browser"),
    "consent_cookie_purpose": N_("Remembers your privacy choice, so that you are not asked again on every page."),
    "this_site": N_("This site"),
    "col_third_party": N_("Shared with third parties"),
    "yes": N_("Yes"),
    "no": N_("No"),
    "controller_heading": N_("Who is responsible"),
    "contact": N_("Contact"),
    "dpo_heading": N_("Data protection officer"),
    "last_updated": N_("Last updated: {date}"),
    "rights_heading": N_("Your rights"),
    "rights": N_(
        "You can ask us for access to your personal data, and to correct, delete or transfer it; you can object "
        "to or restrict its use, and withdraw your consent at any time without affecting what was done before. "
        "You also have the right to complain to a data protection authority."
    ),
    "signals_heading": N_("Browser privacy signals"),
    "gpc_statement": N_(
        "This site honours Global Privacy Control. If your browser sends this signal, we treat it as your refusal "
        "of advertising cookies and of the sale or sharing of your personal data, even if you accepted them "
        "before."
    ),
    "dnt_statement_honoured": N_(
        "This site also treats the Do Not Track signal as a refusal of all cookies that are not necessary."
    ),
    "dnt_statement_not_honoured": N_(
        "This site does not change its behaviour when it receives a Do Not Track signal, which most browsers no "
        "longer send; it honours Global Privacy Control and the choice you make here."
    ),
    "gpc_honoured": N_("Your Global Privacy Control signal is honoured."),
    # Blocked embeds (videos, posts, maps) shown in place of the iframe until consent.
    "embed_blocked": N_("This content is provided by {provider}, which may set cookies and track you."),
    "embed_needs": N_("It is blocked until you allow {category}."),
    "embed_load_once": N_("Load this once"),
    "embed_always": N_("Always allow {category}"),
    "embed_open": N_("Open it on {provider}"),
    # Built-in categories.
    "category_necessary": N_("Necessary"),
    "category_necessary_description": N_(
        "Needed for the site to work: for example to remember your privacy choice, keep you signed in or protect "
        "forms. They cannot be switched off."
    ),
    "category_preferences": N_("Preferences"),
    "category_preferences_description": N_("Remember settings such as your language or region."),
    "category_analytics": N_("Analytics"),
    "category_analytics_description": N_(
        "Help us understand how the site is used, by counting visits and measuring which articles are read."
    ),
    "category_marketing": N_("Marketing"),
    "category_marketing_description": N_(
        "Used by advertising and social media partners to show you relevant advertising and embedded content "
        "such as videos, and to measure how well it works. These partners may track you across other sites."
    ),
}


# Strings with a number in them: singular and plural msgids, formatted with {count}.
PLURALS: dict[str, tuple[str, str]] = {
    "partners": NP_(
        "This site works with {count} partner that may set cookies.",
        "This site works with {count} partners that may set cookies.",
    ),
}
