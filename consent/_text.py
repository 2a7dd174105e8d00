"""Every visible string, by key: the English defaults (msgids of the ``consent`` gettext domain).

Site owners override any of them per locale (``ConsentConfig(text={"de": {"banner_message": "…"}})``);
otherwise they come translated from ``locales/``. Keys, not msgids, are the public names.
"""

from __future__ import annotations


def N_(message: str) -> str:
    """Marks a string for extraction (pybabel extract -k N_) without translating it here."""
    return message


TEXTS: dict[str, str] = {
    # The banner.
    "banner_title": N_("Privacy & Cookies"),
    "banner_message": N_(
        "We use cookies that this site needs to work. With your consent, we also use cookies to measure our "
        "audience and to show advertising and embedded content from our partners, who may then recognise your "
        "device. Choose Accept all or Reject all, or pick in Settings. You can change your mind at any time "
        "with the Privacy & Cookies Policy link on every page."
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
    "reopen": N_("Privacy & Cookies Policy"),
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
