from django.contrib import admin

from .models import ModeratorAction


@admin.register(ModeratorAction)
class ModeratorActionAdmin(admin.ModelAdmin):
    """Read-only: the log is append-only, in the admin too."""

    list_display = ["created_at", "actor", "action", "target_kind", "target_label", "subject_user"]
    list_filter = ["action", "target_kind"]
    search_fields = ["target_label", "reason"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
