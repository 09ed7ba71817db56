"""Standing users and places every test can ask for: a member, a moderator, staff, an outsider."""

import pytest

from agora.discuss.models import CategoryGrant
from tests import factories


@pytest.fixture
def member(db):
    return factories.UserFactory(username="Member", trust_level=1)


@pytest.fixture
def other_member(db):
    return factories.UserFactory(username="Другой участник", trust_level=1)


@pytest.fixture
def outsider(db):
    """Signed in, but in no group that private content is granted to."""
    return factories.UserFactory(username="Outsider")


@pytest.fixture
def moderator(db):
    return factories.UserFactory(username="Moderator", is_moderator=True, trust_level=3)


@pytest.fixture
def staff(db):
    return factories.UserFactory(username="Staff", is_staff=True, is_superuser=True, trust_level=4)


@pytest.fixture
def public_category(db):
    return factories.make_category("Ask here", accepts_solutions=True)


@pytest.fixture
def staff_category(db):
    """Private: only staff see it."""
    return factories.make_category("Staff room", grants={"staff": CategoryGrant.Level.CREATE})


@pytest.fixture
def topic(member, public_category):
    return factories.make_topic(member, public_category, title="How do I upload a file?", raw="Where is the button?")


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


@pytest.fixture
def client_for(db):
    """A factory of signed-in test clients: client_for(user), or client_for(None) for an anonymous one."""
    from django.core.cache import cache
    from django.test import Client
    from django.utils import timezone

    from agora.trust.services import visit_cache_key

    def make(user=None, **defaults):
        c = Client(**defaults)
        if user is not None:
            c.force_login(user)
            # A person's first page of the day also counts the day's visit (trust levels): two writes
            # once a day, whose cost tests/trust measures. Page budgets measure the page.
            cache.add(visit_cache_key(user, timezone.now().date()), 1)
        return c

    return make


@pytest.fixture(autouse=True)
def _clear_cache():
    """Each test starts with an empty cache (view counts, rate limits), on locmem and Redis alike."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _interface_language_reset():
    """Each test starts in the site's default language: a request's middleware activates the reader's
    language in the thread and leaves it there (as Django's LocaleMiddleware does), so a Punjabi member's
    page in one test would otherwise word the next test's messages in Punjabi."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
