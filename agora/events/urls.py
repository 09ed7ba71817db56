"""Event addresses. Feeds (.ics, .geojson) come before the pages whose address they extend."""

from django.urls import path

from . import views

urlpatterns = [
    path("events", views.calendar, name="calendar"),
    path("events.ics", views.events_ics, name="ics"),
    path("events.geojson", views.events_geojson, name="geojson"),
    path("events/map", views.map_page, name="map"),
    path("events/new", views.event_new, name="new"),
    path("events/near", views.near, name="near"),
    path("events/people", views.people_map, name="people"),
    path("events/my", views.my_calendar, name="my"),
    path("events/geocode", views.geocode, name="geocode"),
    path("events/feed/<str:token>.ics", views.private_feed, name="private_feed"),
    path("events/<int:pk>.ics", views.event_ics, name="event_ics"),
    path("events/<int:pk>/edit", views.event_edit, name="edit"),
    path("events/<int:pk>/attendees.csv", views.attendees_csv, name="attendees_csv"),
    path("events/<int:pk>/message", views.message_attendees, name="message"),
    path("events/date/<int:pk>/edit", views.occurrence_edit, name="occurrence_edit"),
    path("events/date/<int:pk>/rsvp", views.rsvp, name="rsvp"),
    path("events/answer/<int:pk>/decide", views.rsvp_decide, name="rsvp_decide"),
    path("c/<str:slug>/events", views.calendar, name="category_calendar"),
    path("c/<str:slug>/events.ics", views.events_ics, name="category_ics"),
    path("g/<str:name>/events", views.calendar, name="group_calendar"),
    path("g/<str:name>/events.ics", views.events_ics, name="group_ics"),
]
