"""Every block type, rendered by every renderer (plain text, Telegram HTML, JSON), in the 13 languages."""

from __future__ import annotations

import json
import re
from html import unescape

import pytest

from fake_telegram import html_errors

from bot.cards import Card
from bot.conversation import COMMANDS, Conversation
from bot.i18n.languages import LANGUAGES
from bot.i18n.ui import ui
from bot.recommend import WHY, Recommendation
from bot.render import data, text
from bot.i18n.languages import language_name
from bot.render.messages import passage_view, reach
from bot.reply import (
    ACTIONS, Action, Directory, Emergency, Footer, Heading, Help, Languages, LegalReferences, MeasureTitle, Measures,
    Notice, Options, Passage, Reply, RightsCard, Services, Sources, Text,
)
from bot.session import Session
from bot.telegram import render as telegram
from bot.telegram.render import LIMIT, utf16_length


def every_block(engine, lang: str) -> list:
    result = engine.result_by_id("cp-360d0956", lang)  # the passage on papers without a passport
    services = list(engine.services.values())
    card = Card("papers_if_you_report", "Papers if you report", "A test card.", ("cp-360d0956",), reviewed=False)
    return [
        Emergency((services[0], services[1]), (WHY["police-17"], WHY["emergency-112"])),
        Notice("abstained"), Notice("unsupported_language", (("language", "German"),)), Notice("slow_down", (("seconds", "7"),)),
        Heading("original", (("language", "English"),)), Heading("part", (("part", "Actions of the State"),)),
        Passage(result, 1, whole=False), Passage(result, 1, whole=True), Passage(result, 1, whole=True, original=True),
        RightsCard(card),
        Services((Recommendation(services[0], WHY["police-17"]),)),
        Directory(tuple(services[:3]), tuple(services[3:])),
        LegalReferences(("Article L316-1 of the CESEDA",)),
        Sources(tuple(engine.sources())),
        Measures(tuple(engine.measures(lang))),
        MeasureTitle(engine.measures(lang)[0]),
        Languages(tuple((c, l.name) for c, l in LANGUAGES.items())),
        Help((("lang", "choose your language"),)),
        Options("Who is asking?", (("victim", "I need help for myself"), ("helper", "I am helping someone"))),
        Footer(),
    ]


def test_the_block_list_covers_every_block_type(engine):
    from bot import reply

    kinds = {type(b) for b in every_block(engine, "en")}
    assert kinds == set(reply.Block.__args__)  # type: ignore[attr-defined]


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_every_block_renders_in_every_language_and_channel(engine, lang):
    blocks = every_block(engine, lang)
    actions = [Action(a, "More results", "cp-360d0956") for a in ACTIONS]
    reply = Reply(lang, blocks, actions)
    plain = text.render(reply)
    assert "cp-360d0956" in plain and "17" in plain and "\x1b[" not in plain
    messages = telegram.render(reply, ui(lang))
    for m in messages:
        assert not html_errors(m.text), (html_errors(m.text), m.text[:200])
        assert utf16_length(m.text) <= LIMIT
    assert messages[-1].keyboard is not None and all(len(b.callback_data.encode()) <= 64 for row in messages[-1].keyboard.inline_keyboard for b in row)
    rendered = data.render(reply)
    assert rendered["lang"] == lang and rendered["direction"] == ("rtl" if LANGUAGES[lang].rtl else "ltr")
    assert [b["type"] for b in rendered["blocks"]][:2] == ["emergency", "notice"]
    json.dumps(rendered)  # serialisable
    footer = ui(lang).gettext("This bot is not an emergency service. In danger, call 17 or 112, or send a text message to 114.")
    assert footer in plain and rendered["blocks"][-1]["text"] == footer
    if lang != "en":
        assert footer != "This bot is not an emergency service. In danger, call 17 or 112, or send a text message to 114."


def test_a_translated_excerpt_is_the_translation_of_the_highlighted_sentences(engine):
    result = engine.result_by_id("cp-360d0956", "fr")
    assert result.translation and result.translation_excerpt and result.translation_excerpt in result.translation


def test_a_chinese_translation_is_quoted_by_its_own_sentences_never_by_a_bullet_alone(engine):
    """Unspaced, a Chinese sentence counted as one word and was joined to the next, so a translation had a sentence or
    two, and the quote under a card, cut at its first space, was the "•" before it."""
    from bot.highlight import CARD_EXCERPT_CHARS, EXCERPT_CHARS, aligned, excerpt
    from bot.i18n.catalogs import CORPUS_DOMAIN, translations
    from bot.sentences import sentence_spans

    catalog = translations("zh", CORPUS_DOMAIN)
    letter = re.compile(r"[^\W\d_]")
    quoted = 0
    for p in engine.corpus.passages:
        translation = catalog.pgettext(p["id"], p["text"])
        if translation == p["text"]:
            continue
        for start, end in sentence_spans(p["text"]):
            if not letter.search(p["text"][start:end]):
                continue  # a table's ruling
            said = aligned(translation, p["text"], (start, end))
            for limit in (CARD_EXCERPT_CHARS, EXCERPT_CHARS):
                assert letter.search(excerpt(said, (0, len(said)), limit)), (p["id"], start)
                quoted += 1
    assert quoted > 1000


def test_telegram_splits_long_replies_by_utf16_length_never_inside_markup():
    emoji = "🚨" * 3000  # 6,000 UTF-16 units in 3,000 code points
    reply = Reply("en", [Notice("language_unknown", (("code", emoji),)), Footer()])
    messages = telegram.render(reply, ui("en"))
    assert len(messages) >= 2
    for m in messages:
        assert utf16_length(m.text) <= LIMIT and not html_errors(m.text)


@pytest.mark.parametrize("lang", ["fr", "ru"])
def test_a_shortened_translation_names_the_language_its_report_was_written_in(engine, lang):
    tr = ui(lang)
    cncdh = engine.result_by_id("cncdh-f39495cc", lang)  # the CNCDH's report: an English version of a French original
    profile = engine.result_by_id("cp-360d0956", lang)  # the country profile: written in English
    assert cncdh.excerpt_shorter and profile.excerpt_shorter
    cncdh_label = passage_view(tr, cncdh, lang, whole=False, original=False).label
    profile_label = passage_view(tr, profile, lang, whole=False, original=False).label
    french = language_name("fr", lang)  # "français", "французский": in the reader's language
    assert french in cncdh_label and french not in profile_label
    assert cncdh_label != profile_label


@pytest.mark.parametrize("lang, inside, not_inside", [
    ("fr", "français", "Français"), ("es", "español", "Español"), ("pcm", "English", "Ínglish"),
])
def test_a_language_named_inside_a_sentence_reads_as_the_reader_writes_it(engine, lang, inside, not_inside):
    """"Traduction non officielle en Français" (a picker's capitalised name), and Pidgin's "for Ínglish", "Yunáítẹ́d
    Kíndọm" (CLDR's tone marks, which Pidgin readers do not type)."""
    tr = ui(lang)
    result = engine.result_by_id("cp-360d0956", lang)  # written in English, translated into every language
    label = passage_view(tr, result, lang, whole=True, original=False).label
    assert inside in label and not_inside not in label
    uk = engine.result_by_id("cncdh-f6845a28", lang)  # the United Kingdom's referral mechanism, for comparison
    warnings = " ".join(passage_view(tr, uk, lang, whole=True, original=False).warnings)
    assert "Kíndọm" not in warnings and (lang != "pcm" or "United Kingdom" in warnings)


def test_a_compact_citation_keeps_the_measure_and_the_passage_id_at_a_third_of_the_length(engine):
    tr = ui("en")
    result = engine.result_by_id("cncdh-bfd1a156", "en")  # Priority 1 › Measure 6 — Facilitate ... › Actions of the State
    full = passage_view(tr, result, "en", whole=True, original=False).citation
    compact = passage_view(tr, result, "en", whole=True, original=False, compact=True).citation
    assert "Measure 6 — Facilitate" in full and "Priority 1" in full
    assert "Measure 6 › Actions of the State" in compact and "Facilitate" not in compact and "Priority 1" not in compact
    assert "cncdh-bfd1a156" in compact and "2017-07-06" in compact
    assert len(compact) < len(full) / 2


def test_the_terminal_lists_next_steps_as_commands_the_repl_accepts(engine):
    """The actions line names commands only (the banner and :help say what they do in the reader's language)."""
    reply = Conversation(engine).handle(Session(), Text("am lucrat fara bani si seful mi-a luat buletinul, ce drepturi am?"))
    line = text.render(reply).splitlines()[-1]
    assert line.startswith("→ :") and line.endswith(":help")
    commands = [step.removeprefix(":").split()[0] for step in line.removeprefix("→ ").split(" · ")]
    assert set(commands) <= set(COMMANDS) and {"full", "more", "contacts"} <= set(commands)


@pytest.mark.parametrize("message", ["estoy escondida en el baño, el jefe esta afuera con un cuchillo",
                                     "sunt închisă în cameră, el e beat și a zis că mă omoară diseară"])
def test_the_terminal_safety_card_gives_each_number_in_short(engine, message):
    """In danger, each service in one line (contact, cost, hours) and why: the directory's descriptions stay in :contacts."""
    reply = Conversation(engine).handle(Session(), Text(message))
    card = next(b for b in reply.blocks if isinstance(b, Emergency))
    shown = text.render(reply)
    tr = ui(reply.lang)
    assert all(tr.gettext(s.description) not in shown for s in card.services)
    assert all(tr.gettext(why) in shown for why in card.reasons)
    assert len(shown) <= 1200


def test_a_service_without_cost_or_hours_ends_its_line_cleanly(engine):
    """Contact then terms; with no terms the contact ends the line (no dangling ". ")."""
    tr = ui("es")
    for service in engine.services.values():
        line = reach(tr, service)
        assert line.endswith(".") and not line.endswith(". ") and ". ." not in line, service.id


def test_a_victims_first_answer_is_fitted_the_same_way_in_every_channel(engine):
    """Over its limit, a first answer loses its last services that only fit the answer's topic, then tells every
    service without why it fits (never how to reach it), then loses the last ones that fit what the person told,
    never the first (which "Contacts" repeats); a professional's answer has no limit and keeps every service."""
    from dataclasses import replace

    question = "where can I sleep tonight, I left the house where they made me work"
    reply = Conversation(engine).handle(Session(), Text(question))
    at = next(i for i, b in enumerate(reply.blocks) if isinstance(b, Services))
    told = tuple(engine.ask(question).services[:2])  # a bed tonight: 115 and Ac.Sé, both fit what was told
    assert reply.limit == 1200 and len(told) == 2 and all(r.told for r in told)
    first, second = (r.service for r in told)
    tr = ui(reply.lang)
    as_read = lambda r: "\n\n".join(unescape(re.sub(r"<[^>]+>", "", m.text)) for m in telegram.render(r, tr))  # noqa: E731
    as_json = lambda r: json.dumps(data.render(r), ensure_ascii=False)  # noqa: E731  the web chat and `bot ask --json`
    said = lambda s: reach(tr, first) in s  # noqa: E731  how to reach the first service
    said_in_json = lambda s: any(x["id"] == first.id and x["phone"] == first.contact["phone"]  # noqa: E731
                                 for b in json.loads(s)["blocks"] for x in b.get("services", []))
    for items in (told, (told[0], replace(told[1], told=False))):
        fitting = replace(reply, blocks=[*reply.blocks[:at], Services(items), *reply.blocks[at + 1:]])
        for shown, length, reached in ((text.render, len, said), (as_read, len, said),
                                       (as_json, lambda s: data.shown_length(json.loads(s)), said_in_json)):
            whole = shown(replace(fitting, limit=None))
            assert tr.gettext(second.name) in whole  # within its limit: both
            out = shown(replace(fitting, limit=length(whole) - 1))
            assert tr.gettext(first.name) in out
            if items[1].told:  # told briefly rather than lost
                assert tr.gettext(second.name) in out and tr.gettext(items[0].why) not in out
            else:  # only the topic's: left out first
                assert tr.gettext(second.name) not in out and tr.gettext(items[0].why) in out
            least = shown(replace(fitting, limit=1))
            assert tr.gettext(first.name) in least and reached(least)  # never the last one left
            assert tr.gettext(second.name) not in least and tr.gettext(items[0].why) not in least
    professional = Conversation(engine).handle(Session(audience="professional"), Text(question))
    assert professional.limit is None
