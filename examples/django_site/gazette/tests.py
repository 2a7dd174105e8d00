"""Tests of the example Django site, as a site's own tests would use consent.testing with Django's test
clients. Run them with ``python examples/django_site/manage.py test gazette``."""

from django.test import AsyncClient, SimpleTestCase

from consent.testing import clear_consent, consent_cookie, set_consent


class ConsentTests(SimpleTestCase):
    def test_a_new_visitor_gets_the_banner_and_no_ad(self) -> None:
        page = self.client.get("/articles/harbour").content.decode()
        self.assertIn('id="consent-banner"', page)
        self.assertNotIn("Advertisement", page)

    def test_a_visitor_who_accepted_everything_gets_the_ad_and_the_video(self) -> None:
        set_consent(self.client, categories="all")  # the configuration of settings.CONSENT
        page = self.client.get("/articles/harbour").content.decode()
        self.assertNotIn('id="consent-banner"', page)
        self.assertIn("Advertisement", page)
        self.assertIn(' src="https://www.youtube-nocookie.com/embed/harbour"', page)

    def test_a_visitor_who_allowed_only_analytics(self) -> None:
        self.client.cookies.load(consent_cookie(categories=["analytics"]))
        self.assertEqual(
            self.client.get("/api/consent-summary").json()["categories"],
            {"necessary": True, "analytics": True, "marketing": False},
        )
        clear_consent(self.client)
        self.assertFalse(self.client.get("/api/consent-summary").json()["decided"])

    async def test_the_async_client_too(self) -> None:
        client = AsyncClient()
        set_consent(client, categories=["marketing"])
        response = await client.get("/articles/harbour")
        self.assertIn("Advertisement", response.content.decode())

    def test_the_footer_links_to_the_cookie_settings_and_back(self) -> None:
        page = self.client.get("/articles/market").content.decode()
        self.assertIn('<a href="/consent/settings?next=%2Farticles%2Fmarket">Cookie settings</a>', page)
