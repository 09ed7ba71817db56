"""Authentication backends that refuse a suspended person: at sign-in, and on every request after it
(Django asks the backend for the session's user each time), so a suspension ends the sessions a person
already has at once, on every app server, whatever the session store."""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend


class _RefuseSuspended:
    def user_can_authenticate(self, user):
        return super().user_can_authenticate(user) and not getattr(user, "is_suspended", False)  # type: ignore[misc]


class ModelBackend(_RefuseSuspended, DjangoModelBackend):
    pass


class AuthenticationBackend(_RefuseSuspended, AllauthBackend):
    pass
