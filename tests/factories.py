"""Factories for varied test data, and helpers that build it through the real services."""

import itertools

import factory

from agora.accounts.models import User
from agora.discuss import services
from agora.discuss.models import Category, CategoryGrant, Tag
from agora.groups.models import Group

_names = itertools.count(1)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username.replace(' ', '.')}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def group(name: str) -> Group:
    return Group.objects.get(name=name)


def make_category(name: str | None = None, *, grants: dict[str, int] | None = None, **fields) -> Category:
    """A category with grants {group name: level}; by default public (everyone sees, members create)."""
    name = name or f"Category {next(_names)}"
    slug = fields.pop("slug", None) or name.lower().replace(" ", "-")
    category = Category.objects.create(name=name, slug=slug, **fields)
    if grants is None:
        grants = {"everyone": CategoryGrant.Level.SEE, "members": CategoryGrant.Level.CREATE}
    for group_name, level in grants.items():
        CategoryGrant.objects.create(category=category, group=group(group_name), level=level)
    return category


def make_tag(name: str) -> Tag:
    return Tag.objects.get_or_create(name=name)[0]


def make_topic(user, category, title: str = "A topic about things", raw: str = "The opening post.", tags=(), **kw):
    return services.topic_create(user=user, category=category, title=title, raw=raw, tags=tags, **kw)


def make_reply(user, topic, raw: str = "A reply to that.", **kw):
    return services.post_create(user=user, topic=topic, raw=raw, **kw)


def verify_email(user):
    """Mark the user's address verified and primary, as after following the link in the mail."""
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )[0]


def make_message(sender, *, to=(), groups=(), title: str = "A private word", raw: str = "Just between us.", **kw):
    """A private message through the real service: to users, and to groups given by object or name."""
    from agora.discuss.messages import message_create

    group_objs = [Group.objects.get(name=g) if isinstance(g, str) else g for g in groups]
    return message_create(sender=sender, title=title, raw=raw, recipients=list(to), groups=group_objs, **kw)
