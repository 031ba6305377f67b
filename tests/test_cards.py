"""Rights cards: every number of every card, in every language, is in the passages it cites; stale when they change."""

from __future__ import annotations

import json
import re
import shutil

import pytest

from bot.bank import text_hash
from bot.cards import CardError, accept, load_cards
from bot.i18n.catalogs import CORPUS_DOMAIN, translations
from bot.i18n.languages import LANGUAGES
from bot.i18n.ui import ui

from conftest import ROOT, SECOND_PERSON

NUMBER = re.compile(r"\d(?:[\d.]|[,\s](?=\d))*\d|\d")  # "May 19, 2015" is two numbers, "0 825 009 907" one
ARTICLE = re.compile(r"\b[LRD]?\.?\s?\d{1,4}(?:-\d+)+\b")


def numbers(text: str) -> set[str]:
    """Digit groups with their spacing removed ("0 825 009 907" -> "0825009907"), and article references."""
    return {re.sub(r"[\s.,]", "", n) for n in NUMBER.findall(text)} | {re.sub(r"[\s.]", "", a) for a in ARTICLE.findall(text)}


def test_the_cards_cover_what_victims_ask_most(engine):
    cards = engine.cards.current
    assert 20 <= len(cards) <= 30 and not engine.cards.stale
    for card in cards.values():
        assert 1 <= len(re.findall(r"[.!?](?:\s|$)", card.text)) <= 3, card.id  # one to three short sentences
        assert all(pid in engine.corpus.by_id() for pid in card.passages)


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_every_number_of_every_card_is_in_its_cited_passages(engine, lang):
    tr = ui(lang)
    passages = translations(lang, CORPUS_DOMAIN)
    rows = engine.corpus.by_id()
    for card in engine.cards.current.values():
        source = " ".join(engine.corpus.passages[rows[pid]]["text"] for pid in card.passages)
        translated = " ".join(passages.pgettext(pid, engine.corpus.passages[rows[pid]]["text"]) for pid in card.passages)
        cited = numbers(source) | numbers(translated)
        for text in map(tr.gettext, {*card.wording(False), *card.wording(True)}):
            missing = numbers(text) - cited
            assert not missing, (lang, card.id, missing, text)


def test_a_card_is_stale_when_a_cited_passage_changes_until_accepted(engine, tmp_path):
    path = tmp_path / "cards.json"
    shutil.copy(ROOT / "corpus" / "cards.json", path)
    passages = [dict(p) for p in engine.corpus.passages]
    changed = next(p for p in passages if p["id"] == "cp-360d0956")
    changed["text"] = changed["text"].replace("four months", "six months")
    cards = load_cards(passages, path)
    assert "no_passport_needed" in cards.stale and "no_passport_needed" not in cards.current
    assert not {c.id for c in cards.of_passage("cp-360d0956", child=False)} & set(cards.stale)
    assert accept("no_passport_needed", passages, "person", path)
    again = load_cards(passages, path)
    assert "no_passport_needed" in again.current and again.current["no_passport_needed"].reviewed
    data = json.loads(path.read_text())
    assert next(c for c in data["cards"] if c["id"] == "no_passport_needed")["passages"]["cp-360d0956"] == text_hash(changed["text"])


@pytest.mark.parametrize("question, lang, card", [
    ("I have no passport, can I still ask for the permit?", "en", "no_passport_needed"),
    ("how long is the receipt valid while I wait?", "en", "receipt_four_months"),
    ("after the trial and the conviction, can I get a ten-year card?", "en", "ten_year_permit"),
    ("je n'ai plus de passeport, est-ce que je peux quand même demander le titre ?", "fr", "no_passport_needed"),
    ("et si les exploiteurs sont condamnés, j'ai droit à une carte de dix ans ?", "fr", "ten_year_permit"),
    ("¿cuánto dura el recibo mientras espero?", "es", "receipt_four_months"),
])
def test_of_a_passage_with_several_cards_the_one_that_answers_the_question_is_shown(engine, question, lang, card):
    """cp-360d0956 carries three cards; file order showed the first whatever was asked."""
    assert {c.id for c in engine.cards.of_passage("cp-360d0956", child=False)} >= {"no_passport_needed", "receipt_four_months", "ten_year_permit"}
    assert engine.card_for("cp-360d0956", engine.vector(question), lang, child=False).id == card


@pytest.mark.parametrize("question, passage, card", [
    # afraid of jail without a passport: the card nearest in words was "a 10-year permit after a conviction"
    ("they took my passport, if i go to the police will they put me in prison?", "cp-360d0956", "no_passport_needed"),
    ("el patrón tiene mi pasaporte, si denuncio me van a meter presa?", "cp-360d0956", "no_passport_needed"),
    # asked about a part of the passage no card sums up: no card, not the permit's or the fees'
    ("can the state seize the traffickers' houses and cars and use the money for victims?", "cp-d1a9006a", None),
    ("who in the prefecture handles trafficking files, is there a named contact person?", "cp-3da4b0b3", None),
    ("is the vulnerability of asylum seekers assessed so that trafficking victims are spotted?", "cp-bcc989d2", None),
])
def test_the_card_shown_is_the_one_the_nearest_labelled_bank_questions_vote_for(engine, question, passage, card):
    """The bank's questions on passages with several cards are labelled with the card that answers each, or "none";
    likeness to the cards' short text chose by words ("prison" -> "conviction")."""
    answer = engine.ask(question)
    assert answer.results[0].passage_id == passage
    assert (answer.card.id if answer.card else None) == card


def test_under_a_card_the_quote_is_the_sentence_the_card_rests_on(engine):
    """cp-360d0956 holds the passport, the receipt and the ten-year permit: the quote under "no passport needed" quoted the
    receipt's sentence before it leaned to the card."""
    answer = engine.ask("j'aide une jeune femme dont le patron garde le passeport. peut-elle quand même demander un titre de séjour ?")
    assert answer.card is not None and answer.card.id == "no_passport_needed"
    assert answer.results[0].passage_id == "cp-360d0956" and "passport" in answer.results[0].highlight


def test_under_a_card_a_two_sentence_window_is_quoted_by_the_sentence_the_card_says():
    """The window holding "Papers if you report" opens with the confiscation of assets: cut from its start to one
    sentence, the quote under the card said nothing of papers."""
    from bot.highlight import card_sentence

    text = ("Article 131-21, al. 6 of the Penal Code, concerning the most serious offences, henceforth provides the right to "
            "confiscate the assets of a convict. Victims are entitled to a residence permit under article L316-1 of the CESEDA.")
    card = ("If you file a complaint against the people who exploited you, or testify against them, France gives you a "
            "temporary residence permit. It can be renewed and it allows you to work.")
    start, end = card_sentence(text, (0, len(text)), card)
    assert text[start:end].startswith("Victims are entitled to a residence permit")
    assert card_sentence(text, (0, len(text)), "Nothing in common here.") == (0, len(text))
    receipt = "They receive a receipt valid for four months. Victims are entitled to a residence permit."
    start, end = card_sentence(receipt, (0, len(receipt)), card, asks="duration")
    assert "four months" in receipt[start:end]


def test_a_damaged_cards_file_is_refused_naming_the_fix(engine, tmp_path):
    path = tmp_path / "cards.json"
    path.write_text('{"_about": "x", "cards": [{"id": "bad id!"}]}')
    with pytest.raises(CardError, match="restore it from git"):
        load_cards(engine.corpus.passages, path)


def test_the_card_of_the_best_passage_comes_first_for_a_victim(engine):
    from bot.conversation import Conversation
    from bot.reply import Passage, RightsCard, Text
    from bot.session import Session

    reply = Conversation(engine).handle(Session(), Text("i have no passport, can i still ask for the permit?"))
    kinds = [type(b) for b in reply.blocks]
    assert RightsCard in kinds and kinds.index(RightsCard) < kinds.index(Passage)
    card = next(b.card for b in reply.blocks if isinstance(b, RightsCard))
    first = next(b.result for b in reply.blocks if isinstance(b, Passage))
    assert first.passage_id in card.passages


@pytest.mark.parametrize("question, child", [
    ("they force me to sell drugs for them, i am 25", False),
    ("me obligan a vender droga para ellos, tengo 28 años", False),
    ("i am 15 and they force me to sell drugs for them", True),
    ("How are minors forced to commit offences treated?", True),
    ("как наказывают несовершеннолетних, которых заставляют совершать преступления?", True),
])
def test_a_card_about_children_is_shown_only_when_the_message_speaks_of_a_child(engine, question, child):
    """An adult made to sell drugs meets the passage on children forced to commit crimes, the nearest the sources have:
    the passage is quoted, but a card saying "children ... are victims" is not about them."""
    answer = engine.ask(question, k=5)
    assert answer.results[0].passage_id == "cncdh-3faa95af"
    assert (answer.card is not None and answer.card.id == "children_forced_crimes") == child


def test_under_a_card_the_quote_is_its_best_sentence_other_results_keep_the_longer_excerpt(engine):
    from bot.highlight import CARD_EXCERPT_CHARS, EXCERPT_CHARS

    answer = engine.ask("i have no passport, can i still ask for the permit?", k=5)
    assert answer.card is not None
    assert 0 < len(answer.results[0].excerpt) <= CARD_EXCERPT_CHARS
    assert any(CARD_EXCERPT_CHARS < len(r.excerpt) <= EXCERPT_CHARS for r in answer.results[1:])


def test_a_quote_is_never_cut_down_to_the_citation_that_opens_its_window():
    from bot.highlight import CARD_EXCERPT_CHARS, excerpt

    text = ("(CESEDA Articles R316-6 to R316-6.)\n\n• The national Ac.Sé, is a network of 70 partners who offer accommodation "
            "and support geographically distant from the place of exploitation, to victims in danger, on the request of a professional.")
    quote = excerpt(text, (0, len(text)), CARD_EXCERPT_CHARS)
    assert "network of 70 partners" in quote and len(quote) <= CARD_EXCERPT_CHARS
    assert quote.startswith("• The national Ac.Sé")  # the citation that closes the sentence before is not quoted
    assert excerpt("(see above)", (0, 11)) == "(see above)"  # a window that is only a note keeps it


def test_a_helper_reads_the_card_about_the_person_they_help(engine):
    """Cards say "you" to a victim; a social worker reading "money for the harm done to you" would be addressed as the victim."""
    from bot.conversation import Conversation
    from bot.render.data import render
    from bot.session import Session
    from bot.reply import Text

    question = Text("i have no passport, can i still ask for the permit?")
    for lang in ("en", "fr"):
        texts = {}
        for audience in ("victim", "helper"):
            reply = Conversation(engine).handle(Session(audience=audience, lang=lang), question)
            texts[audience] = next(b["text"] for b in render(reply)["blocks"] if b["type"] == "card")
        assert texts["victim"] != texts["helper"]
        if lang == "en":
            assert SECOND_PERSON.search(texts["victim"]) and not SECOND_PERSON.search(texts["helper"])
        else:
            assert "vous" in texts["victim"] and "vous" not in texts["helper"]


def test_every_card_that_speaks_to_you_has_a_wording_for_a_helper(engine):
    """A card added later with "you" and no wording for a helper would address a social worker as the victim again."""
    for card in engine.cards.current.values():
        title, text = card.wording(for_someone_helped=True)
        assert not SECOND_PERSON.search(f"{title} {text}"), card.id
