"""Discourse-compatible JSON: /latest.json, /t/<id>.json, /posts.json ... shaped as Discourse answers them,
so existing Discourse clients and scripts read and write Agora with their Api-Key / Api-Username headers.

auth.py says who asks (a personal key, or the session) and how errors look; shapes.py turns our rows into
Discourse's objects; queries.py reads through agora.permissions; views.py are the addresses."""
