"""Feeds (RSS, Atom, JSON Feed) and the embeddable widget."""

urlpatterns: list = []
