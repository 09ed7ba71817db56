from django.contrib import admin

from .models import Group, Membership


class MembershipInline(admin.TabularInline):
    model = Membership
    raw_id_fields = ["user"]
    extra = 0


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ["name", "automatic", "visibility", "joining"]
    search_fields = ["name", "full_name"]
    readonly_fields = ["automatic"]
    inlines = [MembershipInline]
