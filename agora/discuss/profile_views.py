"""A person's page (/u/<username>): their topics, replies and likes, with counts, as the viewer may see them."""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from agora.accounts.queries import get_active_user_by_url_name
from agora.core.pagination import page_number, peek_page

from . import queries as discuss_queries

TABS = {"topics", "replies", "likes"}


def profile(request: HttpRequest, username: str, tab: str = "topics") -> HttpResponse:
    if tab not in TABS:
        raise Http404
    person = get_active_user_by_url_name(username)
    # One address per person: "alice", "Jane Doe" or a fullwidth spelling redirect to the canonical one.
    if username != person.username.replace(" ", "_"):
        suffix = "" if tab == "topics" else f"/{tab}"
        query = f"?{request.META['QUERY_STRING']}" if request.META.get("QUERY_STRING") else ""
        return redirect(person.get_absolute_url() + suffix + query, permanent=True)
    viewer = request.user
    if tab == "topics":
        items = discuss_queries.user_topics(viewer, person)
    elif tab == "replies":
        items = discuss_queries.user_replies(viewer, person)
    else:
        items = discuss_queries.user_likes_given(viewer, person)
    page = peek_page(items, page_number(request), settings.AGORA_TOPICS_PER_PAGE)
    context = {
        "person": person,
        "tab": tab,
        "page": page,
        "counts": discuss_queries.user_counts(viewer, person),
        "is_self": viewer.is_authenticated and viewer.pk == person.pk,
    }
    return render(request, "accounts/profile.html", context)
