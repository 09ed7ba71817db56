"""Site-wide views: health check and error pages."""

from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

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
