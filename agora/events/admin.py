"""Events in the Django admin: staff can read and correct rows; pages and services are the usual way."""

from django.contrib import admin

from .models import RSVP, Event, Occurrence


class OccurrenceInline(admin.TabularInline):
    model = Occurrence
    extra = 0
    fields = ("key", "start_date", "start_time", "end_date", "end_time", "cancelled", "moved", "note", "going_count")
    readonly_fields = ("key", "going_count")
    show_change_link = True


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ("topic", "start_date", "timezone", "rrule", "country", "status")
    list_filter = ("status", "all_day")
    search_fields = ("topic__title", "venue", "address")
    raw_id_fields = ("topic", "organizers", "group", "created_by")
    inlines = [OccurrenceInline]


@admin.register(RSVP)
class RSVPAdmin(admin.ModelAdmin):
    list_display = ("occurrence", "user", "status", "queued_at")
    list_filter = ("status",)
    raw_id_fields = ("occurrence", "user")
