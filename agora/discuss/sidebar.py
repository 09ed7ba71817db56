"""What the Discuss pages' sidebar shows (template discuss/sidebar.html): one query per block, the same
whatever the number of topics or stories.

A block is one entry of `Sidebar` and one include in discuss/sidebar.html; `sidebar_for` fills them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import get_language

from agora.blog import queries as blog_queries
from agora.blog.models import Story


@dataclass
class Sidebar:
    latest_news: list[Story] = field(default_factory=list)
    # The upcoming events block ({% upcoming_events %}, one query, in the category of the page if any):
    # shown always, with its links to the calendar and the map even when nothing is coming.
    upcoming_events: bool = True

    def __bool__(self) -> bool:
        """Whether any block has something to show (an empty sidebar takes no room)."""
        return bool(self.latest_news) or self.upcoming_events


def sidebar_for(user: Any, *, topic_id: int | None = None) -> Sidebar:
    """The blocks for this viewer (on the page of topic `topic_id`, if any). Stories are read through
    agora.permissions (published ones only), each once, in the interface's language where they have it;
    a story's own discussion page does not list the story."""
    news = blog_queries.latest_news_one_per_story(user, language=get_language() or "", exclude_topic_id=topic_id)
    return Sidebar(latest_news=news)
