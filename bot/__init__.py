"""Rights-information bot for victims of human trafficking in France.

Data flows one way: sources -> cleaned passages (:mod:`bot.corpus`) ->
index (:mod:`bot.index`) -> answer (:mod:`bot.engine`) -> rendering for a
channel (:mod:`bot.render`, :mod:`bot.repl`, :mod:`bot.telegram`).
"""

__version__ = "0.1.0"
