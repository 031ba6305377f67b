"""Catalogs (the bot's words and translated passages), detection, and the language rules."""

from __future__ import annotations

import gettext
import json
import os
import shutil
import time

import pytest
from babel.messages.pofile import read_po

from bot.i18n.catalogs import compile_stale
from bot.i18n.detect import detect
from bot.i18n.languages import LANGUAGES
from bot.i18n.policy import answer_language
from bot.i18n.quality import missing_placeholders, passage_problems
from bot.i18n.status import top_answer_coverage

from conftest import DATA, ROOT, run_bot

LOCALES = ROOT / "locales"


def catalog(lang: str, domain: str):
    with (LOCALES / lang / "LC_MESSAGES" / f"{domain}.po").open("rb") as handle:
        return read_po(handle, locale=lang, domain=domain)


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_ui_catalog_is_complete_with_placeholders_kept(lang):
    cat = catalog(lang, "bot")
    with (LOCALES / "bot.pot").open("rb") as handle:
        template = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}
    messages = [m for m in cat if m.id]
    assert {m.id if isinstance(m.id, str) else m.id[0] for m in messages} == template, "run pybabel update"
    for m in messages:
        assert not m.fuzzy, (lang, m.id)
        ids = [m.id] if isinstance(m.id, str) else list(m.id)
        strings = [m.string] if isinstance(m.string, str) else list(m.string)
        assert all(s.strip() for s in strings), (lang, m.id)
        for s in strings:
            assert not missing_placeholders(ids[-1] if len(ids) > 1 else ids[0], s), (lang, m.id, s)


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != "en"])
def test_passage_translations_are_current_and_keep_numbers_and_articles(engine, lang):
    cat = catalog(lang, "corpus")
    texts = {p["id"]: p["text"] for p in engine.corpus.passages}
    translated = {m.context: m for m in cat if m.id and m.string and not m.fuzzy and texts.get(m.context) == m.id}
    victim_facing = {p["id"] for p in engine.corpus.passages if p["topics"]}
    assert victim_facing <= set(translated), sorted(victim_facing - set(translated))[:5]
    if lang == "fr":
        assert set(texts) <= set(translated)  # the whole corpus in French
    for pid, m in translated.items():
        assert not passage_problems(m.id, m.string), (lang, pid, passage_problems(m.id, m.string))


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_victim_questions_get_a_top_answer_with_a_current_translation(engine, dev_items, lang):
    questions = [i.question for i in dev_items if i.audience in ("victim", "mediator") and i.gold]
    assert top_answer_coverage(engine, questions, lang) >= 0.9


def test_a_stale_translation_is_never_shown_as_current(engine, tmp_path):
    locales = tmp_path / "locales"
    shutil.copytree(LOCALES / "ro", locales / "ro")
    po = locales / "ro" / "LC_MESSAGES" / "corpus.po"
    answer = engine.ask("Cine mă poate ajuta să obțin despăgubiri?", k=1)
    top = answer.results[0]
    assert top.translation and answer.lang == "ro"
    text = po.read_text()
    marker = f'msgctxt "{top.passage_id}"'
    po.write_text(text.replace(marker, f"#, fuzzy\n{marker}"))  # what `pybabel update` does when the source changes
    compile_stale(locales)
    stale = gettext.translation("corpus", localedir=str(locales), languages=["ro"])
    assert stale.pgettext(top.passage_id, top.text) == top.text  # the fuzzy entry is not compiled
    engine._catalogs["ro"], saved = stale, engine._catalogs["ro"]
    try:
        again = engine.ask("Cine mă poate ajuta să obțin despăgubiri?", k=1)
        assert again.results[0].translation is None and again.results[0].translation_missing
        from bot.i18n.ui import ui
        from bot.render.messages import passage_view

        view = passage_view(ui("ro"), again.results[0], "ro", whole=True, original=False)
        assert view.text == top.text and view.label  # the English text, saying there is no current translation
    finally:
        engine._catalogs["ro"] = saved


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != "en"])
@pytest.mark.parametrize("domain", ["bot", "corpus"])
def test_the_committed_compiled_catalogs_match_their_po_files(lang, domain):
    """Catalogs are compiled by `bot i18n compile` and shipped, never at start-up: they must be current."""
    from babel.messages.mofile import write_mo
    import io

    with (LOCALES / lang / "LC_MESSAGES" / f"{domain}.po").open("rb") as handle:
        cat = read_po(handle, locale=lang, domain=domain)
    expected = io.BytesIO()
    write_mo(expected, cat, use_fuzzy=False)
    assert (LOCALES / lang / "LC_MESSAGES" / f"{domain}.mo").read_bytes() == expected.getvalue(), "run `bot i18n compile`"


@pytest.mark.parametrize("damage", ["missing", "garbage"])
def test_a_missing_or_damaged_compiled_catalog_is_refused_with_the_fix(tmp_path, damage):
    from bot.i18n.catalogs import CatalogError, translations

    locales = tmp_path / "locales"
    shutil.copytree(LOCALES / "fr", locales / "fr")
    mo = locales / "fr" / "LC_MESSAGES" / "bot.mo"
    if damage == "missing":
        mo.unlink()
    else:
        mo.write_bytes(b"\x00" * 64)
    with pytest.raises(CatalogError, match="bot i18n compile"):
        translations("fr", "bot", locales)


def test_compiled_catalogs_are_rebuilt_when_stale(tmp_path):
    locales = tmp_path / "locales"
    shutil.copytree(LOCALES / "fr", locales / "fr")
    for mo in locales.rglob("*.mo"):
        mo.unlink()
    assert len(compile_stale(locales)) == 2
    assert compile_stale(locales) == []  # up to date
    po = locales / "fr" / "LC_MESSAGES" / "bot.po"
    later = time.time() + 5
    os.utime(po, (later, later))
    assert [p.name for p in compile_stale(locales)] == ["bot.mo"]


def test_detection_is_accurate_on_the_dev_questions(dev_items):
    correct = sum(detect(i.question).lang == i.lang for i in dev_items)
    assert correct / len(dev_items) >= 0.95


@pytest.mark.parametrize("message", ["ok merci", "hola amigo", "thank you", "спасибо большое", "谢谢你", "da multumesc",
                                     "Ac.Sé?", "CIVI OFII", "bine mersi", "ok ok", "salut toi"])
def test_a_two_word_message_never_switches_the_chosen_language(message):
    assert answer_language(detect(message), previous="uk").lang == "uk"
    assert answer_language(detect(message), explicit="ar").lang == "ar"


def test_pidgin_is_recognised_by_its_marker_words():
    assert detect("Abeg wetin I fit do, dem no dey pay me").lang == "pcm"
    assert detect("Please tell me what I can do, they do not pay me").lang == "en"


@pytest.mark.parametrize("message, lang", [
    ("quiero una casa para mi familia, ayuda", "es"),  # "una" is Spanish, not Pidgin
    ("ho bisogno di una casa per la mia famiglia", None),  # Italian: not supported, never Pidgin
    ("mein Chef hat dem Vermieter meinen Pass gegeben", None),  # German "dem"
    ("I want to die", "en"),
    ("мне нужна помощь с документами", "ru"),
    ("мені потрібна допомога з документами", "uk"),
    ("нужна ми е помощ с документите", "bg"),
    ("preciso de ajuda com os meus documentos", "pt"),
    ("necesito ayuda con mis papeles", "es"),
    ("u menya zabrali pasport, chto delat", "ru"),
    ("3andi mochkil m3a lpatron, khda liya passport", "ar"),
])
def test_no_single_common_word_switches_the_language(message, lang):
    assert detect(message).lang == lang


@pytest.mark.parametrize("message, lang", [
    ("ils m'ont enfermée, il revient ce soir et il va me tuer", "fr"),  # "ce", "va": Romanian words too
    ("il me frappe la maintenant jai 15 ans il ma enfermé dans la cuisine", "fr"),
    ("mi amiga tiene 15 y la acaban de meter en un coche para llevarla con un cliente", "es"),
    ("tenho 13 anos e me mandam pedir dinheiro na porta da igreja", "pt"),
    ("po vjen ai me thike, jam fshehur ne banjo", "sq"),
])
def test_words_shared_with_another_language_do_not_outweigh_a_sure_reading(message, lang):
    """Two words another language also lists ("ce", "va" for Romanian; "me" for English) switched a French cry for
    help, which lingua was certain of, to Romanian: the safety card came in Romanian."""
    assert detect(message).lang == lang


@pytest.mark.parametrize("message, lang, other", [
    ("Я полицейский. Как направить жертву в приют Ac.Sé?", "ru", None),  # lingua's fast mode said Macedonian
    ("rabotim na stroezha po 12 chasa, shefat ne ni plashta", "bg", None),  # Bulgarian in Latin letters, said Slovene
    ("pislya vtechi khto dopomozhe z zhytlom", "uk", None),
    ("Kakvi sa pravata mi vav Frantsia?", "bg", None),  # "what are my rights in France", answered in Albanian
    ("kakvi sa moite prava", "bg", None),  # ... and in French
    ("Који је број телефона за жртве трговине људима у Србији?", None, "Serbian"),  # letters none of ours uses
    ("jaki jest numer telefonu dla ofiar handlu ludźmi w Polsce", None, "Polish"),
])
def test_russian_ukrainian_and_bulgarian_are_never_taken_for_a_language_we_do_not_support(message, lang, other):
    """A Bulgarian typing in Latin letters was told "your language (Slovene) is not supported" and answered in English."""
    detection = detect(message)
    assert (detection.lang, detection.other) == (lang, other)


def test_i18n_status_reports_every_language():
    result = run_bot("i18n", "status", "--questions", str(DATA / "dev.jsonl"))
    assert result.returncode == 0, result.stderr
    lines = [line.split() for line in result.stdout.splitlines()[2:] if line.split() and line.split()[0] in LANGUAGES]
    assert {line[0] for line in lines} == set(LANGUAGES)
    for line in lines:
        assert line[-1].endswith("%") and int(line[-1].rstrip("%")) >= 90, line


def test_no_short_message_of_two_words_or_less_switches_language():
    short = json.loads((DATA / "short_messages.json").read_text())
    for lang, messages in short.items():
        for message in messages:
            han = sum("\u3400" <= c <= "\u9fff" for c in message)
            if (han / 2 if han else len(message.split())) <= 2:
                assert answer_language(detect(message), previous="sq" if lang != "sq" else "bg").reason == "previous", message
