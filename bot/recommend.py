"""Which services to recommend, and why, from what the person has told us.

Inputs: the situation read from the messages (danger, under 18, form of
exploitation, needs), the audience (a person who needs help, someone
helping them, a professional) and the topics of the passages that answer.
Output: the emergency card (when in danger) and up to three services, each
with a one-line reason.  Everything comes from the curated directory, so a
recommendation is always a cited entry about France.
"""

from __future__ import annotations

from dataclasses import dataclass

from .i18n.ui import N_
from .services import Service
from .situation import Situation

MAX_SERVICES = 3
EMERGENCY_CARD = ("police-17", "emergency-112", "sms-114")
ABSTAINED_CONTACTS = ("police-17", "emergency-112", "child-119", "violence-3919")
# Topics of the best passage that tell what a question is about, as needs.
# Accommodation is left out: many passages mention shelter in passing, and a
# place to sleep is recommended only when the person asks for one.
TOPIC_NEEDS = {
    "residence": "residence",
    "compensation": "compensation",
    "legal_aid": "legal_help",
    "return": "return_home",
}
WHY = {
    "emergency": N_("You may be in danger now: call, or send a text message if speaking is not safe."),
    "minor": N_("You are under 18: this line is for children in danger."),
    "sexual": N_("For sexual and gender-based violence."),
    "shelter-115": N_("For a place to sleep tonight."),
    "acse-shelter": N_("Safe accommodation far from the people who exploited you."),
    "legal_help": N_("A lawyer paid by legal aid can assist you with the complaint and the claim for compensation."),
    "compensation": N_("The CIVI can award compensation, whatever your nationality or papers."),
    "return_home": N_("OFII can organise and pay for your return home."),
    "professional-acse": N_("The Ac.Sé line advises professionals who work with victims."),
    "professional-police": N_("Specialised investigators for trafficking cases, reached through the police or gendarmerie."),
    "abstained": N_("If you need help now."),
}


@dataclass(frozen=True)
class Recommendation:
    service: Service
    why: str  # an English msgid, translated by the renderer


@dataclass(frozen=True)
class Advice:
    emergency: list[Service]
    services: list[Recommendation]


NEED_ORDER = ("shelter", "child_protection", "return_home", "compensation", "legal_help", "residence", "health")


def _needs(situation: Situation, topics: list[str]) -> list[str]:
    """Needs said in the messages (most urgent first), then those the answering passages are about."""
    needs = sorted(situation.needs, key=lambda n: NEED_ORDER.index(n) if n in NEED_ORDER else len(NEED_ORDER))
    needs += [TOPIC_NEEDS[t] for t in topics if t in TOPIC_NEEDS and TOPIC_NEEDS[t] not in needs]
    return needs


def recommend(
    directory: dict[str, Service],
    situation: Situation,
    topics: list[str],
    audience: str | None = None,
    abstained: bool = False,
) -> Advice:
    """Emergency card and services for this situation (see the module docstring)."""
    emergency = [directory[s] for s in EMERGENCY_CARD if s in directory] if situation.danger else []
    picks: list[tuple[str, str]] = []
    if situation.minor:
        picks.append(("child-119", "minor"))
    if "sexual" in situation.kinds:
        picks.append(("violence-3919", "sexual"))
    for need in _needs(situation, topics):
        if need == "shelter":
            picks += [("shelter-115", "shelter-115"), ("acse-shelter", "acse-shelter")]
        elif need in ("legal_help", "residence"):
            picks.append(("legal-aid", "legal_help"))
        elif need == "compensation":
            picks += [("civi", "compensation"), ("legal-aid", "legal_help")]
        elif need == "return_home":
            picks.append(("ofii-return", "return_home"))
        elif need == "child_protection":
            picks.append(("child-119", "minor"))
    if audience in ("professional", "helper"):
        picks += [("acse-professionals", "professional-acse"), ("police-central-offices", "professional-police")]
    if abstained and not picks and not emergency:
        picks = [(s, "abstained") for s in ABSTAINED_CONTACTS]
    chosen: list[Recommendation] = []
    seen = {s.id for s in emergency}
    limit = len(ABSTAINED_CONTACTS) if abstained else MAX_SERVICES
    for sid, why in picks:
        if sid in seen or sid not in directory:
            continue
        seen.add(sid)
        chosen.append(Recommendation(directory[sid], WHY[why]))
        if len(chosen) == limit:
            break
    return Advice(emergency=emergency, services=chosen)
