"""Guided triage: who is asking, what is needed, then a recommendation card.

The same steps in every channel (buttons in Telegram, numbered choices in
the REPL), always skippable by typing a question.  The state kept between
steps is two option ids, never the person's words.

Each need maps to what it means for recommendations (a situation) and to an
internal English query that finds the passages stating the person's rights
on it; the card shows the best two or three, cited and translated.
"""

from __future__ import annotations

from dataclasses import dataclass

from .i18n.ui import N_
from .situation import Situation


@dataclass(frozen=True)
class Option:
    id: str
    label: str  # English msgid


WHO = (
    Option("victim", N_("I need help for myself")),
    Option("helper", N_("I am helping someone")),
    Option("professional", N_("I am a professional")),
)


@dataclass(frozen=True)
class Need:
    option: Option
    situation: Situation
    query: str  # internal: finds the passages that state the rights on this need


NEEDS = (
    Need(Option("safety", N_("Safety now")), Situation(danger=frozenset({"imminent"})),
         "protection of victims of trafficking from their traffickers: police protection, new identity, safe accommodation far away"),
    Need(Option("papers", N_("Papers and the right to stay")), Situation(needs=frozenset({"residence"})),
         "residence permit for victims of trafficking who file a complaint or testify, how long it is valid, without a passport"),
    Need(Option("sleep", N_("A place to sleep")), Situation(needs=frozenset({"shelter"})),
         "safe house accommodation for victims of trafficking, Ac.Sé scheme, accommodation far from the exploiters"),
    Need(Option("money", N_("Money and compensation")), Situation(needs=frozenset({"compensation"})),
         "compensation for victims of trafficking by the CIVI whatever their nationality or residence status"),
    Need(Option("lawyer", N_("A lawyer and justice")), Situation(needs=frozenset({"legal_help"})),
         "free legal assistance and a lawyer for victims, legal aid, information in a language they understand"),
    Need(Option("home", N_("Going home")), Situation(needs=frozenset({"return_home"})),
         "assisted return programme of OFII for victims who want to return to their country, reintegration"),
    Need(Option("health", N_("Health")), Situation(needs=frozenset({"health"})),
         "medical treatment and psychological support for victims of trafficking"),
    Need(Option("minor", N_("I am under 18")), Situation(minor=True, needs=frozenset({"child_protection"})),
         "protection of child victims of trafficking, presumption of minority when age is in doubt, child protection services"),
)
NEED_BY_ID = {n.option.id: n for n in NEEDS}
WHO_IDS = {o.id for o in WHO}

QUESTION_WHO = N_("Who is asking?")
QUESTION_NEED = N_("What do you need most?")
QUESTION_NEED_HELPED = N_("What does the person need most?")  # to a helper or a professional
HELPER_MINOR_LABEL = N_("The person is under 18")
