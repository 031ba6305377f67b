"""The Telegram interface (aiogram 3): it collects updates and renders replies.

Layout follows aiogram's own: routers per feature (``routers``),
middlewares (``middlewares``), CallbackData factories (``callbacks``), the
application wiring (``app``).  Every decision is made by
:class:`bot.conversation.Conversation`.
"""
