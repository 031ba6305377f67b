"""Languages, gettext catalogs (the bot's words and translated passages)."""
