"""The hooks the blog calls for the apps above it (search). See core.hooks.

- `story_changed(story)`: inside the write's transaction, after a story was published or a published
  story edited; the search index follows.
"""

from agora.core.hooks import Hook

story_changed = Hook("blog.story_changed")
