"""What the Discuss pages' sidebar shows (template discuss/sidebar.html): one query per block, the same
whatever the number of topics or stories.

A block is one entry of `Sidebar` and one include in discuss/sidebar.html; `sidebar_for` fills them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from agora.blog import queries as blog_queries
from agora.blog.models import Story


@dataclass
class Sidebar:
    latest_news: list[Story] = field(default_factory=list)

    def __bool__(self) -> bool:
        """Whether any block has something to show (an empty sidebar takes no room)."""
        return bool(self.latest_news)


def sidebar_for(user: Any) -> Sidebar:
    """The blocks for this viewer. Stories are read through agora.permissions (published ones only)."""
    return Sidebar(latest_news=blog_queries.latest_news(user))
