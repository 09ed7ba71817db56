"""The site pages: anyone reads them, only staff edit them, every save is kept and shown in the history,
and every page's footer links to them."""

import pytest

from agora.pages.models import PAGE_SLUGS, SitePage, SitePageRevision

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("slug", PAGE_SLUGS)
def test_each_page_has_a_default_text_visitors_can_read(client, slug):
    response = client.get(f"/{slug}")
    assert response.status_code == 200
    page = SitePage.objects.get(slug=slug)
    assert page.title in response.content.decode()
    assert len(page.raw) > 500 and page.html.startswith("<")
    assert f'href="/{slug}/edit"' not in response.content.decode()  # no edit link for visitors


def test_the_code_of_conduct_reads_like_one(client):
    text = client.get("/code-of-conduct").content.decode()
    for words in ("Harassment", "How to report a problem", "Message the moderators", "Version 1."):
        assert words in text


@pytest.mark.parametrize("path", ["/", "/latest", "/categories", "/code-of-conduct", "/accounts/login/", "/nowhere"])
def test_every_page_links_the_site_pages_in_its_footer(client, path):
    text = client.get(path).content.decode()
    footer = text[text.index('<footer class="site-footer">') :]
    for slug in PAGE_SLUGS:
        assert f'href="/{slug}"' in footer


@pytest.mark.parametrize("viewer", ["anonymous", "member", "moderator"])
def test_only_staff_open_the_edit_page(client_for, viewer, request):
    user = None if viewer == "anonymous" else request.getfixturevalue(viewer)
    client = client_for(user)
    assert client.get("/about/edit").status_code == 404
    response = client.post("/about/edit", {"title": "Hacked", "raw": "Hacked"})
    assert response.status_code == 404
    assert SitePage.objects.get(slug="about").title == "About"


def test_staff_edit_a_page_and_the_history_shows_who_changed_what(client_for, staff):
    client = client_for(staff)
    page = client.get("/guidelines")
    assert 'href="/guidelines/edit"' in page.content.decode()
    form = client.get("/guidelines/edit")
    assert form.status_code == 200 and "raise_version" not in form.content.decode()  # only the code has one
    old = SitePage.objects.get(slug="guidelines").raw
    response = client.post(
        "/guidelines/edit",
        {"title": "Community guidelines", "raw": old + "\n\nA new line about **kindness**.", "note": "Kindness"},
    )
    assert response.status_code == 302 and response["Location"] == "/guidelines"
    assert "<strong>kindness</strong>" in client.get("/guidelines").content.decode()
    first, second = SitePageRevision.objects.filter(page__slug="guidelines").order_by("number")
    assert (first.user, second.user) == (None, staff)
    assert second.raw.endswith("**kindness**.") and second.note == "Kindness"

    history = client_for(None).get("/guidelines/history").content.decode()  # public, as the page is
    assert "Revision 2" in history and "Staff" in history
    assert '<span class="diff-added">+ A new line about **kindness**.</span>' in history


def test_saving_the_same_text_writes_no_revision(client_for, staff):
    page = SitePage.objects.get(slug="about")
    client_for(staff).post("/about/edit", {"title": page.title, "raw": page.raw})
    assert SitePageRevision.objects.filter(page=page).count() == 1


def test_an_empty_text_is_refused_clearly_and_nothing_changes(client_for, staff):
    response = client_for(staff).post("/about/edit", {"title": "About", "raw": "   "})
    assert response.status_code == 200 and "This field is required" in response.content.decode()
    assert SitePage.objects.get(slug="about").raw.startswith("This is a meeting place")


def test_an_edit_through_the_admin_is_kept_in_the_history_too(client_for, staff):
    page = SitePage.objects.get(slug="about")
    response = client_for(staff).post(
        f"/admin/pages/sitepage/{page.pk}/change/",
        {
            "title": "About us",
            "raw": "Edited in the admin.",
            "revisions-TOTAL_FORMS": "0",
            "revisions-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    page.refresh_from_db()
    assert page.title == "About us" and page.html == "<p>Edited in the admin.</p>\n"
    assert page.revisions.order_by("-number").first().user == staff


def test_a_visitors_cached_page_shows_an_edit_at_once(client_for, staff, settings, django_capture_on_commit_callbacks):
    settings.AGORA_PAGE_CACHE_SECONDS = 300
    visitor = client_for(None)
    assert "Fresh words" not in visitor.get("/about").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client_for(staff).post("/about/edit", {"title": "About", "raw": "Fresh words."})
    assert "Fresh words" in visitor.get("/about").content.decode()


def test_unknown_pages_are_404(client):
    assert client.get("/code-of-conduct/nothing").status_code == 404
    assert client.get("/terms").status_code == 404
