"""Validation of what Discourse clients write: the composer's own fields, so every rule on length and
content is the site's."""

from django import forms

from agora.discuss.forms import PostBodyField, TitleField


class PostForm(forms.Form):
    raw = PostBodyField()
    title = TitleField(required=False)


class EditForm(forms.Form):
    raw = PostBodyField()
