"""Live updates' rows (none yet: the broker holds its backlog in memory or Redis)."""
