"""The one conversation behind every channel: inputs in, neutral blocks and actions out."""

from __future__ import annotations

import json

import pytest

from bot.conversation import COMMANDS, Conversation
from bot.reply import (
    CONTACTS, FULL, MORE, ORIGINAL, RIGHTS, TRIAGE, Choice, Command, Emergency, Footer, Help, LegalReferences, Notice, Options,
    Passage, Reply, Text, Unreadable, parse,
)
from bot.legal import references
from bot.render.text import render as text_render
from bot.session import Session

from conftest import SECOND_PERSON


@pytest.fixture
def conversation(engine):
    return Conversation(engine, page=3)


def kinds(reply) -> list[str]:
    return [type(b).__name__ for b in reply.blocks]


def actions(reply) -> list[str]:
    return [a.action for a in reply.actions]


def test_a_victims_question_gets_one_shortened_passage_and_the_next_steps(conversation):
    session = Session()
    reply = conversation.handle(session, Text("they took my passport, can i still get papers?"))
    passages = [b for b in reply.blocks if isinstance(b, Passage)]
    assert len(passages) == 1 and isinstance(reply.blocks[-1], Footer)
    assert {MORE, CONTACTS, ORIGINAL} <= set(actions(reply))
    assert len(session.last_results) > 1 and session.shown == 1
    more = conversation.handle(session, Choice(MORE))
    assert [b.result.passage_id for b in more.blocks if isinstance(b, Passage)] == [session.last_results[1]]


def test_a_professional_keeps_full_passages_and_legal_references(conversation):
    session = Session(audience="professional")
    reply = conversation.handle(session, Text("How does a prefecture handle an L316-1 application?"))
    passages = [b for b in reply.blocks if isinstance(b, Passage)]
    assert len(passages) == 3 and all(p.whole for p in passages)
    assert "LegalReferences" in kinds(reply) and "RightsCard" not in kinds(reply)
    shown = [ref for p in passages for ref in references(p.result.text)]
    cited = next(b for b in reply.blocks if isinstance(b, LegalReferences)).references
    assert list(cited) == list(dict.fromkeys(shown))  # "in these passages": the page's, not those of passages kept for "more"
    more = conversation.handle(session, Choice(MORE))
    more_shown = [ref for b in more.blocks if isinstance(b, Passage) for ref in references(b.result.text)]
    assert [ref for b in more.blocks if isinstance(b, LegalReferences) for ref in b.references] == list(dict.fromkeys(more_shown))


@pytest.mark.parametrize("message", [
    "I'm a social worker, a girl I follow is 16 and works nights in a restaurant",
    "j'aide une jeune femme, elle a 16 ans, son patron garde son passeport et ne la paie pas",
    "i help a young woman whose boss keeps her passport, what can she do?",
])
def test_who_is_asking_is_recognised_from_what_they_write(conversation, message):
    session = Session()
    conversation.handle(session, Text(message))
    assert session.audience == "helper"
    conversation.handle(victim := Session(), Text("je suis une jeune femme, mon patron garde mon passeport"))
    assert victim.audience == "victim"
    conversation.handle(session, Text("en fait c'est moi, mon patron garde mon passeport"))
    assert session.audience == "victim"  # the writer's own case: no longer worded about someone helped


def test_a_writer_who_tells_their_own_case_after_asking_for_someone_is_answered_as_the_person_concerned(conversation):
    """"my friend's boss took her passport", then "actually it is me, I am 17": the card says "you", and the line for
    professionals is not offered to the person concerned."""
    session = Session()
    conversation.handle(session, Text("my friend's boss took her passport, what can she do?"))
    assert session.audience == "helper"
    reply = conversation.handle(session, Text("actually it is me. i am 17 and they keep my passport, can i get papers?"))
    offered = [r.service.id for b in reply.blocks if type(b).__name__ == "Services" for r in b.items]
    card = next(b for b in reply.blocks if type(b).__name__ == "RightsCard")
    assert not card.for_someone_helped and "acse-professionals" not in offered and "child-119" in offered


@pytest.mark.parametrize("typed, lang", [("fr", "fr"), ("Français", "fr"), ("francais", "fr"), ("Español", "es"), ("english", "en"),
                                          ("русский", "ru"), ("中文", "zh"), ("pidgin", "pcm"), ("Shqip.", "sq"),
                                          ("ukr", "uk"), ("rum", "ro"), ("anglais", "en"), ("Ucraniano", "uk"),
                                          ("украинский", "uk"), ("الفرنسية", "fr")])
def test_a_language_typed_under_the_picker_chooses_it(conversation, typed, lang):
    """The start lists "fr — Français"; typing "fr" there told a new user that the reports do not cover the question.
    So did "ukr" (the code of Ukrainian a passport or a form shows) and a language named in another ("anglais")."""
    session = Session()
    conversation.handle(session, Command("start", ""))
    reply = conversation.handle(session, Text(typed))
    assert session.lang == lang and reply.lang == lang
    assert [b.code for b in reply.blocks] == ["language_set"] and reply.answer is None
    assert conversation.handle(session, Text("fr, mon patron garde mon passeport")).answer is not None  # more than a name: a message


@pytest.mark.parametrize("typed, lang", [("Français", "fr"), ("pt-BR", "pt"), ("ukr", "uk"), ("ucraniano", "uk")])
def test_the_language_command_takes_a_name_or_a_code(conversation, typed, lang):
    """"/lang Français" answered that "Français" is not a language."""
    session = Session()
    reply = conversation.handle(session, Command("lang", typed))
    assert session.lang == lang and [b.code for b in reply.blocks] == ["language_set"]
    conversation.handle(session, Command("lang", "klingon"))
    assert session.lang == lang  # an unknown one changes nothing


@pytest.mark.parametrize("message, lang, code", [
    ("hello", "en", "start"), ("Merci beaucoup 🙏", "fr", "welcome"), ("спасибо!", "ru", "welcome"), ("شكرا جزيلا", "ar", "welcome"),
    ("xin chào", "vi", "start"), ("谢谢你", "zh", "welcome"), ("ok bye, see you", "en", "goodbye"), ("faleminderit", "sq", "welcome"),
    ("non merci", "fr", "go_on"),
    ("chao", "vi", "start"),  # Vietnamese "chào" typed unmarked, Spanish "bye": a greeting, not "Cuídate" to someone arriving
    ("chao, hasta luego", "es", "goodbye"), ("tchau", "pt", "goodbye"),
    # what the thanks are for, after a thanks that has its own ending: "merci beaucoup pour l'aide" got the safety card
    ("merci beaucoup pour l'aide", "fr", "welcome"), ("thanks a lot for the help", "en", "welcome"),
    ("спасибо большое за помощь", "ru", "welcome"), ("cảm ơn nhiều vì đã giúp em", "vi", "welcome"),
    # in a language we do not answer in, in English: "mi dispiace, grazie mille, ciao" got SAMU 15 and 3114
    ("mi dispiace, grazie mille, ciao", "en", "welcome"), ("danke schön, tschüss", "en", "goodbye"),
    ("teşekkürler, görüşürüz", "en", "goodbye"), ("I'm sorry, thank you, bye", "en", "goodbye"),
])
def test_courtesy_gets_a_kind_word_in_its_language_not_a_refusal(conversation, message, lang, code):
    """ "hello" or "thanks" told the person the reports do not cover their question, under four emergency lines."""
    reply = conversation.handle(Session(), Text(message))
    assert reply.lang == lang and not reply.urgent
    assert kinds(reply) == ["Notice", "Footer"] and reply.blocks[0].code == code
    assert reply.answer.grade == "chat" and not reply.answer.services and not reply.answer.emergency_services


def test_a_word_that_greets_in_one_language_and_takes_leave_in_another_follows_the_conversation(conversation):
    """ "chao" is a Vietnamese hello typed unmarked and a Spanish or Bulgarian goodbye: first a greeting (in Vietnamese),
    after a Spanish exchange a goodbye in Spanish."""
    first = conversation.handle(Session(), Text("chao"))
    assert (first.lang, first.blocks[0].code) == ("vi", "start")
    session = Session()
    conversation.handle(session, Text("me quitaron el pasaporte, ¿puedo tener papeles?"))
    later = conversation.handle(session, Text("chao"))
    assert (later.lang, later.blocks[0].code) == ("es", "goodbye")


def test_a_word_of_thanks_in_another_language_is_answered_in_the_conversations(conversation):
    """An English speaker in France says "merci": after an English exchange, "You're welcome" in English."""
    session = Session()
    conversation.handle(session, Text("they took my passport, can i still get papers?"))
    reply = conversation.handle(session, Text("merci"))
    assert (reply.lang, reply.blocks[0].code) == ("en", "welcome")
    assert conversation.handle(Session(), Text("merci")).lang == "fr"  # a first word of thanks: its own language


def test_thanks_after_a_safety_card_shows_the_card_again(conversation):
    """ "thanks" after "I want to jump" got "You are welcome, ask me another question"; the session keeps the card's
    lines, never the words."""
    session = Session()
    first = conversation.handle(session, Text("I'm on the roof now and I want to jump, I can't go on"))
    assert first.urgent and "suicide-3114" in {s.id for s in first.blocks[0].services}
    assert "jump" not in json.dumps(session.to_dict())
    reply = conversation.handle(Session.from_dict(json.loads(json.dumps(session.to_dict()))), Text("thanks"))
    assert reply.urgent and kinds(reply) == ["Notice", "Emergency", "Notice"]
    assert [s.id for s in reply.blocks[1].services] == [s.id for s in first.blocks[0].services]
    conversation.handle(session, Text("they took my passport, can i still get papers?"))
    assert conversation.handle(session, Text("thanks")).blocks[0].code == "welcome" and not session.safety_card


def test_ok_after_an_answer_keeps_its_passages(conversation):
    session = Session()
    conversation.handle(session, Text("they took my passport, can i still get papers?"))
    shown = list(session.last_results)
    assert conversation.handle(session, Text("ok")).blocks[0].code == "go_on"
    assert session.last_results == shown
    more = conversation.handle(session, Choice(MORE))
    assert [b.result.passage_id for b in more.blocks if isinstance(b, Passage)] == [shown[1]]


@pytest.mark.parametrize("typed", ["next pls", "la suite svp", "la siguiente por favor", "дальше", "继续", "vazhdo te lutem", "thanks, next"])
def test_more_typed_in_words_shows_the_next_passage_as_the_button_does(conversation, typed):
    """"next" typed instead of the command got "the reports do not cover this", or random passages; "go back" the
    suicide line."""
    session = Session()
    conversation.handle(session, Text("they took my passport, can i still get papers?"))
    reply = conversation.handle(session, Text(typed))
    assert [b.result.passage_id for b in reply.blocks if isinstance(b, Passage)] == [session.last_results[1]]
    assert reply.answer.chat == "more"
    assert conversation.handle(Session(), Text(typed)).blocks[0].code == "no_previous"


def test_going_back_in_words_shows_the_passage_before(conversation):
    session = Session()
    conversation.handle(session, Text("they took my passport, can i still get papers?"))
    conversation.handle(session, Text("next"))
    conversation.handle(session, Text("next"))
    reply = conversation.handle(session, Text("go back to the previous one"))
    assert [b.result.passage_id for b in reply.blocks if isinstance(b, Passage)] == [session.last_results[1]]
    assert not reply.urgent and reply.answer.chat == "back"


@pytest.mark.parametrize("message, lang", [("who are you?", "en"), ("can my boss see this?", "en"), ("ты кто вообще?", "ru")])
def test_asking_about_the_bot_gets_what_it_is_and_what_it_keeps(conversation, message, lang):
    """A frightened person asks whether anyone can read the chat before anything else: "the reports do not cover this" was
    the answer."""
    reply = conversation.handle(Session(), Text(message))
    assert reply.lang == lang and [b.code for b in reply.blocks if isinstance(b, Notice)] == ["start", "privacy"]


def test_not_understanding_gets_a_way_on_in_the_readers_language(conversation):
    reply = conversation.handle(Session(), Text("je comprends pas"))
    assert reply.lang == "fr" and reply.blocks[0].code == "rephrase" and not reply.answer.services


@pytest.mark.parametrize("message", [
    "hello, they took my passport", "merci, et où je peux dormir ce soir ?", "bye, he is coming back now, help",
    "thanks for the help, where can i sleep tonight", "cảm ơn, giúp em với", "谢谢，请帮忙",
])
def test_courtesy_with_anything_more_is_a_message(conversation, message):
    reply = conversation.handle(Session(), Text(message))
    assert reply.answer.grade != "chat"


def test_danger_first_and_alone_then_rights_on_request(conversation):
    session = Session(lang="fr")
    reply = conversation.handle(session, Text("Au secours, il est devant la porte maintenant et il va me tuer"))
    assert reply.urgent and isinstance(reply.blocks[0], Emergency)
    assert not [b for b in reply.blocks if isinstance(b, Passage)]
    assert kinds(reply) == ["Emergency", "Notice"] and reply.blocks[1].code == "when_safe"
    assert actions(reply)[:1] == [RIGHTS]
    rights = conversation.handle(session, Choice(RIGHTS))
    assert [b for b in rights.blocks if isinstance(b, Passage)]


@pytest.mark.parametrize("lang, message", [
    ("en", "I am a social worker, a girl I help says they will kill her tonight"),
    ("fr", "Je suis éducatrice : une jeune que je suis est enfermée chez son patron, il la frappe maintenant"),
])
def test_a_helper_telling_of_someone_elses_danger_is_not_addressed_as_the_one_in_danger(conversation, lang, message):
    """"If you are in danger now" and "when you are safe" speak to the one in danger; a helper gets the card about
    the person, and keeps it so after "thanks"."""
    session = Session()
    reply = conversation.handle(session, Text(message))
    assert reply.answer.lang == lang and reply.answer.audience == "helper" and reply.urgent
    victims = conversation.handle(Session(), Text("they will kill me tonight, I am locked in" if lang == "en" else "il va me tuer ce soir, je suis enfermée"))
    stored = Session.from_dict(json.loads(json.dumps(session.to_dict())))  # as a channel's store keeps it
    for later in (reply, conversation.handle(stored, Text("thanks" if lang == "en" else "merci"))):
        card, notice = later.blocks[-2], later.blocks[-1]
        assert isinstance(card, Emergency) and card.for_helped and notice.code == "when_safe_helped"
        words = [text_render(Reply(lang, [b])).splitlines()[0] for b in (card, notice)]  # the card's title, the notice
        assert words != [text_render(Reply(lang, [b])).splitlines()[0] for b in (victims.blocks[0], victims.blocks[-1])]
        if lang == "en":
            assert not [w for w in words if SECOND_PERSON.search(w)], words
        assert [a.label for a in later.actions if a.action == RIGHTS] == ["The person's rights"]
    assert [a.label for a in victims.actions if a.action == RIGHTS] == ["My rights"]


def test_rights_after_the_safety_card_show_the_card_the_answer_chose(conversation):
    """The passage has two cards ("papers if you report", "how long the permit lasts"); the session keeps the answer's choice,
    never the message."""
    session = Session(lang="fr")
    message = "il me frappe maintenant, je suis enfermée, est-ce que je peux avoir des papiers si je porte plainte ?"
    reply = conversation.handle(session, Text(message))
    assert reply.urgent and reply.answer.card is not None and session.last_card == reply.answer.card.id
    assert len(conversation.engine.cards.of_passage(reply.answer.results[0].passage_id, child=False)) >= 2
    assert message not in json.dumps(session.to_dict(), ensure_ascii=False)
    rights = conversation.handle(session, Choice(RIGHTS))
    assert [b.card.id for b in rights.blocks if type(b).__name__ == "RightsCard"] == [reply.answer.card.id]


def test_the_triage_maps_numbers_and_choices_the_same_way(conversation):
    session = Session(lang="es")
    who = conversation.handle(session, Command("guide"))
    assert isinstance(who.blocks[0], Options) and [a.value for a in who.actions] == ["victim", "helper", "professional"]
    need = conversation.handle(session, Text("2"))  # typed number: "I am helping someone"
    assert session.audience == "helper" and len(need.actions) == 8 and all(a.action == TRIAGE for a in need.actions)
    card = conversation.handle(session, Choice(TRIAGE, "minor"))
    assert card.lang == "es" and [b for b in card.blocks if isinstance(b, Passage)]
    services = [r.service.id for b in card.blocks if type(b).__name__ == "Services" for r in b.items]
    assert "child-119" in services


@pytest.mark.parametrize("who, helped", [("victim", False), ("helper", True), ("professional", True)])
def test_the_triage_speaks_to_a_helper_of_the_person_helped(conversation, who, helped):
    """"What do you need most?", "I am under 18" and "your situation" ask a social worker about themselves."""
    session = Session()
    conversation.handle(session, Command("guide"))
    need = conversation.handle(session, Choice(TRIAGE, who))
    words = text_render(need)
    assert ("What does the person need most?" in words) is helped and ("The person is under 18" in words) is helped
    card = conversation.handle(session, Choice(TRIAGE, "papers"))
    assert [b.code for b in card.blocks if type(b).__name__ == "Heading"] == ["card_helped" if helped else "card"]
    if helped:
        assert not SECOND_PERSON.search(text_render(Reply("en", [b for b in card.blocks if type(b).__name__ in ("Heading", "RightsCard")])))


@pytest.mark.parametrize("who", ["victim", "helper"])
def test_safety_now_in_the_triage_is_the_safety_card_alone(conversation, who):
    """A helper who chose "I help someone", then "Safety now", is told of the person's danger, not their own."""
    session = Session()
    conversation.handle(session, Command("guide"))
    conversation.handle(session, Choice(TRIAGE, who))
    reply = conversation.handle(session, Choice(TRIAGE, "safety"))
    assert isinstance(reply.blocks[0], Emergency) and not [b for b in reply.blocks if isinstance(b, Passage)]
    assert [s.id for s in reply.blocks[0].services][:2] == ["police-17", "emergency-112"]
    assert reply.blocks[0].for_helped == (who == "helper")
    assert [SECOND_PERSON.search(r) is None for r in reply.blocks[0].reasons[:1]] == [who == "helper"]


def test_a_message_is_read_for_danger_once_though_the_channel_asks_first(conversation, monkeypatch):
    """The gateway asks whether a message is urgent (never throttled) before it is answered: one reading serves both."""
    engine = conversation.engine
    engine.danger_in.cache_clear()  # another test may have asked the same message of this shared engine
    reads = []
    likeness = engine._danger_by_likeness
    monkeypatch.setattr(engine, "_danger_by_likeness", lambda text, vector: reads.append(text) or likeness(text, vector))
    message = "kusherira ime, 15, sonte e cojne te nje klient ne hotel, ndihme"
    assert not engine.signals.danger_in(message)  # only the likeness reads it: the reading that costs
    assert conversation.urgent(Text(message))
    reply = conversation.handle(Session(), Text(message))
    assert isinstance(reply.blocks[0], Emergency)
    assert reads == [message]


def test_typing_a_question_leaves_the_triage(conversation):
    session = Session()
    conversation.handle(session, Command("guide"))
    conversation.handle(session, Text("Can I work with the residence permit?"))
    assert session.triage_step is None


def test_original_and_full_use_only_stored_ids(conversation):
    session = Session(lang="ro")
    conversation.handle(session, Text("Pot primi acte dacă îmi denunț exploatatorul?"))
    first = session.last_results[0]
    original = conversation.handle(session, Command("original", "1"))
    shown = [b for b in original.blocks if isinstance(b, Passage)]
    assert shown[0].result.passage_id == first and shown[0].original
    full = conversation.handle(session, Choice(FULL, first))
    assert [b.whole for b in full.blocks if isinstance(b, Passage)] == [True]
    forged = conversation.handle(session, Choice(ORIGINAL, "cp-00000000"))
    assert [b.code for b in forged.blocks if isinstance(b, Notice)] == ["no_previous"]


def test_k_sets_how_many_passages_are_shown(conversation):
    session = Session()
    assert conversation.handle(session, Command("k", "4")).blocks[0].code == "k_set"
    reply = conversation.handle(session, Text("compensation for victims of trafficking"))
    assert len([b for b in reply.blocks if isinstance(b, Passage)]) == 4
    for bad in ("0", "11", "x", ""):
        assert conversation.handle(session, Command("k", bad)).blocks[0].code == "bad_k"


def test_help_lists_every_command_the_channels_accept(conversation):
    reply = conversation.handle(Session(), Command("help"))
    listed = {name for b in reply.blocks if isinstance(b, Help) for name, _ in b.commands}
    assert listed == set(COMMANDS) and "forget" in listed and "k" in listed
    repl = Conversation(conversation.engine, channel_commands={"quit": "leave"})
    assert "quit" in {n for b in repl.handle(Session(), Command("help")).blocks if isinstance(b, Help) for n, _ in b.commands}


def test_commands_are_parsed_once_for_every_channel():
    assert parse("/lang@RightsBot fr", "/") == Command("lang", "fr")
    assert parse(":measure 13", ":") == Command("measure", "13")
    assert parse("/ not a command", "/") == Text("/ not a command")
    assert parse("what is L316-1?", ":") == Text("what is L316-1?")


def test_unreadable_and_unknown_inputs_get_a_notice(conversation):
    session = Session(lang="pt")
    assert conversation.handle(session, Unreadable("voice")).blocks[0].code == "not_text"
    assert conversation.handle(session, Command("nonsense")).blocks[0].code == "unknown_command"
    assert conversation.handle(session, Choice("nonsense")).blocks[0].code == "unknown_command"


def test_session_keeps_no_message_text(conversation):
    session = Session(client_lang="fr")
    secret = "Je m'appelle Amina, j'habite 12 rue des Lilas, aidez-moi à obtenir des papiers"
    conversation.handle(session, Text(secret))
    stored = json.dumps(session.to_dict(), ensure_ascii=False)
    for word in ("Amina", "Lilas", "papiers", "aidez"):
        assert word not in stored


def test_forget_erases_the_session_and_asks_the_channel_to_erase(conversation):
    session = Session(lang="ro", audience="victim", triage_need="home", last_results=["cp-22cb7a65"], shown=1)
    reply = conversation.handle(session, Command("forget"))
    assert reply.erase and reply.urgent and reply.blocks[0].code == "forgotten" and reply.lang == "ro"
    assert session == Session()


def test_urgent_inputs_are_danger_and_forget_only(conversation):
    assert conversation.urgent(Command("forget"))
    assert conversation.urgent(Text("I want to die"))
    assert not conversation.urgent(Text("Can I get compensation?"))
    assert not conversation.urgent(Command("sources"))


def test_professional_tools(conversation):
    session = Session()
    measures = conversation.handle(session, Command("measures")).blocks[1].measures
    assert len(measures) == 23 and measures[12]["status"] == "implemented"
    reply = conversation.handle(session, Command("measure", "19"))
    parts = [b.params[0][1] for b in reply.blocks if type(b).__name__ == "Heading"]
    assert "Actions of the State" in parts and "Comments and recommendations of the CNCDH" in parts
    for bad in ("99", "x; drop", ""):
        assert conversation.handle(session, Command("measure", bad)).blocks[0].code == "bad_measure"
    sources = conversation.handle(session, Command("sources")).blocks[1].sources
    assert {s["as_of"] for s in sources} == {"2017-07-06", "2021-02"}


def test_contacts_list_lines_for_professionals_only_to_helpers_and_professionals(conversation):
    victim = conversation.handle(Session(), Command("contacts")).blocks[0]
    helper = conversation.handle(Session(audience="helper"), Command("contacts")).blocks[0]
    assert "acse-professionals" not in {s.id for s in victim.others}
    assert "acse-professionals" in {s.id for s in helper.others}
    assert {"police-17", "emergency-112", "sms-114"} <= {s.id for s in victim.emergency}
    titles = [text_render(Reply("en", [b])).splitlines()[0] for b in (victim, helper)]  # a helper is not the one in danger
    assert titles == ["If you are in danger now:", "If the person is in danger now:"]


def test_a_victims_answer_names_the_services_that_fit_best_helpers_and_professionals_get_all(conversation):
    question = "I am 16, they took my passport and make me work in a restaurant. Can I get compensation?"
    victim = conversation.handle(Session(), Text(question))
    professional = conversation.handle(Session(audience="professional"), Text(
        "A 16-year-old's employer took his passport and makes him work in a restaurant. Can he get compensation?"))
    shown = [[r.service.id for r in b.items] for b in victim.blocks if type(b).__name__ == "Services"]
    assert len(victim.answer.services) > 2 and shown == [[r.service.id for r in victim.answer.services[:2]]]
    assert set(shown[0]) == {"child-119", "labour-inspection"}  # a child made to work: both fit what they told
    assert any(type(b).__name__ == "RightsCard" for b in victim.blocks)
    asked = conversation.handle(Session(), Text("I have no passport, can I still get the residence permit?"))
    shown = [[r.service.id for r in b.items] for b in asked.blocks if type(b).__name__ == "Services"]
    assert shown and len(shown[0]) == 1  # under a card, which already says what to do, one service unless more fit the story
    assert CONTACTS in actions(victim)  # every other service, one tap away
    shown = [len(b.items) for b in professional.blocks if type(b).__name__ == "Services"]
    assert shown == [len(professional.answer.services)]
    helper = conversation.handle(Session(), Text("Soy trabajadora social. Una mujer que acompaño dice que su jefe la obliga a trabajar sin sueldo."))
    shown = [[r.service.id for r in b.items] for b in helper.blocks if type(b).__name__ == "Services"]
    assert "acse-professionals" in shown[0]  # the line for their role is never cut


@pytest.mark.parametrize("message", ["3", "🙏🙏", "?!"])
def test_a_message_with_no_words_asks_for_a_sentence_under_no_empty_heading(conversation, message):
    """"3" typed under the language picker got "Who can help:" over nothing: a message with nothing to search has no
    services, and a heading is shown only over what it heads."""
    reply = conversation.handle(Session(lang="en"), Text(message))
    assert kinds(reply) == ["Notice", "Footer"] and reply.blocks[0].code == "no_words"
    assert "Who can help" not in text_render(reply)
