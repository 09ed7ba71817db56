from django.contrib import admin

from . import services
from .models import CodeAcceptance, SitePage, SitePageRevision


class RevisionInline(admin.TabularInline):
    model = SitePageRevision
    fields = ["number", "created_at", "user", "version", "version_raised", "note", "title"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["-number"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(SitePage)
class SitePageAdmin(admin.ModelAdmin):
    """Edits go through the same write as the site's edit page, so each one leaves a revision."""

    list_display = ["title", "slug", "version", "updated_at", "updated_by"]
    fields = ["title", "raw"]
    inlines = [RevisionInline]

    def has_add_permission(self, request):
        return False  # the pages are fixed: each has its own address

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        services.page_save(page=obj, user=request.user, title=obj.title, raw=obj.raw)


@admin.register(CodeAcceptance)
class CodeAcceptanceAdmin(admin.ModelAdmin):
    """Read-only: what each member accepted, and when."""

    list_display = ["user", "version", "accepted_at"]
    list_filter = ["version"]
    search_fields = ["user__username"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
