"""Blog writes: a story's editorial life, from draft to published (and back), and the topic it opens.

Every function is keyword-only and atomic, checks who may do it, and records each change of state as a
StoryEvent (who, from what, to what, why) and tells the people concerned through
agora.notifications (the authors when the editors move their story; the board, or the editor who
claimed it, when it is submitted; everyone in the conversation when an editorial comment is added).
A view only parses input, fetches through agora.permissions and calls one of these.

The writes are in parts, one per concern; this package names them all, so callers import
`agora.blog.services` and never need to know which part holds a function:
- `_common`: the moves of the state machine (who may make each, from which states), the row lock,
  who is told, and a story's address (a draft's token, then one made from its title).
- `writing`: drafts and edits (revisions, conflicts, pictures, sections, tags), authors, translations.
- `workflow`: submit, withdraw, claim, request changes, schedule, publish, decline, unpublish, feature.
- `topic`: the discussion topic a published story opens (the WordPress import opens its topics here too).
- `comments`: editorial comments between the authors and the editors.
- `linked`: linked entries, published at once with their source (agora.syndication makes them).
"""

from ._common import BLOG_CATEGORY_SLUG, MAX_AUTHORS, RESERVED_SLUGS, State
from .comments import editorial_comment_add
from .linked import linked_story_publish
from .topic import story_topic_open
from .workflow import (
    SCHEDULE_HORIZON,
    stories_publish_due,
    story_claim,
    story_decline,
    story_feature,
    story_publish,
    story_publish_if_due,
    story_request_changes,
    story_schedule,
    story_submit,
    story_unpublish,
    story_withdraw,
)
from .writing import (
    recent_same_draft,
    story_create,
    story_delete,
    story_link_translation,
    story_set_authors,
    story_start_translation,
    story_update,
)

__all__ = [
    "BLOG_CATEGORY_SLUG",
    "MAX_AUTHORS",
    "RESERVED_SLUGS",
    "SCHEDULE_HORIZON",
    "State",
    "editorial_comment_add",
    "linked_story_publish",
    "recent_same_draft",
    "stories_publish_due",
    "story_claim",
    "story_create",
    "story_decline",
    "story_delete",
    "story_feature",
    "story_link_translation",
    "story_publish",
    "story_publish_if_due",
    "story_request_changes",
    "story_schedule",
    "story_set_authors",
    "story_start_translation",
    "story_submit",
    "story_topic_open",
    "story_unpublish",
    "story_update",
    "story_withdraw",
]
