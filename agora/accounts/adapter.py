"""django-allauth glue: wiki usernames checked for look-alikes at sign-up."""

from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.utils.translation import gettext as _

from .usernames import canonical_username, normalize_username, username_skeleton


class AccountAdapter(DefaultAccountAdapter):
    def clean_username(self, username, shallow=False):
        username = normalize_username(username)
        username = super().clean_username(username, shallow=shallow)
        if not shallow:
            from .models import User

            if User.objects.filter(username_canonical=canonical_username(username)).exists():
                raise forms.ValidationError(_("A user with that username already exists."))
            if User.objects.filter(username_skeleton=username_skeleton(username)).exists():
                raise forms.ValidationError(_("That username looks too much like an existing one."))
        return username
