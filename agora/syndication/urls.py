"""Syndicated feeds of affiliates blogs: the staff pages that manage them."""

urlpatterns: list = []
