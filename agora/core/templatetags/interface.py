"""The language switcher's links, for base.html (header menu and footer)."""

from django import template

from agora.core.interface_language import LanguageLink, language_links

register = template.Library()


@register.simple_tag(takes_context=True)
def interface_language_links(context) -> list[LanguageLink]:
    return language_links(context.get("request"))
