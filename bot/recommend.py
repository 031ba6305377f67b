"""Which services to recommend, and why, from what the person has told us and who is asking.

Inputs: the situation read from the messages (kinds of danger, under 18,
form of exploitation, needs), who is asking (the person, someone helping
them, a professional) and the topics of the passages that answer.  Output:
the safety card (the numbers for this danger) and up to four services,
each with a one-line reason worded for who is asking.  Everything comes from
the curated directory, so a recommendation is always a cited entry about
France.  A line meant for professionals is never offered to a victim as a
line to call.
"""

from __future__ import annotations

from dataclasses import dataclass

from .i18n.ui import N_
from .services import Service
from .situation import HELPING_AUDIENCES, Situation

MAX_SERVICES = 4
# The safety card: what to do now, by kind of danger (17 or 112, 114 by text, then what fits).
CARD = {
    "imminent": ("police-17", "emergency-112", "sms-114"),
    "third_party": ("police-17", "emergency-112", "sms-114"),
    "self_harm": ("suicide-3114", "emergency-112", "sms-114"),
    "medical": ("samu-15", "emergency-112", "sms-114"),
}
CARD_MINOR = "child-119"
CARD_SHELTER = "shelter-115"
# When the sources do not cover a question: whom to reach.  The child line comes first when the message tells of a
# child, not to every grown-up asking about a bank account.
ABSTAINED_CONTACTS = ("police-17", "emergency-112", "france-victimes-116006")
# Topics of the best passage that tell what a question is about, as needs.
# Accommodation is left out: many passages mention shelter in passing, and a
# place to sleep is recommended only when the person asks for one.
TOPIC_NEEDS = {
    "residence": "residence",
    "compensation": "compensation",
    "legal_aid": "legal_help",
    "return": "return_home",
}
NEED_ORDER = ("shelter", "child_protection", "return_home", "compensation", "legal_help", "residence", "health")
URGENT_NEEDS = ("shelter", "child_protection")  # before the service for the form of exploitation
WHY = {
    "police-17": N_("Call if you are in danger now."),
    "police-17-helper": N_("Call if the person is in danger now."),
    "emergency-112": N_("The European emergency number, from any phone."),
    "sms-114": N_("If speaking is not safe: send a text message to 114 saying where you are and what is happening."),
    "sms-114-helper": N_("If speaking is not safe: send a text message to 114 saying where the person is and what is happening."),
    "suicide-3114": N_("If you think about ending your life: call 3114, free, day and night."),
    "suicide-3114-helper": N_("If the person thinks about ending their life: call 3114, free, day and night."),
    "samu-15": N_("For a medical emergency: call 15."),
    # Read from a message, "under 18" may be the writer or the sister they write about: worded for both.
    "child-119": N_("For anyone under 18 in danger, and for anyone worried about a child."),
    "child-119-helper": N_("The person is under 18: this line is for children in danger and for anyone worried about a child."),
    "shelter-115": N_("For a place to sleep tonight."),
    "sexual": N_("For sexual and gender-based violence."),
    "labour": N_("Labour inspectors can check a workplace and report trafficking for forced work."),
    "labour-association": N_("An association that supports people held in domestic servitude or forced work."),
    "acse-shelter": N_("Safe accommodation far from the people who exploited you."),
    "acse-shelter-helper": N_("Safe accommodation far from the exploiters: a professional or an association can ask for a place."),
    "legal_help": N_("A lawyer paid by legal aid can assist you with the complaint and the claim for compensation."),
    "legal_help-helper": N_("A lawyer paid by legal aid can assist the person with the complaint and the claim for compensation."),
    "compensation": N_("The CIVI can award compensation, whatever your nationality or papers."),
    "compensation-helper": N_("The CIVI can award compensation, whatever the person's nationality or papers."),
    "return_home": N_("OFII can organise and pay for your return home."),
    "return_home-helper": N_("OFII can organise and pay for the person's return home."),
    "victim-support": N_("Free help for victims of any offence: listening, information on your rights, a local association."),
    "victim-support-helper": N_("Free help for victims of any offence: listening, information on their rights, a local association."),
    "professional-acse": N_("The Ac.Sé line advises professionals who work with victims."),
    "professional-police": N_("Specialised investigators for trafficking cases, reached through the police or gendarmerie."),
    "minors-association": N_("An association that works with foreign minors in danger."),
    "abstained": N_("If you need help now."),
}


@dataclass(frozen=True)
class Recommendation:
    service: Service
    why: str  # an English msgid, translated by the renderer
    told: bool = False  # fits what the person told (under 18, a need, the form of exploitation), not only the topic


@dataclass(frozen=True)
class Advice:
    emergency: list[Service]  # the safety card, in order
    reasons: list[str]  # one English msgid per emergency service
    services: list[Recommendation]
    for_helped: bool = False  # the safety card is worded about the person a helper or professional tells of


def _needs(situation: Situation, topics: list[str]) -> tuple[list[str], list[str]]:
    """Needs said in the messages (most urgent first), and those the answering passages are about."""
    said = sorted(situation.needs, key=lambda n: NEED_ORDER.index(n) if n in NEED_ORDER else len(NEED_ORDER))
    return said, [TOPIC_NEEDS[t] for t in topics if t in TOPIC_NEEDS and TOPIC_NEEDS[t] not in said]


def _why(key: str, helping: bool) -> str:
    """Why a service fits, worded about the person helped for a helper or a professional where the wording differs."""
    return WHY.get(f"{key}-helper", WHY[key]) if helping else WHY[key]


def _for_need(need: str) -> list[tuple[str, str]]:
    if need == "shelter":
        return [("shelter-115", "shelter-115"), ("acse-shelter", "acse-shelter")]
    if need in ("legal_help", "residence"):
        return [("legal-aid", "legal_help")]
    if need == "compensation":
        return [("civi", "compensation"), ("france-victimes-116006", "victim-support")]
    if need == "return_home":
        return [("ofii-return", "return_home")]
    if need == "child_protection":
        return [("child-119", "child-119"), ("hors-la-rue", "minors-association")]
    return []


def safety_card(directory: dict[str, Service], situation: Situation, audience: str | None,
                said_helping: bool = False) -> tuple[list[Service], list[str], bool]:
    """The numbers for this danger: 17 or 112 and 114 by text, 3114, 15, 119 and 115 when they fit; their reasons;
    and whether they are worded about the person helped (the card's title and notice follow)."""
    ids: list[str] = []
    # what the curated phrases read comes first: likeness may add a kind ("medical" for a threat typed in Latin
    # letters), whose lines then follow instead of leading ("menya derzhat" got SAMU 15 first, 17 last); of the kinds
    # likeness alone reads, the likeliest leads
    for kind in sorted(("self_harm", "medical", "imminent", "third_party"),
                       key=lambda k: (k not in situation.danger_said, k != situation.danger_likeliest)):
        if kind in situation.danger:
            ids += [i for i in CARD[kind] if i not in ids]
    if situation.danger and (situation.minor or situation.maybe_child):  # a card with 119 too many costs little
        ids.append(CARD_MINOR)
    if situation.danger and "shelter" in situation.needs:
        ids.append(CARD_SHELTER)
    ids = [i for i in dict.fromkeys(ids) if i in directory]
    # worded about the person helped only when this message says its writer helps, or tells of someone else's danger:
    # "I am locked in now" after a helper's question is the writer's own danger; and "the person is under 18" only when
    # the message says so (a child named may be another).  One who has not said who they are and tells of a sister
    # locked in is not told "call if you are in danger"; one who told their own case ("they keep my passport") is.
    # Someone else's danger read by likeness alone does not outweigh a threat or despair of the writer's own that the
    # phrases read: "madam don lock me for room, she say she go kill me" was told "call if the person is in danger";
    # nor when likeness reads both and finds the writer's own the likelier: "ya zakryta v kvartire ... segodnya nochyu
    # on pridet" (I am locked in, he comes tonight) was told "when the person is safe"
    others = "third_party" in situation.danger_said or (
        "third_party" in situation.danger and not {"imminent", "self_harm"} & situation.danger_said
        and not ({"imminent", "self_harm"} & situation.danger and situation.danger_likeliest != "third_party"))
    helping = audience != "victim" and (said_helping or others)
    reasons = [_why(i, helping and (i != CARD_MINOR or situation.minor)) for i in ids]
    return [directory[i] for i in ids], reasons, helping


def recommend(
    directory: dict[str, Service],
    situation: Situation,
    topics: list[str],
    audience: str | None = None,
    abstained: bool = False,
    said_helping: bool = False,
) -> Advice:
    """Safety card and services for this situation (see the module docstring); ``said_helping``: this message itself
    says its writer helps someone (the audience may come from earlier messages or the triage)."""
    emergency, reasons, for_helped = safety_card(directory, situation, audience, said_helping)
    helping = audience in HELPING_AUDIENCES
    forced_work = bool({"labour", "domestic"} & situation.kinds)
    said, answered = _needs(situation, topics)
    told: list[tuple[str, str]] = []  # what fits what the person told us
    if situation.minor:
        told.append(("child-119", "child-119"))
    for need in said:  # what the person asks for comes first: a bed tonight, a child's protection
        if need in URGENT_NEEDS:
            told += _for_need(need)
    # then who acts against this form of exploitation, before the general help a need asks for (a lawyer for
    # papers): a worker whose passport was taken must not get legal aid alone when one service fits on the screen
    if forced_work:
        told.append(("labour-inspection", "labour"))
    if "sexual" in situation.kinds:
        told.append(("violence-3919", "sexual"))
    for need in said:
        if need not in URGENT_NEEDS:
            told += _for_need(need)
    picks: list[tuple[str, str]] = []  # then who is asking: what their role calls for comes before the answer's topic
    if helping:  # a professional asking which office investigates got legal aid and the CCEM, not the offices
        picks.append(("acse-professionals", "professional-acse"))
    if audience == "professional":
        picks.append(("police-central-offices", "professional-police"))
    for need in answered:
        picks += _for_need(need)
    if forced_work:
        picks.append(("ccem", "labour-association"))
    if abstained and not emergency and {sid for sid, _ in told + picks} <= {CARD_MINOR}:
        picks += [(s, "abstained") for s in ABSTAINED_CONTACTS]
    if not told and not picks and not emergency:
        picks.append(("france-victimes-116006", "victim-support"))
    chosen: list[Recommendation] = []
    seen = {s.id for s in emergency}
    limit = len(ABSTAINED_CONTACTS) + 1 if abstained else MAX_SERVICES  # the contacts, after the child line if it came
    for (sid, why), is_told in [(p, True) for p in told] + [(p, False) for p in picks]:
        service = directory.get(sid)
        if sid in seen or service is None or (service.audience == {"professionals"} and not helping):
            continue
        seen.add(sid)
        chosen.append(Recommendation(service, _why(why, helping), is_told))
        if len(chosen) == limit:
            break
    return Advice(emergency=emergency, reasons=reasons, services=chosen, for_helped=for_helped)
