"""The hooks accounts call for the apps above it (search). See core.hooks.

- `profile_updated(user)`: inside the write's transaction, after a person's profile was saved; the
  search index follows.
- `email_verified(user, email)`: after a person confirmed they own an address (allauth's confirmation, by
  link or code, through AccountAdapter.confirm_email); the importers move an archive's posts written from
  that address to them.
"""

from agora.core.hooks import Hook

profile_updated = Hook("accounts.profile_updated")
email_verified = Hook("accounts.email_verified")
