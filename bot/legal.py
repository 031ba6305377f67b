"""Legal references quoted in passages, and the caution that dates them.

Professionals want the exact texts: laws, articles, circulars, decrees,
instructions and directives, with their dates, as the passages shown cite
them.  Because the sources are dated (2017, 2021) and the CESEDA was
recodified in 2021, a passage that cites an article of law carries a short
caution that the article may since have been renumbered or amended.
"""

from __future__ import annotations

import re

from .i18n.ui import N_

MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
DATE = rf"(?:{MONTH} \d{{1,2}}, \d{{4}}|\d{{1,2}}(?:st|nd|rd|th)? {MONTH} \d{{4}})"
NUMBER = r"(?:(?:No\.?|no\.|n[°˚º]|n°)\s?[\w/-]+)"
CODES = (
    r"(?:French Code for Entry and Residence of Foreigners and Right of Asylum \(CESEDA\)"
    r"|Code of Entry and residence regulation and asylum right|Code de l’Entrée et du Séjour des Étrangers et du Droit d’Asile"
    r"|(?:French )?(?:Penal|Criminal|criminal|Labour|Education) Code|[Cc]ode of criminal procedure"
    r"|French Code of Criminal Procedure|CESEDA|Palermo Protocol|Universal declaration of Human rights)"
)
REFERENCE = re.compile(
    "|".join([
        rf"\b(?:Law|LOI|Decree|Ministerial decree|Order)\s+(?:{NUMBER}\s+)?(?:of|du|dated)\s+{DATE}",
        rf"\b(?:Law|Decree)\s+{NUMBER}",
        rf"\b(?:[Cc]ircular|[Ii]nstruction|[Dd]irective|[Nn]otification)\s+(?:of|dated|du)\s+(?:the\s+)?{DATE}",
        rf"\b(?:the\s+)?(?:Ministry of [A-Z][a-z]+(?:’s|'s)?\s+)?(?:[Cc]ircular|[Ii]nstruction)\s+of\s+{DATE}",
        r"\b(?:Council\s+)?(?:Framework\s+)?(?:Directive|Decision)\s+\d{4}/\d+/(?:EU|EC|JHA)\b",
        rf"\b[Aa]rticles?\s+(?:[LRD]\.?\s?)?\d[\d.-]*\d(?:\s*(?:al\.|para\.)\s*\d+)?(?:\s+of\s+(?:the\s+)?{CODES})?",
        r"\bCESEDA\s+Articles?\s+[LR]\s?\d[\d-]*",
    ])
)
ARTICLE_OF_LAW = re.compile(r"\b[Aa]rticles?\s+(?:[LRD]\.?\s?)?\d|\bL\.?\s?\d{3,4}-\d|\bR\.?\s?\d{3}-\d")
LAW_CAUTION = N_(
    "This text dates from {date}. The articles of law it cites may since have been renumbered or amended "
    "(the CESEDA, the code on foreigners, was recodified in 2021)."
)
# Under a shortened passage (a victim's or a helper's answer): the same warning in a line.
LAW_CAUTION_SHORT = N_("Articles of law as of {date}: they may have changed since.")


def references(text: str) -> list[str]:
    """Distinct legal references in ``text``, in order of appearance."""
    found: dict[str, None] = {}
    for match in REFERENCE.finditer(text):
        ref = re.sub(r"\s+", " ", match.group(0)).strip(" ,.;")
        if not any(ref in other for other in found):
            found[ref] = None
    return list(found)


def cites_article(text: str) -> bool:
    return bool(ARTICLE_OF_LAW.search(text))
