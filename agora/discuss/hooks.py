"""The hooks Discuss calls for the apps above it (trust levels, moderation, limits). See core.hooks.

- `post_checking(user, topic, category, raw, is_topic, post)`: before a topic, a reply or an edit is
  written (`post` is the edited post, else None; `topic` None for a new topic); a receiver raises
  ValidationError to refuse it (new members' limits), or `limits.RateLimited`.
- `message_checking(sender, raw, recipients, groups)`: before a new private message is written; a
  receiver raises ValidationError to refuse it (new members write to the moderators only).
- `post_created(post, is_topic)`: inside the write's transaction, after the post row exists.
- `post_edited(post, editor)`: inside the edit's transaction, after the new text is saved.
- `post_deleted(post)`, `post_restored(post)`: inside the write's transaction, after a post (the opening
  post: its topic) is deleted or brought back; the search index follows.
- `post_liked(post, user, liked)`: inside the like's transaction, after a like or an unlike.
- `topic_page_seen(user, topic, posts)`: a signed-in person was shown these posts of a topic page.
- `moderator_acted(actor, action, target, subject_user, reason, details)`: inside the write's transaction,
  after a moderator's tool changed a topic or a post (discuss.topic_tools); the staff log records it.
"""

from agora.core.hooks import Hook

post_checking = Hook("discuss.post_checking")
message_checking = Hook("discuss.message_checking")
post_created = Hook("discuss.post_created")
post_edited = Hook("discuss.post_edited")
post_deleted = Hook("discuss.post_deleted")
post_restored = Hook("discuss.post_restored")
post_liked = Hook("discuss.post_liked")
topic_page_seen = Hook("discuss.topic_page_seen")
moderator_acted = Hook("discuss.moderator_acted")
