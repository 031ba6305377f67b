"""The bot's words, shared by every renderer: channels differ in markup, not in what they say.

Everything here goes through gettext (domain ``bot``) in the reply's
language.  Renderers call these functions and add only their markup.
"""

from __future__ import annotations

import gettext
from dataclasses import dataclass

from ..answer import Result
from ..i18n.languages import language_name, names_locale
from ..i18n.ui import N_
from ..legal import LAW_CAUTION, LAW_CAUTION_SHORT, cites_article
from ..reply import RightsCard
from ..services import Service

NOTICES = {
    "start": N_("Hello. I answer questions about the rights of victims of human trafficking in France, with passages quoted from two public reports. Ask in your own language."),
    "privacy": N_("Privacy: I do not store what you write. I only remember your language, the mode you chose, where you are in the guided questions and which passages and help lines I showed you, for {days} days at most. Use {forget} to erase it."),
    "forgotten": N_("Done: I erased everything I remembered about you."),
    "unknown_command": N_("I do not know this command. Type {help} to see what I can do."),
    "bad_measure": N_("There is no such measure. The action plan has measures 1 to 23."),
    "bad_k": N_("Please give a number from 1 to 10."),
    "k_set": N_("I will show {n} passages at a time."),
    "not_text": N_("I can only read text messages. Please type your question."),
    "error": N_("Sorry, something went wrong on my side. Please try again in a moment."),
    "slow_down": N_("You are sending messages very fast. Please wait {seconds} seconds. If you are in danger, call 17 or 112, or send a text message to 114."),
    "private_only": N_("I only answer in a private chat, to protect what you write. Please write to me directly."),
    "no_previous": N_("There is nothing to show yet: ask a question first."),
    "no_more": N_("There are no more passages for this question."),
    "truncated": N_("Your message was very long; I read its first 4,096 characters."),
    "empty": N_("Your message is empty. Please type a question, for example: “Can I get papers if I report my exploiter?”"),
    "no_words": N_("I could not find any words in your message. Please type your question in a sentence."),
    "abstained": N_("The two reports I answer from do not cover this question. I will not guess."),
    "may_not_match": N_("This may not match your question: the reports do not say it in these words."),
    "other_country": N_("The two reports I answer from describe France only. They do not cover the laws, services or procedures of other countries."),
    "after_date": N_("The two reports stop at their dates: July 2017 (CNCDH evaluation) and February 2021 (country profile). They cannot tell what happened after."),
    "unsupported_language": N_("Your language ({language}) is not supported yet, so I answer in English."),
    "when_safe": N_("When you are safe, I can tell you your rights."),
    "when_safe_helped": N_("When the person is safe, ask me about their rights."),
    "welcome": N_("You are welcome. Ask me another question whenever you want."),
    "goodbye": N_("Take care. You can come back at any time. To erase what I remember about you, type {forget}."),
    "go_on": N_("Ask me another question whenever you want, in your own words, or type {help} to see what I can do."),
    "rephrase": N_("Sorry, I was not clear. Ask me again in other words, about one thing at a time, or type {guide} and I will ask you a few questions."),
    "language_set": N_("I will answer in {language}."),
    "language_unknown": N_("I do not know the language {code!r}. Choose one of these:"),
}
HEADINGS = {
    "original": N_("Original text ({language}):"),
    "language_pick": N_("Choose your language:"),
    "card": N_("What the sources say about your situation:"),
    "card_helped": N_("What the sources say about the person's situation:"),
    "sources": N_("The two sources I quote:"),
    "measures": N_("The 23 measures of the 2014-2016 national action plan, with the status given by the CNCDH (6 July 2017):"),
    "part": "{part}",  # a section name of the corpus, translated as such
}
PART_NAMES = (N_("Actions of the State"), N_("Comments and recommendations of the CNCDH"), N_("Notes"))
MEASURE_STATUS = {
    "implemented": N_("Implemented"),
    "partially_implemented": N_("Partially implemented"),
    "not_implemented": N_("Not implemented"),
    None: N_("No status printed"),
}
FOOTER = N_("This bot is not an emergency service. In danger, call 17 or 112, or send a text message to 114.")
EMERGENCY_TITLE = N_("If you are in danger now:")
EMERGENCY_TITLE_HELPED = N_("If the person is in danger now:")  # a helper telling of someone else's danger
SERVICES_TITLE = N_("Who can help:")
LEGAL_TITLE = N_("Legal references in these passages (as the sources cite them):")
OPTIONS_HINT = N_("You can also type your question at any time.")
CARD_LABEL = N_("In short (a summary, not the law: the quoted report below is the reference)")
# One line, not two: on a phone, labels take the room of the answer.
CARD_LABEL_UNREVIEWED = N_("In short: an AI-written summary, not yet reviewed; the quoted report below is the reference.")
EXCERPT_NOTE = N_("Shortened: the sentences that answer your question.")
SESSION_DAYS = 30


def _tr(tr: gettext.NullTranslations, msgid: str, params: tuple[tuple[str, str], ...] = (), **extra: str) -> str:
    return tr.gettext(msgid).format(**dict(params), **extra)


def notice(tr: gettext.NullTranslations, code: str, params: tuple[tuple[str, str], ...] = (), prefix: str = "/", days: int = SESSION_DAYS) -> str:
    """A notice; ``prefix`` is how the channel writes commands ("/help" in Telegram, ":help" in the REPL)."""
    extra = {"help": f"{prefix}help", "forget": f"{prefix}forget", "guide": f"{prefix}guide", "days": str(days)}
    return _tr(tr, NOTICES[code], params, **{k: v for k, v in extra.items() if k not in dict(params)})


def emergency_title(tr: gettext.NullTranslations, for_helped: bool = False) -> str:
    return tr.gettext(EMERGENCY_TITLE_HELPED if for_helped else EMERGENCY_TITLE)


def heading(tr: gettext.NullTranslations, code: str, params: tuple[tuple[str, str], ...] = ()) -> str:
    if code == "part":
        return tr.gettext(dict(params)["part"])
    return _tr(tr, HEADINGS[code], params)


def citation(tr: gettext.NullTranslations, result: Result, short: bool = False) -> str:
    """Document, section, as-of date and passage id (titles and sections in the reader's language where translated).

    ``short``: the document's short title and the section's last two levels,
    a numbered level by its number alone ("Measure 6 › Actions of the
    State"), for a reply read on a phone; the passage id still locates it."""
    title = result.short_title if short and result.short_title else result.title
    section = " › ".join(_short_level(level) for level in result.section.split(" › ")[-2:]) if short else result.section
    return tr.gettext("{title} — {section} — as of {date} — passage {id}").format(
        title=title, section=section, date=result.as_of, id=result.passage_id
    )


SHORT_LEVEL_CHARS = 40


def _short_level(level: str) -> str:
    """A section level for a short citation: "Measure 6" for "Measure 6 — Facilitate ...", a long name cut at a word."""
    level = level.split(" — ")[0]
    if len(level) <= SHORT_LEVEL_CHARS:
        return level
    return level[: level.rfind(" ", 0, SHORT_LEVEL_CHARS)].rstrip(" ,;:") + "…"


def translation_label(tr: gettext.NullTranslations, lang: str, result: Result, short: bool = False) -> str:
    """What a translated passage is a translation of, and which text is the reference."""
    foreign_original = bool(result.written_in) and result.written_in != "en"
    if short:  # a phone screen: the whole label, with the English version it is made from, is one step away
        return tr.gettext("Shortened, unofficial translation; the report was written in {original}.").format(
            original=language_name(result.written_in or "en", lang))
    if foreign_original:
        return tr.gettext(
            "Unofficial translation into {language} of the report's English version; the report was written in {original}."
        ).format(language=language_name(lang, lang), original=language_name(result.written_in, lang))
    return tr.gettext("Unofficial translation into {language}. The original English text is the reference.").format(
        language=language_name(lang, lang)
    )


def missing_translation(tr: gettext.NullTranslations, lang: str) -> str:
    return tr.gettext("There is no up-to-date translation of this passage into {language} yet; here is the English text.").format(
        language=language_name(lang, lang)
    )


def country(name: str, lang: str) -> str:
    """A country's name in ``lang`` (CLDR, through Babel), from its English name."""
    code = next((c for c, n in names_locale("en").territories.items() if n == name), None)
    return names_locale(lang).territories.get(code, name) if code else name


def warnings(tr: gettext.NullTranslations, result: Result, lang: str) -> list[str]:
    """What a reader must know before reading a passage."""
    out = []
    if result.outside_france:
        out.append(tr.gettext("Caution: this list names organisations in {country}, not services in France.").format(
            country=country(result.outside_france, lang)))
    if result.practice_of:
        out.append(tr.gettext("{country}, for comparison: this describes another country's practice, not French law.").format(
            country=country(result.practice_of, lang)))
    return out


def contact(tr: gettext.NullTranslations, service: Service) -> str:
    """A service's contact details as one line."""
    c = service.contact
    parts = []
    if "phone" in c:
        parts.append(tr.gettext("phone {number}").format(number=c["phone"]))
    if "sms" in c:
        parts.append(tr.gettext("text message (SMS) to {number}").format(number=c["sms"]))
    if "phone_from_abroad" in c:
        parts.append(tr.gettext("from abroad {number}").format(number=c["phone_from_abroad"]))
    if "web" in c:
        parts.append(c["web"])
    if "address" in c:
        parts.append(c["address"])
    if "via" in c:
        parts.append(tr.gettext("through {who}").format(who=tr.gettext(c["via"])))
    return "; ".join(parts)


def service_details(tr: gettext.NullTranslations, service: Service) -> str:
    """Who it is for, cost, hours, anonymity, languages: what the directory's sources say."""
    parts = [tr.gettext(service.description)]
    parts += [tr.gettext(text) for text in (service.cost, service.hours, service.anonymity, service.languages, service.note) if text]
    return " ".join(parts)


def reach(tr: gettext.NullTranslations, service: Service) -> str:
    """Contact, then cost, hours and anonymity in a few words: what someone deciding to call needs (an answer's services)."""
    terms = " ".join(tr.gettext(text) for text in (service.cost, service.hours, service.anonymity) if text)
    return f"{contact(tr, service)}. {terms}" if terms else f"{contact(tr, service)}."


def service_line(tr: gettext.NullTranslations, service: Service) -> str:
    """Name — contact — details, translated."""
    return f"{tr.gettext(service.name)} — {contact(tr, service)}. {service_details(tr, service)}"


def measure_line(tr: gettext.NullTranslations, m: dict) -> str:
    label = MEASURE_STATUS.get(m.get("status"), MEASURE_STATUS[None])
    printed = f" («{m['status_printed']}»)" if m.get("status_printed") and m["status_printed"] != label else ""
    return f"{m['number']}. {m['title']} — {tr.gettext(label)}{printed}"


def source_line(tr: gettext.NullTranslations, s: dict) -> str:
    return tr.gettext("{title} — {publisher} — as of {date} ({note}); {count} passages").format(
        title=s["title"], publisher=s["publisher"], date=s["as_of"], note=s["note"], count=s["passages"]
    )


def card_lines(tr: gettext.NullTranslations, card: RightsCard) -> tuple[str, str, str]:
    """(label, title, text) of a rights card, worded about the person helped for a helper; the label says whether a person has reviewed it."""
    title, text = card.card.wording(card.for_someone_helped)
    return tr.gettext(CARD_LABEL if card.card.reviewed else CARD_LABEL_UNREVIEWED), tr.gettext(title), tr.gettext(text)


TABLE_CELL = " | "


def aligned_table(text: str) -> str:
    """Rows of cells ("a | b | c") padded into columns, so a table reads as one in a fixed-width font."""
    lines = text.split("\n")
    rows = [line.split(TABLE_CELL) for line in lines]
    width = max((len(r) for r in rows if len(r) > 1), default=0)
    if width < 2:
        return text
    sizes = [max((len(r[i].strip()) for r in rows if len(r) > 1 and i < len(r)), default=0) for i in range(width)]
    return "\n".join(
        "  ".join(cell.strip().ljust(sizes[i]) for i, cell in enumerate(r)).rstrip() if len(r) > 1 else line
        for r, line in zip(rows, lines)
    )


@dataclass(frozen=True)
class PassageView:
    """What every channel shows of a quoted passage; channels only add markup."""

    warnings: list[str]  # outside France, another country's practice
    label: str | None  # unofficial translation, or no current translation
    text: str  # the translation or the source text, whole or the excerpt
    highlight: tuple[int, int] | None  # span of ``text`` that answers best (a whole source text only)
    note: str | None  # "shortened"
    citation: str
    caution: str | None  # the articles it cites may have changed since
    table: bool = False  # ``text`` holds a table, aligned: show it in a fixed-width font, unwrapped


def passage_view(tr: gettext.NullTranslations, result: Result, lang: str, whole: bool, original: bool, compact: bool = False) -> PassageView:
    """The translation when there is a current one (unless the original is asked for); an excerpt --
    the highlighted sentences -- unless the whole is asked for; the highlight marked in a whole source text."""
    translated = bool(result.translation) and not original
    excerpt = not whole and result.excerpt_shorter
    if translated:
        label: str | None = translation_label(tr, lang, result, short=excerpt)
    elif original and result.written_in != "en":
        label = tr.gettext("This is the report's English version; the report was written in {original}.").format(
            original=language_name(result.written_in, lang))
    else:
        label = missing_translation(tr, lang) if result.translation_missing and not original else None
    span = (result.highlight_start, result.highlight_end)
    highlight = span if 0 < span[1] - span[0] < len(result.text) else None
    note = None
    if excerpt:
        text = f"… {(result.translation_excerpt if translated and result.translation_excerpt else result.excerpt).strip()} …"
        highlight, note = None, None if translated else tr.gettext(EXCERPT_NOTE)
    elif translated and result.translation:
        text, highlight = result.translation, None
    else:
        text = result.text
    table = result.kind == "table" and not excerpt
    if table:
        text, highlight = aligned_table(text), None
    cites = cites_article(result.excerpt) if excerpt else result.law_caution
    return PassageView(
        warnings=warnings(tr, result, lang), label=label, text=text, highlight=highlight, note=note,
        citation=citation(tr, result, short=excerpt or compact), caution=tr.gettext(LAW_CAUTION_SHORT if excerpt else LAW_CAUTION).format(date=result.as_of) if cites else None,
        table=table,
    )

