"""The hooks accounts call for the apps above it (search). See core.hooks.

- `profile_updated(user)`: inside the write's transaction, after a person's profile was saved; the
  search index follows.
"""

from agora.core.hooks import Hook

profile_updated = Hook("accounts.profile_updated")
