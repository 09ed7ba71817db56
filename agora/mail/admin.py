"""Django admin for mail: categories' incoming addresses (staff set them), and the receiver's log (read
only, without subjects or posts: a reply to a private message must not show its title to staff)."""

from django import forms
from django.contrib import admin
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from .keys import key_from_address, reply_address_parts
from .models import CategoryInbox, IncomingMail


class CategoryInboxForm(forms.ModelForm):
    class Meta:
        model = CategoryInbox
        fields = ["category", "address"]
        help_texts = {
            "address": _(
                "Mail to this address starts a topic in the category, as its sender (a member writing from a "
                "verified address). Your mail server must hand this address to the receiver (see the README)."
            )
        }

    def clean_address(self) -> str:
        address = self.cleaned_data["address"].strip().lower()
        validate_email(address)
        local, domain = reply_address_parts()
        if key_from_address(address) is not None or address == f"{local}@{domain}".lower():
            raise forms.ValidationError(_("This is the reply address: choose another one for the category."))
        return address


@admin.register(CategoryInbox)
class CategoryInboxAdmin(admin.ModelAdmin):
    form = CategoryInboxForm
    list_display = ["address", "category"]
    list_select_related = ["category"]
    search_fields = ["address", "category__name"]


@admin.register(IncomingMail)
class IncomingMailAdmin(admin.ModelAdmin):
    list_display = ["received_at", "status", "reason", "sender", "recipient_shown"]
    list_filter = ["status"]
    search_fields = ["sender", "recipient", "message_id"]
    fields = ["received_at", "status", "reason", "sender", "recipient_shown", "user", "size", "message_id"]
    readonly_fields = fields

    @admin.display(description=_("recipient"))
    def recipient_shown(self, obj: IncomingMail) -> str:
        """The recipient with a reply key's middle hidden: the key lets its owner post by mail."""
        key = key_from_address(obj.recipient)
        return obj.recipient.replace(key, f"{key[:4]}…{key[-4:]}") if key else obj.recipient

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
