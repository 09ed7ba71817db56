"""Topics linked as translations of each other: the rules of topic_link_translation, the form on the
topic page, "Also in" and hreflang links, and nothing leaked to those who may not see a topic."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from agora.discuss import services
from agora.discuss.models import Topic
from tests import factories

pytestmark = pytest.mark.django_db


def _topic(user, category, language, title="A topic about the photo contest"):
    return factories.make_topic(user, category, title=title, raw="Some words about it.", language=language)


def test_it_links_a_translation_and_both_pages_say_also_in(client, member, public_category):
    original = _topic(member, public_category, "en")
    punjabi = _topic(member, public_category, "pa", title="ਫੋਟੋ ਮੁਕਾਬਲੇ ਬਾਰੇ")
    services.topic_link_translation(user=member, topic=punjabi, original=original)
    page = client.get(original.get_absolute_url()).content.decode()
    assert f'hreflang="pa" href="/t/{punjabi.slug}/{punjabi.pk}"' in page
    assert 'lang="pa" dir="auto">ਪੰਜਾਬੀ</a>' in page
    other = client.get(punjabi.get_absolute_url()).content.decode()
    assert 'hreflang="en"' in other and ">English</a>" in other


def test_linking_to_a_translation_links_to_its_original(member, public_category):
    original = _topic(member, public_category, "en")
    arabic = _topic(member, public_category, "ar", title="مسابقة الصور")
    hindi = _topic(member, public_category, "hi", title="फोटो प्रतियोगिता")
    services.topic_link_translation(user=member, topic=arabic, original=original)
    services.topic_link_translation(user=member, topic=hindi, original=arabic)
    hindi.refresh_from_db()
    assert hindi.translation_of_id == original.pk  # never a chain


@pytest.mark.parametrize(
    "case, code",
    [("same_language", "same_language"), ("cycle", "cycle"), ("taken", "language_taken"), ("chain", "chain")],
)
def test_it_refuses_bad_links_with_a_clear_message_and_changes_nothing(member, public_category, case, code):
    original = _topic(member, public_category, "en")
    french = _topic(member, public_category, "fr", title="Le concours photo")
    if case == "same_language":
        topic, target = _topic(member, public_category, "en", title="Another English one"), original
    elif case == "cycle":
        services.topic_link_translation(user=member, topic=french, original=original)
        topic, target = original, french  # the original of a group cannot translate its own translation
    elif case == "taken":
        services.topic_link_translation(user=member, topic=french, original=original)
        topic, target = _topic(member, public_category, "fr", title="Un autre concours"), original
    else:
        services.topic_link_translation(user=member, topic=french, original=original)
        topic, target = original, _topic(member, public_category, "es", title="El concurso de fotos")
    before = dict(Topic.objects.values_list("pk", "translation_of_id"))
    with pytest.raises(ValidationError) as refused:
        services.topic_link_translation(user=member, topic=topic, original=target)
    assert refused.value.code == code
    assert refused.value.messages[0]
    assert dict(Topic.objects.values_list("pk", "translation_of_id")) == before


def test_only_someone_who_may_edit_both_links_them(member, other_member, moderator, public_category):
    mine = _topic(member, public_category, "en")
    theirs = _topic(other_member, public_category, "fr", title="Le concours photo")
    with pytest.raises(PermissionDenied):
        services.topic_link_translation(user=member, topic=theirs, original=mine)
    with pytest.raises(ValidationError) as refused:
        services.topic_link_translation(user=other_member, topic=theirs, original=mine)
    assert refused.value.code == "not_editable"
    services.topic_link_translation(user=moderator, topic=theirs, original=mine)


def test_a_topic_one_may_not_see_is_answered_like_none(member, staff, staff_category, public_category):
    hidden = _topic(staff, staff_category, "en", title="Staff only matters")
    mine = _topic(member, public_category, "fr", title="Le concours photo")
    with pytest.raises(ValidationError) as refused:
        services.topic_link_translation(user=member, topic=mine, original=hidden)
    assert refused.value.code == "not_found"


def test_also_in_never_names_a_topic_the_reader_may_not_see(client, member_client, staff, staff_category, member):
    public = factories.make_category("Open place")
    shown = _topic(staff, public, "en", title="The open one")
    hidden = _topic(staff, staff_category, "fr", title="Le secret du personnel")
    services.topic_link_translation(user=staff, topic=hidden, original=shown)
    for c in (client, member_client):
        page = c.get(shown.get_absolute_url()).content.decode()
        assert "Also in" not in page
        assert f"/t/{hidden.slug}/{hidden.pk}" not in page


def test_the_form_on_the_topic_page_links_and_unlinks(member_client, member, public_category):
    original = _topic(member, public_category, "en")
    french = _topic(member, public_category, "fr", title="Le concours photo")
    page = member_client.get(french.get_absolute_url()).content.decode()
    assert f'action="/t/{french.pk}/translation"' in page
    response = member_client.post(f"/t/{french.pk}/translation", {"original": original.get_absolute_url()})
    assert response.status_code == 302
    french.refresh_from_db()
    assert french.translation_of_id == original.pk
    member_client.post(f"/t/{french.pk}/translation", {"original": "x", "unlink": "1"})
    french.refresh_from_db()
    assert french.translation_of_id is None


def test_the_form_refuses_an_address_that_names_nothing(member_client, member, public_category):
    french = _topic(member, public_category, "fr", title="Le concours photo")
    response = member_client.post(f"/t/{french.pk}/translation", {"original": "/t/nothing/999999"}, follow=True)
    assert "No topic you may open has that address." in response.content.decode()


def test_outsiders_and_visitors_may_not_link(client, client_for, outsider, member, public_category):
    original = _topic(member, public_category, "en")
    french = _topic(member, public_category, "fr", title="Le concours photo")
    assert client.post(f"/t/{french.pk}/translation", {"original": str(original.pk)}).status_code == 302  # sign in
    assert client_for(outsider).post(f"/t/{french.pk}/translation", {"original": str(original.pk)}).status_code == 403
    french.refresh_from_db()
    assert french.translation_of_id is None
    page = client.get(french.get_absolute_url()).content.decode()
    assert f'action="/t/{french.pk}/translation"' not in page
