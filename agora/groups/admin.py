"""Django admin for groups: staff see groups with their members, requests and invitations.

Membership edited here bypasses the services, so saving a group recounts its members, drops the
visitors' page cache (the admin middleware does) and leaves the rest to the site's own pages.
"""

from django.contrib import admin

from .models import Group, Invitation, JoinRequest, Membership


class MembershipInline(admin.TabularInline):
    model = Membership
    raw_id_fields = ["user"]
    extra = 0


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ["name", "full_name", "automatic", "visibility", "members_visibility", "joining", "member_count"]
    list_filter = ["automatic", "visibility", "joining"]
    search_fields = ["name", "full_name"]
    readonly_fields = ["automatic", "member_count"]
    raw_id_fields = ["welcome_topic"]
    inlines = [MembershipInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        group = form.instance
        # Keep the counter true after members were added or removed in the inline.
        Group.objects.filter(pk=group.pk).update(member_count=Membership.objects.filter(group=group).count())

    def save_model(self, request, obj, form, change):
        from agora.core.markdown import render_markdown

        obj.description_html = render_markdown(obj.description)
        super().save_model(request, obj, form, change)


@admin.register(JoinRequest)
class JoinRequestAdmin(admin.ModelAdmin):
    list_display = ["group", "user", "status", "created_at", "decided_by", "decided_at"]
    list_filter = ["status"]
    search_fields = ["group__name", "user__username"]
    raw_id_fields = ["group", "user", "decided_by"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["group", "email", "created_by", "created_at", "expires_at", "accepted_by", "revoked_at"]
    search_fields = ["group__name", "email"]
    raw_id_fields = ["group", "created_by", "accepted_by"]
    readonly_fields = ["token"]
