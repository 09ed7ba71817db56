"""Django's GZipMiddleware, leaving event streams alone."""

from django.middleware.gzip import GZipMiddleware


class GZipExceptStreamsMiddleware(GZipMiddleware):
    """Django compresses each chunk of an async stream as a gzip member of its own, which browsers do not
    read as one stream, and any compression would hold events back: server-sent events go uncompressed
    (each is a few dozen bytes of JSON)."""

    def process_response(self, request, response):
        if response.get("Content-Type", "").startswith("text/event-stream"):
            return response
        return super().process_response(request, response)
