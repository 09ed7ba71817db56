"""The search index: one row per searchable thing (topic, post, story, event, person)."""
