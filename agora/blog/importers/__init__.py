"""Importers that bring stories from other blog software into Agora (WordPress WXR for now)."""
