"""The hooks events call for the apps above it (search). See core.hooks.

- `event_saved(event)`: inside the write's transaction, after an event was created or changed; the
  search index follows.
"""

from agora.core.hooks import Hook

event_saved = Hook("events.event_saved")
