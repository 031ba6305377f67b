"""gettext catalogs: compile when stale, load, and extract the corpus domain.

Two domains live under ``locales/<lang>/LC_MESSAGES/``:

* ``bot`` — the bot's own words (menus, notices, buttons, errors);
* ``corpus`` — translated passages: ``msgctxt`` is the passage id and
  ``msgid`` the source passage text.  When a new edition changes a passage,
  ``pybabel update`` marks its translation fuzzy; fuzzy entries are never
  compiled, so a stale translation can never be shown as current.

Compiled ``.mo`` files are committed beside their ``.po`` files and compiled
by `bot i18n compile` (a test checks they match), never at start-up: a
read-only installation works, and a missing or damaged one is refused at
load with the fix.
"""

from __future__ import annotations

import gettext
import io
import struct
from collections.abc import Iterable
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from .. import paths
from ..atomic import write_bytes_atomic
from .languages import SOURCE_LANGUAGE

UI_DOMAIN = "bot"
CORPUS_DOMAIN = "corpus"


def po_path(lang: str, domain: str, locales: Path | None = None) -> Path:
    return (locales or paths.locales_dir()) / lang / "LC_MESSAGES" / f"{domain}.po"


def compile_stale(locales: Path | None = None, force: bool = False) -> list[Path]:
    """Compile every ``.po`` whose ``.mo`` is missing or older; return those compiled."""
    locales = locales or paths.locales_dir()
    compiled: list[Path] = []
    for po in sorted(locales.glob("*/LC_MESSAGES/*.po")):
        mo = po.with_suffix(".mo")
        if not force and mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as handle:
            catalog = read_po(handle, locale=po.parent.parent.name, domain=po.stem)
        buffer = io.BytesIO()
        write_mo(buffer, catalog, use_fuzzy=False)
        write_bytes_atomic(mo, buffer.getvalue())
        compiled.append(mo)
    return compiled


class CatalogError(RuntimeError):
    """A compiled catalog is missing or damaged; the message names the fix."""


def translations(lang: str, domain: str, locales: Path | None = None) -> gettext.NullTranslations:
    """The compiled catalog of ``lang`` for ``domain`` (English needs none)."""
    if lang == SOURCE_LANGUAGE:
        return gettext.NullTranslations()
    locales = locales or paths.locales_dir()
    mo = po_path(lang, domain, locales).with_suffix(".mo")
    if not mo.exists():
        if po_path(lang, domain, locales).exists():
            raise CatalogError(f"{mo} is missing: run `bot i18n compile`")
        return gettext.NullTranslations()
    try:
        with mo.open("rb") as handle:
            return gettext.GNUTranslations(handle)
    except (OSError, ValueError, IndexError, struct.error, UnicodeDecodeError) as exc:
        raise CatalogError(f"{mo} is damaged ({type(exc).__name__}): run `bot i18n compile`") from exc


def load_po(lang: str, domain: str, locales: Path | None = None) -> Catalog | None:
    path = po_path(lang, domain, locales)
    if not path.exists():
        return None
    with path.open("rb") as handle:
        return read_po(handle, locale=lang, domain=domain)


def corpus_template(passages: Iterable[dict], titles: Iterable[str] = (), measures: Iterable[str] = ()) -> Catalog:
    """The ``corpus.pot`` catalog: one message per passage (its id as context), then the names that
    citations show -- document titles (context ``title``), section names (``section``) and the
    action plan's measure titles (``measure``)."""
    catalog = Catalog(project="bot corpus", version="1", fuzzy=False, charset="utf-8")
    sections: dict[str, None] = {}
    for p in passages:
        notes = [" › ".join(p["section"])]
        if p.get("topics"):
            notes.append("victim-facing: " + ", ".join(p["topics"]))
        if p.get("outside_france"):
            notes.append(f"lists organisations in {p['outside_france']}, not in France")
        if p.get("practice_of"):
            notes.append(f"describes the practice of {p['practice_of']}, for comparison: not French law")
        catalog.add(p["text"], context=p["id"], auto_comments=notes)
        sections.update(dict.fromkeys(p["section"]))
    for context, names, note in (("title", titles, "a document's title"), ("section", sections, "a section name, shown in citations"),
                                 ("measure", measures, "a measure of the 2014-2016 action plan")):
        for name in names:
            catalog.add(name, context=context, auto_comments=[note])
    return catalog


def write_catalog(catalog: Catalog, path: Path) -> None:
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=0, omit_header=False)
    write_bytes_atomic(path, buffer.getvalue())
