"""Site-wide views: health check, error pages, and images by address served from our origin."""

from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from agora.core import remote_images
from agora.core.models import WorkerHeartbeat


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Name the database, cache and task backend in use, and say whether they and the worker answer."""
    status = 200
    database = {"engine": connection.vendor, "ok": True}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:  # noqa: BLE001 - a health check reports, it does not raise
        database.update(ok=False, error=exc.__class__.__name__)
        status = 503
    cache_backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    cache_info = {"backend": cache_backend, "ok": True}
    try:
        cache.set("healthz", "1", 5)
        cache_info["ok"] = cache.get("healthz") == "1"
    except Exception as exc:  # noqa: BLE001
        cache_info.update(ok=False, error=exc.__class__.__name__)
        status = 503
    worker_alive = False
    last_seen = None
    if database["ok"]:
        fresh = timezone.now() - timedelta(seconds=settings.AGORA_WORKER_HEARTBEAT_SECONDS * 3)
        beat = WorkerHeartbeat.objects.order_by("-seen_at").first()
        if beat is not None:
            last_seen = beat.seen_at.isoformat()
            worker_alive = beat.seen_at >= fresh
    body = {
        "status": "ok" if status == 200 else "error",
        "database": database,
        "cache": cache_info,
        "tasks": {
            "backend": settings.TASKS["default"]["BACKEND"].rsplit(".", 1)[-1],
            "worker_alive": worker_alive,
            "worker_last_seen": last_seen,
        },
    }
    return JsonResponse(body, status=status)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "404.html", status=404)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "403.html", {"reason": str(exception) if str(exception) else ""}, status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "400.html", status=400)


def remote_image(request: HttpRequest, token: str) -> HttpResponse:
    """An image by address from user content, from our storage (fetched on first request): readers'
    browsers never contact its host. A failure answers a small picture saying so, never a 500."""
    url = remote_images.url_from_token(token)
    if url is None:
        raise Http404
    row = remote_images.image_for(url)
    if row.ok:
        try:
            with default_storage.open(row.file.name, "rb") as file:
                data = file.read()
        except OSError:  # the file went missing from storage: fetch it again next time
            row.ok = False
            row.save(update_fields=["ok"])
        else:
            response = HttpResponse(data, content_type="image/webp")
            # The address names the image for good (its token is its source's address): cache it for a year.
            response["Cache-Control"] = "public, max-age=31536000, immutable"
            return response
    response = HttpResponse(remote_images.failure_svg(_("Image could not be loaded")), content_type="image/svg+xml")
    response["Cache-Control"] = f"public, max-age={settings.AGORA_REMOTE_IMAGE_RETRY_SECONDS}"
    response["Vary"] = "Accept-Language"
    return response
