"""URL patterns (filled in by the feature)."""

urlpatterns: list = []
