"""Trust's block on other apps' pages: the level box on a person's profile, so discuss never imports
trust (`{% load trust %}{% trust_box person user as box %}`)."""

from __future__ import annotations

from typing import Any

from django import template

from agora.trust import queries

register = template.Library()


@register.simple_tag
def trust_box(person: Any, viewer: Any) -> queries.TrustBox | None:
    """The next level's requirements for the person and staff (one query), None for anyone else."""
    return queries.trust_box(person, viewer)
