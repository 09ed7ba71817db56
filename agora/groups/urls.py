"""Group addresses: /g, /g/<name> and its pages, and the POST-only buttons on them."""

from django.urls import path

from . import views

urlpatterns = [
    path("g", views.group_list, name="list"),
    path("g/new", views.group_new, name="new"),
    path("g/invitation/<str:token>", views.invitation, name="invitation"),
    path("g/<str:name>", views.group_detail, name="detail"),
    path("g/<str:name>/edit", views.group_edit, name="edit"),
    path("g/<str:name>/translations", views.group_translations, name="translations"),
    path("g/<str:name>/join", views.group_join, name="join"),
    path("g/<str:name>/leave", views.group_leave, name="leave"),
    path("g/<str:name>/request", views.join_request_create, name="request"),
    path("g/<str:name>/withdraw", views.join_request_withdraw, name="withdraw"),
    path("g/<str:name>/members", views.members, name="members"),
    path("g/<str:name>/members/add", views.member_add, name="member_add"),
    path("g/<str:name>/members/<int:pk>/remove", views.member_remove, name="member_remove"),
    path("g/<str:name>/members/<int:pk>/role", views.member_role, name="member_role"),
    path("g/<str:name>/requests", views.requests, name="requests"),
    path("g/<str:name>/requests/<int:pk>/accept", views.join_request_accept, name="request_accept"),
    path("g/<str:name>/requests/<int:pk>/decline", views.join_request_decline, name="request_decline"),
    path("g/<str:name>/invitations", views.invitations, name="invitations"),
    path("g/<str:name>/invitations/<int:pk>/revoke", views.invitation_revoke, name="invitation_revoke"),
]
