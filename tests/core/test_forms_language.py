"""The content language picker: one <select> of every CLDR language, written without a template per option."""

from django import forms

from agora.core.forms import ContentLanguageField


class Form(forms.Form):
    language = ContentLanguageField(blank="Same as the topic")


def test_it_lists_every_language_with_its_code_and_marks_the_choice():
    html = str(Form(initial={"language": "pa"})["language"])
    assert html.startswith('<select name="language" id="id_language">')
    assert '<option value="">Same as the topic</option>' in html
    assert '<option value="pa" lang="pa" selected>ਪੰਜਾਬੀ</option>' in html
    assert html.count("<option") > 300


def test_labels_are_escaped_and_an_unknown_code_is_refused():
    form = Form(data={"language": "xx-<b>"})
    assert not form.is_valid()
    assert "“xx-&lt;b&gt;” is not a language code we know" in str(form["language"].errors)
    assert "<b>" not in str(form["language"])
