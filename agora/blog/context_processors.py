"""`is_editor` for the blog's tabs: whether the viewer is on the editorial board (asked only when a
template shows the tabs; a callable, so other pages pay nothing)."""

from functools import cache

from django.http import HttpRequest

from agora import permissions


def editorial(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"is_editor": cache(lambda: permissions.is_editor(user))}
