"""Importers: bring a movement's archives into Agora (WordPress now; mailing-list archives and Discourse next).
They sit above the apps they write into and share one report of what was created, skipped or refused."""
