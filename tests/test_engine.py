"""The answering engine on the shipped index: answers, citations, bad input, the JSON contract."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import faiss
import numpy as np
import pytest

from bot.i18n.detect import detect
from bot.i18n.policy import answer_language
from bot.retrieval.scope import ABSTAIN, CAUTION, Decision, place_names
from bot.retrieval.search import Ranking
from bot.sentences import asking_sentence
from bot.situation import Situation

from conftest import DATA, ROOT, run_bot

RESULT_KEYS = {"passage_id", "doc", "title", "section", "as_of", "text", "highlight", "start", "end", "score", "translation"}
ANSWER_KEYS = {"id", "question", "lang", "abstained", "grade", "chat", "emergency", "danger", "card", "services", "results", "reply"}


def test_the_engine_searches_on_one_thread_in_the_thread_that_answers(engine):
    """A question is one vector: faiss's threads, woken for it, waited on the encoder's.  OpenMP sets it per thread,
    and the channels answer in a worker thread, where setting it at load did not reach."""
    def answer() -> int:
        engine.ask("they took my passport")
        return faiss.omp_get_max_threads()

    with ThreadPoolExecutor(max_workers=1) as worker:
        assert worker.submit(answer).result() == 1


def test_answers_are_cited_and_highlighted(engine):
    answer = engine.ask("Can I stay in France legally if I testify against my trafficker?")
    assert not answer.abstained and len(answer.results) == 5
    cleaned = {doc: (ROOT / "corpus" / "built" / f"{doc}.txt").read_text() for doc in ("cncdh-2017", "country-profile")}
    for r in answer.results:
        assert r.title and r.section and r.as_of and r.passage_id
        assert cleaned[r.doc][r.start:r.end] == r.text
        assert r.highlight and r.highlight in r.text and r.highlight == r.text[r.highlight_start:r.highlight_end]
        assert len(r.highlight.split()) <= 120  # one or two sentences, not the whole passage
    assert "residence permit" in " ".join(r.text for r in answer.results[:3]).lower()


@pytest.mark.parametrize("raw, notice", [
    ("", "empty"),
    ("   \n\t  ", "empty"),
    ("🙏🙏🙏", "no_words"),
    ("\x00\x01\x02\xff\ufffd", "no_words"),
])
def test_input_without_words_gets_a_notice_not_a_search(engine, raw, notice):
    answer = engine.ask(raw)
    assert notice in answer.notices and answer.results == [] and answer.abstained


@pytest.mark.parametrize("raw", [
    "هل يمكنني الحصول على مساعدة قانونية مجانية؟",  # right-to-left
    "Je suis victime, мне нужна помощь with papers 请帮助",  # mixed scripts
    "residence permit " * 2000,  # 34,000 characters
    "Can I get papers?\x00\x1b[31m if I report my exploiter\x07",  # control characters
])
def test_unusual_questions_are_answered_without_error(engine, raw):
    answer = engine.ask(raw)
    assert len(answer.question) <= 4096 and "\x00" not in answer.question
    assert answer.results or answer.abstained
    if len(raw) > 4096:
        assert "truncated" in answer.notices


def test_out_of_scope_questions_are_abstained_on_with_help_contacts(engine):
    for question in ("Which football club is the best in England?", "How do I reset my iPhone password?"):
        answer = engine.ask(question)
        assert answer.abstained and not answer.results and answer.closest
        assert [r.service.id for r in answer.services] == ["police-17", "emergency-112", "france-victimes-116006"]


def test_a_child_asking_what_the_sources_do_not_cover_gets_the_child_line_first(engine):
    from bot.recommend import recommend

    child = recommend(engine.services, engine.signals.read("im 15, how do i reset my iphone password?"), [], abstained=True)
    adult = recommend(engine.services, engine.signals.read("how do i reset my iphone password?"), [], abstained=True)
    assert [r.service.id for r in child.services] == ["child-119", "police-17", "emergency-112", "france-victimes-116006"]
    assert "child-119" not in [r.service.id for r in adult.services]


def test_scope_reads_the_words_a_question_shares_with_the_bank(engine):
    """Dense similarity reads a question's form; the scope model also weighs the words it shares with the bank's
    questions in its language, per word, and with the negatives: none in a language without a bank."""
    search = engine.search

    def shared(text: str, lang: str | None) -> dict[str, float]:
        scope = search.evidence(search.query(text, engine.vector(text), lang, engine.signals.read(text), asking_sentence(text))).scope
        return {key: scope[key] for key in ("lexical_bank", "lexical_negative")}

    papers = shared("my boss took my passport, can I get a residence permit if I report him?", "en")
    phone = shared("how do I reset my iPhone password?", "en")
    assert papers["lexical_bank"] > 1.2 * papers["lexical_negative"] > 0
    assert phone["lexical_negative"] > 2 * phone["lexical_bank"] > 0
    assert shared("mein Chef hat meinen Pass genommen", None) == {"lexical_bank": 0.0, "lexical_negative": 0.0}


@pytest.mark.parametrize("question, notice", [
    ("What is the national referral mechanism for trafficking victims in Germany and how long is the reflection period there?", "other_country"),
    ("How many victims of trafficking were identified in France in 2024?", "after_date"),
])
def test_scope_guards_word_the_refusal(engine, question, notice):
    answer = engine.ask(question)
    assert answer.abstained and notice in answer.notices


def test_a_country_or_a_year_told_in_the_story_is_not_what_is_asked_about(engine):
    """Victims tell where they were exploited and when they came; only the sentence that asks says which
    country's law or which year's events they ask about."""
    told = engine.ask("I worked two years on a farm in Italy and they never paid me. Then they brought me to Lyon. "
                      "Can I get a residence permit if I report them?")
    assert not told.abstained and "other_country" not in told.notices
    asked = engine.ask("They never paid me on the farm. How long is the reflection period in Italy?")
    assert asked.abstained and "other_country" in asked.notices
    came = engine.ask("I came to France in 2023 and my boss keeps my passport. Can I get papers if I report him?")
    assert not came.abstained and "after_date" not in came.notices

    def scope(text: str) -> dict[str, float]:
        return engine.search.evidence(engine.search.query(text, engine.vector(text), "en", Situation(), asking_sentence(text))).scope

    assert scope("I came to France in 2023. They keep my passport. Can I report them?")["after_date"] == 0.0
    assert scope("I came to France last year. How many victims were identified in 2024?")["after_date"] == 1.0
    assert scope("My family is in Nigeria. They keep my passport. Can I report them?")["foreign_country"] == 0.0


@pytest.mark.parametrize("question", [
    "if i go to police will they send me back in nigeria?",
    "si je porte plainte, est-ce qu'ils vont me renvoyer au Nigeria ?",
    "daca vorbesc cu politia ma trimit inapoi in romania la parinti?",
    "nese shkoj ne polici, a me kthejne ne shqiperi?",
    "如果我报警，他们会把我遣返回中国吗？",
    "if i talk to the police they will hurt my family in nigeria, what can i do?",
])
def test_the_persons_own_country_is_not_asked_about(engine, question):
    """"Will they send me back to Nigeria?" asks about France's removal, not Nigeria's rules, and "they will hurt my
    family in Nigeria" tells a fear of reprisals: both were refused as questions about another country ("inapoi in
    romania" and "in nigeria" are located like "in Germany")."""
    places = place_names()
    assert places.abroad(question) and not places.abroad(question, own=False) and not places.asked_abroad(question)
    answer = engine.ask(question)
    assert not answer.abstained and "other_country" not in answer.notices


@pytest.mark.parametrize("question", [
    "How long is the reflection period in Italy?",
    "qual è il numero verde antitratta in italia",
    "thông tin về luật mại dâm tại Đức",
])
def test_a_country_asked_about_stays_one_when_back_words_are_near(question):
    assert place_names().asked_abroad(question)


@pytest.mark.parametrize("question, code", [
    ("whats the modern slavery helpline number in the uk", "GB"),  # "in the": located all the same
    ("wie ist die nummer vom hilfetelefon für opfer von menschenhandel in deutschland", "DE"),  # German: we do not answer in it
    ("quali aiuti ci sono per le vittime di tratta negli Stati Uniti?", "US"),
    ("my friend is held in a scam compound in myanmar, who can get him out", "MM"),  # CLDR says "Myanmar (Burma)"
])
def test_a_country_is_read_in_the_languages_people_write_in_and_as_they_type_it(engine, question, code):
    """These near-domain questions about another country were answered: the place was not read, or not as asked about."""
    assert place_names().asked_abroad(question) == {code}
    answer = engine.ask(question)
    assert answer.abstained and "other_country" in answer.notices


@pytest.mark.parametrize("question, code", [
    ("İspanya'da insan ticareti mağdurlarına oturma izni veriliyor mu?", "ES"),  # Turkish: "in" is an ending, after an apostrophe
    ("hollandada calisirken pasaportumu aldilar, orada kime basvururum", "NL"),  # ... or typed without it
    ("Ở Ý có đường dây nóng cho nạn nhân buôn người không?", "IT"),  # Vietnamese "ở", the everyday "in"
    ("chị tôi đang làm việc bên Đức, bên đó có luật bảo vệ không?", "DE"),  # "bên": over in
    ("واش كاين شي جمعية كتعاون الضحايا فألمانيا؟", "DE"),  # Maghrebi Arabic f- "in", written onto the name
    ("wach kayn chi numero dyal l'aide f italia?", "IT"),  # ... and as Latin-script Darija types it
    ("may hotline ba para sa mga biktima ng trafficking sa Japan?", "JP"),  # Tagalog "sa"
    ("a ka strehim per viktimat e trafikimit ne Itali?", "IT"),  # Albanian "në" as typed without its mark
    ("what is Canada's hotline for trafficking victims?", "CA"),  # English: a country's own hotline, asked about
])
def test_a_place_is_located_by_the_locative_its_language_uses(engine, question, code):
    """Questions about another country were answered when the language says "in" with an ending ("Almanya'da"), a
    prefix ("فالمغرب") or a word the place reading did not know ("ở Đức", "f Belgique", "sa Kuwait")."""
    assert place_names().asked_abroad(question) == {code}
    answer = engine.ask(question)
    assert answer.abstained and "other_country" in answer.notices


def test_a_place_asked_about_in_any_question_of_a_message_is_read_one_told_in_its_story_is_not(engine):
    """"Is there a shelter in Belgium? How do I get a place?" asks about Belgium in its first question; the guard read
    the last only, and answered with France's shelters."""
    asked = engine.ask("is there a shelter for trafficking victims in Belgium? how do i get a place there?")
    assert asked.abstained and "other_country" in asked.notices
    told = engine.ask("I was exploited in Belgium for two years. Now I am in Paris, can I get papers?")
    assert not told.abstained and "other_country" not in told.notices


def test_a_country_named_in_another_language_is_no_place_abroad_when_it_is_france():
    """Names in more languages are names of France too: "Frankreich" is home, so a place asked about beside it is not
    another country's question (Dublin transfers from France are asked about France)."""
    assert not place_names().asked_abroad("Meine Fingerabdrücke wurden in Italien genommen, schickt Frankreich mich zurück?")
    # Portuguese "no" ("no Brasil") is not a locative word: it is Pidgin's and English's "no" too
    assert not place_names().asked_abroad("i no sabi French, no Nigerian person to help me, dem get cultural mediator?")
    assert not place_names().asked_abroad("ở Pháp em có được giấy tờ không nếu em báo công an?")  # "in France", in Vietnamese
    assert not place_names().asked_abroad("Fransa'da çalışıyorum, patronum pasaportumu aldı")  # ... in Turkish
    assert not place_names().asked_abroad("France's law and Nigeria's: which one protects me here?")  # France's own named


def test_a_minor_whose_best_passage_is_about_children_is_answered_not_refused(engine):
    """The scope model reads no age: a 16-year-old made to work at night, in Darija, was refused though the children's
    passage came first.  Only a plain refusal is lifted, for a minor, when the best passage is about children."""
    answer = engine.ask("انا عندي 16 سنة وكيخدموني فالليل، واش عندي الحق نمشي؟")
    assert answer.minor and not answer.abstained
    search, rows = engine.search, engine.corpus.by_id()
    assert "children" in engine.corpus.passages[rows[answer.results[0].passage_id]]["topics"]
    children, other = rows[answer.results[0].passage_id], rows["cp-d1a9006a"]
    evidence = search.evidence(search.query("x", engine.vector("x"), "en", Situation(), None))

    def graded(notice: str, top: int, minor: bool) -> str:
        ranking = Ranking(rows=np.array([top]), scores=np.zeros(1), at=np.zeros(1, dtype=int))
        return search.guarded(Decision(ABSTAIN, 0.01, notice), evidence, ranking, going_home=False, minor=minor).grade

    assert graded("abstained", children, minor=True) == CAUTION
    assert graded("abstained", children, minor=False) == graded("abstained", other, minor=True) == ABSTAIN
    assert graded("other_country", children, minor=True) == graded("after_date", children, minor=True) == ABSTAIN


def test_a_negative_named_abroad_or_later_is_no_evidence_against_a_question_that_names_neither(engine):
    """"... in Germany?" and "... in 2023?" are refused for the place or year they name; a question naming neither is
    not kept from its answer by their nearness ("how long is the permit of a trafficking victim valid?" was refused)."""
    search, index = engine.search, engine.search.index
    named = [i for i, names in enumerate(index.bank_names) if names]
    assert len(named) > 100 and all(index.bank_rows[i] < 0 for i in named)
    plain = "Combien de temps est valable le titre de séjour accordé à une victime de la traite ?"
    abroad = "Combien de temps est valable le titre de séjour accordé à une victime de la traite en Allemagne ?"
    assert search.query(plain, engine.vector(plain), "fr", Situation(), None).names == frozenset()
    assert search.query(abroad, engine.vector(abroad), "fr", Situation(), None).names == {"other_country"}
    answer = engine.ask(plain)
    assert not answer.abstained and answer.results[0].passage_id == "cp-fb59e434"
    assert engine.ask(abroad).abstained


@pytest.mark.parametrize("question, asked", [
    ("depuis 2024 mon patron ne me paie pas, je peux porter plainte ?", False),
    ("с 2024 года хозяин не платит мне, могу ли я пожаловаться?", False),
    ("从2024年开始老板一直不给我工资，我可以报警吗？", False),
    ("din 2024 nu ma plateste nimeni, pot face plangere?", False),
    ("Since the 2024 law, what has changed for victims?", True),
    ("legea din 2025 schimbă ceva pentru victime?", True),
])
def test_since_when_a_situation_lasts_is_told_not_asked(engine, question, asked):
    """A year that says since when the exploitation lasts ("depuis 2024") does not make the question one about
    events after the sources' dates; a year the question is about still does."""
    evidence = engine.search.evidence(engine.search.query(question, engine.vector(question), None, Situation(), asking_sentence(question)))
    assert evidence.scope["after_date"] == float(asked)


def test_another_countrys_practice_is_never_first_unless_named(engine):
    for question in ("How long is the reflection period for victims?", "do i get time to think before i go to the police"):
        answer = engine.ask(question)
        assert not answer.results or not answer.results[0].practice_of
    named = engine.ask("How does the UK national referral mechanism identify victims?", k=5)
    assert any(r.practice_of == "United Kingdom" for r in named.results)


def test_answer_language_follows_the_question_with_a_current_translation(engine):
    answer = engine.ask("Combien de temps est valable le titre de séjour accordé à une victime de la traite ?")
    assert answer.lang == "fr" and answer.lang_reason == "detected"
    assert all(r.translation for r in answer.results)
    forced = engine.ask("Combien de temps est valable le titre de séjour ?", lang="en")
    assert forced.lang == "en" and all(r.translation is None for r in forced.results)


@pytest.mark.parametrize("question", [
    "Ich bin Opfer von Menschenhandel. Bekomme ich Papiere?",
    "Come posso avere un permesso di soggiorno come vittima di tratta?",
    "Wie bekomme ich eine Aufenthaltserlaubnis, wenn ich Opfer von Menschenhandel bin?",
])
def test_unsupported_language_is_answered_in_english_with_a_note(engine, question):
    answer = engine.ask(question)
    assert answer.lang == "en" and answer.unsupported_language in ("German", "Italian") and "unsupported_language" in answer.notices
    assert answer.results and not answer.abstained, question


def test_questions_in_languages_we_do_not_answer_in_are_answered_when_in_scope_and_refused_when_not(engine):
    """German, Italian, Turkish and Polish speakers ask too: the bank's in-scope questions in those languages (2026-12-07)
    took the in-scope refusals of this blind set from 7 of 68 to 2 (refusing out of scope: 31 of 32 -> 24)."""
    items = [json.loads(line) for line in (DATA / "unsupported_languages.jsonl").read_text(encoding="utf-8").splitlines()]
    refused, noticed = {True: 0, False: 0}, 0
    for item in items:
        answer = engine.ask(item["question"])
        refused[item["in_scope"]] += answer.abstained
        noticed += answer.unsupported_language is not None  # answered in English, saying so: not in Romanian for Italian
    assert refused[True] <= 4 and refused[False] >= 20, refused
    assert noticed >= 95, noticed


def test_language_policy_order_and_short_messages():
    assert answer_language(detect("Bonjour, j'ai besoin d'aide pour mes papiers"), explicit="ro").lang == "ro"
    assert answer_language(detect("Bonjour, j'ai besoin d'aide pour mes papiers"), previous="es").lang == "fr"
    for short in ("ok merci", "hola", "thanks!", "да", "好的"):
        choice = answer_language(detect(short), previous="ro", client="fr")
        assert choice.lang == "ro" and choice.reason == "previous", short
    assert answer_language(detect("ok"), client="pt-BR").lang == "pt"
    assert answer_language(detect("ok")).lang == "en"


def test_foreign_service_lists_are_only_shown_when_asked_and_then_flagged(engine):
    for question in ("Where can I find a shelter?", "Who gives psychological and medical assistance?", "reintegration after return"):
        assert not [r for r in engine.ask(question, k=20).results if r.outside_france]
    asked = engine.ask("Which shelters are listed in Ouagadougou?", k=20, scope=False)  # "show the closest passages"
    flagged = [r for r in asked.results if r.outside_france]
    assert flagged and all(r.outside_france == "Burkina Faso" for r in flagged)


def test_json_output_has_exactly_the_documented_fields():
    result = run_bot("ask", "Qui peut m'aider à obtenir une indemnisation ?", "--json", "-k", "2")
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert set(answer) == ANSWER_KEYS and answer["lang"] == "fr" and answer["abstained"] is False
    assert answer["reply"]["lang"] == "fr" and answer["reply"]["blocks"][-1]["type"] == "footer"
    assert len(answer["results"]) == 2 and all(set(r) == RESULT_KEYS for r in answer["results"])
    assert all(isinstance(r["translation"], str) for r in answer["results"])
    assert all(set(s) == {"id", "name", "contact", "why", "source"} for s in answer["services"])
    assert any(s["id"] == "civi" for s in answer["services"])


def test_batch_answers_every_line_in_order_and_reports_bad_lines(tmp_path):
    lines = [
        b'\xef\xbb\xbf{"id": "a", "question": "Can I work with the victim\'s residence permit?"}',  # a byte-order mark
        b"this line is not JSON",
        json.dumps({"id": "b", "question": "¿Qué es el trabajo forzoso?", "lang": "fr"}).encode(),
        json.dumps({"id": "c", "question": ""}).encode(),
        json.dumps({"id": "d", "question": "Who can help me get compensation?", "lang": "it"}).encode(),
        json.dumps({"id": "e", "question": None}).encode(),
        json.dumps({"id": "f", "question": "papers?", "lang": 5}).encode(),
        b'{"id": "g", "question": "caf\xe9 sans papiers"}',  # invalid UTF-8
        b"[" * 100000,  # nested too deep for the parser
        json.dumps({"id": 7, "question": "compensation", "lang": ["fr"]}).encode(),
    ]
    path = tmp_path / "questions.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    result = run_bot("ask", "--batch", str(path), "-k", "3")
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert result.returncode == 1 and "Traceback" not in result.stderr  # some lines were bad, the others answered
    assert [o.get("id") for o in out] == ["a", None, "b", "c", "d", "e", "f", "g", None, 7]
    assert [o.get("line") for o in out if "error" in o] == [2, 6, 7, 8, 9, 10]
    assert out[0]["lang"] == "en" and len(out[0]["results"]) == 3
    assert out[2]["lang"] == "fr" and out[2]["results"][0]["translation"]
    assert out[3]["abstained"] is True and out[3]["results"] == []
    assert out[4]["lang"] == "en" and out[4]["results"] and any(b.get("code") == "unsupported_language" for b in out[4]["reply"]["blocks"])


@pytest.mark.parametrize("args, message", [
    (["ask", "hello", "--lang", "klingon"], "unknown language"),
    (["ask"], "give a question"),
    (["ask", "--batch", "/nonexistent/file.jsonl"], "cannot read"),
    (["eval", "/nonexistent/set.jsonl"], "No such file"),
])
def test_command_line_errors_are_clear(args, message):
    result = run_bot(*args)
    assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr


def test_k_is_bounded(engine):
    assert len(engine.ask("compensation for victims", k=0).results) == 1
    assert len(engine.ask("compensation for victims", k=500).results) == 20


@pytest.mark.parametrize("message, asking", [
    ("he keeps my passport and says I owe him money. What can I do?", "What can I do?"),
    ("他说我欠他钱？护照在他那里。我能报警吗？谢谢", "我能报警吗？"),  # the last question, not the first nor the thanks
    ("عندي مشكلة. هل يمكنني الحصول على أوراق؟", "هل يمكنني الحصول على أوراق؟"),
    ("I work on a farm for nothing. they have my passport", "they have my passport"),  # no question mark: the last
    ("can I get papers?", None),  # one sentence: nothing to lean on
    # a run of marks ends one sentence, and a full stop inside a name or a number ends none (the asking sentence was
    # "?", "!", "se still exist?" and "000€ del viaje")
    ("can i still get papers without my passport??", None),
    ("he has my passport. help me!!", "help me!!"),
    ("will ac.se still exist? i heard the money was cut", "will ac.se still exist?"),
    ("dicen q debo 12.000€ del viaje", None),
    ("me quitaron el pasaporte... ¿qué hago?¿me ayudan?", "¿me ayudan?"),
])
def test_the_sentence_that_asks_is_found_in_every_script(message, asking):
    from bot.sentences import asking_sentence

    assert asking_sentence(message) == asking


@pytest.mark.parametrize("message, questions", [
    ("他说我欠他钱？护照在他那里。我能报警吗？谢谢", ["他说我欠他钱？", "我能报警吗？"]),  # every question, not the thanks
    ("I work on a farm for nothing. they have my passport", ["they have my passport"]),  # none asks: the asking sentence
    ("can I get papers", ["can I get papers"]),
])
def test_every_sentence_that_asks_is_a_question_of_the_message(message, questions):
    from bot.sentences import question_sentences

    assert question_sentences(message) == questions


def test_a_story_then_a_question_is_answered_for_the_question(engine):
    """Encoded whole, the story (a debt, night work in a bar) outweighs the question and a passage on spotting
    victims at the border came first; the asking sentence read on its own brings the compensation passage."""
    answer = engine.ask("The man says I owe him for the flight. I work every night in a bar. "
                        "Can I get money for what they did to me?")
    assert not answer.abstained
    first = engine.corpus.passages[engine.corpus.by_id()[answer.results[0].passage_id]]
    assert "compensation" in first["topics"], first["id"]


def test_a_question_typed_without_its_marks_meets_the_bank_question_it_copies(engine):
    """Vietnamese typed on a phone without its tone marks is far from the same words marked; the bank's typed copies bridge it."""
    from bot.bank import load_bank
    from bot.index.build import bank_table
    from bot.retrieval.evidence import FEATURES, Query
    from bot.typed import typed_copy

    index = engine.search.index
    texts = bank_table(engine.corpus, load_bank(engine.corpus.passages))["texts"]
    copied = [int(q) for q in index.danger_copy_of_question if q >= 0 and index.bank_rows[q] >= 0 and index.bank_langs[q] == "vi"]
    assert len(copied) > 100
    retriever = engine.search.retriever
    typed_at = FEATURES.index("typed")
    for unit in copied[:5]:
        unmarked = typed_copy(texts[unit])
        query = Query(engine.vector(unmarked), unmarked, "vi")
        ids, _ = retriever._bank_hits(query, set())
        assert ids[0] == unit  # its copy, found in the form it was typed, stands for it
        assert unit not in retriever._bank_hits(query, {unit})[0]  # left out, the copy goes with it (fitting)
        evidence = retriever.evidence(query, np.ones(len(engine.corpus.passages), dtype=bool))
        assert (evidence.features[:, typed_at] == 1).all()
        marked = retriever.evidence(Query(engine.vector(texts[unit]), texts[unit], "vi"), np.ones(len(engine.corpus.passages), dtype=bool))
        assert (marked.features[:, typed_at] == 0).all()
