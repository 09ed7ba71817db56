"""Django admin for notifications: read-only, and without what they are about. Staff may not read private
messages, so a notification's topic, post and group (a message title, a hidden group) are not shown here."""

from django.contrib import admin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["id", "user", "kind", "created_at", "read_at"]
    list_filter = ["kind"]
    fields = ["user", "kind", "created_at", "read_at"]
    readonly_fields = fields
    list_select_related = ["user"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
