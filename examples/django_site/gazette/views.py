"""The example's views: they read the visitor's choice from ``request.consent``."""

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

ARTICLES = {
    "harbour": ("New ferry terminal opens", "The harbour's new terminal opened on Monday with a brass band."),
    "market": ("Fish market returns", "After two years of works, the Saturday fish market is back on the quay."),
}


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "gazette/home.html", {"articles": ARTICLES})


def article(request: HttpRequest, slug: str) -> HttpResponse:
    if slug not in ARTICLES:
        raise Http404("No such article.")
    title, text = ARTICLES[slug]
    # The server decides too: the ad slot is only rendered for visitors who allowed marketing.
    context = {"title": title, "text": text, "show_ad": request.consent.allows("marketing")}
    return render(request, "gazette/article.html", context)


def summary(request: HttpRequest) -> JsonResponse:
    """What the visitor allowed, as the app sees it (JSON is never rewritten)."""
    return JsonResponse({"decided": request.consent.decided, "categories": dict(request.consent.categories)})
