"""Rendering of engine answers for a channel (plain text, Telegram HTML)."""
