"""What the Discuss pages' sidebar shows (template discuss/sidebar.html): one query per block, the same
whatever the number of topics or stories.

Discuss names no app above it: an app adds a block in its AppConfig.ready() with `add_block` (the blog's
latest news), and the template includes it by name (`sidebar.latest_news`); a block of an app that is not
installed is simply absent. The upcoming events block is a template tag ({% upcoming_events %}).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# name -> fill(user, topic_id=...) -> what the block shows (falsy: nothing to show)
_BLOCKS: dict[str, Callable[..., Any]] = {}


def add_block(name: str, fill: Callable[..., Any]) -> None:
    """Show a block in the sidebar: `fill(user, topic_id=None)` returns its content for this viewer, on
    the page of topic `topic_id` if any (a story's own discussion page does not list the story)."""
    _BLOCKS[name] = fill


@dataclass
class Sidebar:
    blocks: dict[str, Any] = field(default_factory=dict)
    # The upcoming events block ({% upcoming_events %}, one query, in the category of the page if any):
    # shown always, with its links to the calendar and the map even when nothing is coming.
    upcoming_events: bool = True

    def __getattr__(self, name: str) -> Any:
        blocks = self.__dict__.get("blocks", {})
        if name in blocks:
            return blocks[name]
        raise AttributeError(name)

    def __bool__(self) -> bool:
        """Whether any block has something to show (an empty sidebar takes no room)."""
        return any(self.blocks.values()) or self.upcoming_events


def sidebar_for(user: Any, *, topic_id: int | None = None) -> Sidebar:
    """The blocks for this viewer (on the page of topic `topic_id`, if any)."""
    return Sidebar(blocks={name: fill(user, topic_id=topic_id) for name, fill in _BLOCKS.items()})
