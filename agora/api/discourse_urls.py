"""Discourse-compatible JSON: /latest.json, /t/<id>.json, /posts.json ... for Discourse clients and scripts."""

urlpatterns: list = []
