"""The conversation logic shared by the REPL and Telegram."""

from __future__ import annotations

import json

import pytest

from bot.conversation import AnswerReply, CardReply, Conversation, NoticeReply, Session, TriageQuestion


@pytest.fixture
def conversation(engine):
    return Conversation(engine, page=1)


def test_triage_leads_to_a_recommendation_card_in_the_users_language(conversation):
    session = Session(lang="es")
    first = conversation.start_triage(session)
    assert isinstance(first, TriageQuestion) and [o.id for o in first.options] == ["victim", "helper", "professional"]
    second = conversation.choose(session, "victim")
    assert second.step == "need" and len(second.options) == 8
    card = conversation.choose(session, "minor")
    assert isinstance(card, CardReply) and card.lang == "es"
    assert [r.service.id for r in card.answer.services][:1] == ["child-119"]
    assert 2 <= len(card.answer.results) <= 3 and all(r.translation for r in card.answer.results)
    assert any("presumption of minority" in r.text for r in card.answer.results)


def test_safety_need_puts_the_emergency_card_first(conversation):
    session = Session()
    conversation.start_triage(session)
    conversation.choose(session, "helper")
    card = conversation.choose(session, "safety")
    assert [s.id for s in card.answer.emergency_services] == ["police-17", "emergency-112", "sms-114"]


def test_typing_a_question_leaves_the_triage(conversation):
    session = Session()
    conversation.start_triage(session)
    reply = conversation.ask(session, "Can I work with the residence permit?")
    assert isinstance(reply, AnswerReply) and session.triage_step is None


def test_more_and_original_use_only_stored_ids(conversation):
    session = Session()
    reply = conversation.ask(session, "Can I get compensation as a victim without papers?")
    assert len(reply.shown) == 1 and reply.more
    more = conversation.more(session)
    assert more.results and more.results[0].passage_id == session.last_results[1]
    original = conversation.original(session)
    assert original.result.passage_id == session.last_results[0]


def test_session_keeps_no_message_text(conversation):
    session = Session(client_lang="fr")
    secret = "Je m'appelle Amina, j'habite 12 rue des Lilas, aidez-moi à obtenir des papiers"
    conversation.ask(session, secret)
    stored = json.dumps(session.to_dict(), ensure_ascii=False)
    for word in ("Amina", "Lilas", "papiers", "aidez"):
        assert word not in stored
    assert set(session.to_dict()) == {"lang", "last_lang", "client_lang", "audience", "triage_step", "triage_need", "last_results", "shown"}


def test_forget_erases_the_session(conversation):
    session = Session(lang="ro", audience="victim", triage_need="home", last_results=["cp-22cb7a65"], shown=1)
    reply = conversation.forget(session)
    assert isinstance(reply, NoticeReply) and reply.code == "forgotten" and reply.lang == "ro"
    assert session == Session()


def test_professional_tools(conversation):
    session = Session()
    measures = conversation.measures(session).measures
    assert len(measures) == 23 and measures[12]["status"] == "implemented"
    reply = conversation.measure(session, "19")
    parts = dict(reply.parts)
    assert "Actions of the State" in parts and "Comments and recommendations of the CNCDH" in parts
    assert conversation.measure(session, "99").code == "bad_measure"
    assert conversation.measure(session, "x; drop").code == "bad_measure"
    sources = conversation.sources(session).sources
    assert {s["as_of"] for s in sources} == {"2017-07-06", "2021-02"}
