"""Search pages: /search, /opensearch.xml."""

urlpatterns: list = []
