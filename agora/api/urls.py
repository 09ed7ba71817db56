"""The REST API under /api/v1/ and the Discourse-compatible JSON."""

urlpatterns: list = []
