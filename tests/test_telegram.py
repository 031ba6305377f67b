"""The real bot process against a fake Telegram Bot API server, as users would use it.

One bot process (long polling through its real aiogram HTTP session) serves
every test; each test talks from its own chat.
"""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import time

import pytest

from fake_telegram import FakeTelegram, Sent

from html import escape

from bot.i18n.languages import LANGUAGES
from bot.i18n.ui import ui
from bot.render.messages import NOTICES
from conftest import ROOT

TOKEN = "123456789:TEST-token_abcdefghijklmnopqrstuvwxyz"
chats = itertools.count(5001)


@pytest.fixture(scope="module")
def telegram():
    server = FakeTelegram(TOKEN).start()
    env = {**os.environ, "BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE": server.base, "BOT_POLL_TIMEOUT": "1"}
    env.pop("REDIS_URL", None)
    log = open(ROOT / ".pytest_cache" / "bot-telegram.log", "w") if (ROOT / ".pytest_cache").exists() else subprocess.DEVNULL
    process = subprocess.Popen([sys.executable, "-m", "bot.cli", "telegram"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while not server.calls_of("getUpdates"):
        assert process.poll() is None, "the bot process exited"
        assert time.monotonic() < deadline, "the bot never polled"
        time.sleep(0.1)
    yield server
    process.terminate()
    process.wait(20)
    server.stop()


def settle(server: FakeTelegram, chat: int, count: int, quiet: float = 1.5) -> list[Sent]:
    """Wait for ``count`` messages, then make sure no extra one follows."""
    messages = server.wait_for(chat, count, timeout=60)
    time.sleep(quiet)
    messages = server.sent_to(chat)
    assert len(messages) == count, [m.text[:80] for m in messages]
    return messages


def replies_after(server: FakeTelegram, chat: int, seen: int, quiet: float = 1.5) -> list[Sent]:
    """The messages sent after the first ``seen``, once the bot has gone quiet (a reply may be split)."""
    server.wait_for(chat, seen + 1, timeout=60)
    count = -1
    while count != len(server.sent_to(chat)):
        count = len(server.sent_to(chat))
        time.sleep(quiet)
    return server.sent_to(chat)[seen:]


def labels(sent: Sent) -> list[str]:
    return [b["text"] for b in sent.buttons()]


CONVERSATIONS = [
    # language button, language, question
    ("Français", "fr", "Puis-je obtenir des papiers si je dénonce mon exploiteur ?"),
    ("Español", "es", "¿Puedo obtener papeles si denuncio a mi explotador?"),
    ("Română", "ro", "Pot primi acte dacă îmi denunț exploatatorul?"),
    ("العربية", "ar", "هل يمكنني الحصول على أوراق إذا أبلغت عن مستغلي؟"),
    ("中文（简体）", "zh", "如果我举报剥削我的人，我能拿到居留证件吗？"),
    ("Naijá (Pidgin)", "pcm", "Abeg, I fit get papers if I report di person wey dey use me?"),
]


@pytest.mark.parametrize("button, lang, question", CONVERSATIONS, ids=[c[1] for c in CONVERSATIONS])
def test_a_conversation_in_the_users_language(telegram, engine, button, lang, question):
    chat = next(chats)
    telegram.text(chat, "/start", language_code="en")
    start = settle(telegram, chat, 1)[-1]
    assert "not an emergency service" in start.text and "17" in start.text and "112" in start.text
    assert len(start.buttons()) == 13
    telegram.press(chat, start, button)
    chosen = settle(telegram, chat, 2)[-1]
    assert chosen.text and not chosen.html_errors

    telegram.text(chat, question)
    answer = settle(telegram, chat, 3)[-1]
    expected = engine.ask(question, lang=lang, k=1).results[0]  # what the engine answers, translated
    assert expected.passage_id in answer.text and expected.translation
    assert escape(expected.translation[:60], quote=False) in answer.text
    assert ui(lang).gettext("Unofficial translation into {language}. The original English text is the reference.").format(
        language=LANGUAGES[lang].name) in answer.text
    assert "📄" in answer.text and "passage" not in labels(answer)  # a citation line
    assert "cp-" in answer.text or "cncdh-" in answer.text
    buttons = labels(answer)
    english = ["Original text", "More results", "Contacts", "Guide me"]
    assert buttons == [ui(lang).gettext(label) for label in english] != english  # in the user's language

    telegram.press(chat, answer, buttons[0])  # original text
    original = settle(telegram, chat, 4)[-1]
    assert " the " in original.text

    telegram.press(chat, answer, buttons[1])  # more results
    more = settle(telegram, chat, 5)[-1]
    assert "📄" in more.text and more.text != answer.text

    telegram.voice(chat)
    voice = settle(telegram, chat, 6)[-1]
    assert voice.text == ui(lang).gettext(NOTICES["not_text"]) != NOTICES["not_text"]

    for message in telegram.sent_to(chat):
        assert not message.html_errors, (message.html_errors, message.text[:200])


def test_triage_to_a_recommendation_and_forget(telegram):
    chat = next(chats)
    telegram.text(chat, "/lang es", language_code="ro")
    settle(telegram, chat, 1)
    telegram.text(chat, "/guide")
    who = settle(telegram, chat, 2)[-1]
    assert len(who.buttons()) == 3
    telegram.press(chat, who, who.buttons()[0]["text"])
    need = settle(telegram, chat, 3)[-1]
    assert len(need.buttons()) == 8
    telegram.press(chat, need, need.buttons()[-1]["text"])  # under 18
    card = replies_after(telegram, chat, 3)  # passages and services may take two messages
    text = "\n".join(m.text for m in card)
    assert "119" in text and text.count("📄") == 3 and not any(m.html_errors for m in card)
    assert card[-1].buttons()

    seen = len(telegram.sent_to(chat))
    forget = telegram.text(chat, "/forget")
    done = replies_after(telegram, chat, seen)
    assert len(done) == 1 and done[0].text == ui("es").gettext(NOTICES["forgotten"])
    deletions = [c for c in telegram.calls_of("deleteMessages") if int(c.params["chat_id"]) == chat]
    bot_ids = [m.message_id for m in telegram.sent_to(chat)[:seen]]
    assert len(deletions) == 1 and set(bot_ids) < set(deletions[0].params["message_ids"])  # everything said so far
    assert max(deletions[0].params["message_ids"]) == max(bot_ids) + 1  # up to the /forget message itself
    telegram.text(chat, "/help", language_code="ro")  # the chosen language (es) is forgotten: back to the client's
    helped = replies_after(telegram, chat, seen + 1)
    assert helped[0].text.startswith(escape(ui("ro").gettext(NOTICES["start"]), quote=False))
    assert forget


def test_danger_message_gets_the_emergency_card_first(telegram):
    chat = next(chats)
    telegram.text(chat, "Au secours, ils me frappent", language_code="fr")
    reply = settle(telegram, chat, 1)[-1]
    assert reply.text.startswith("🚨") and reply.text.index("17") < reply.text.index("📄")


def test_rate_limits_server_errors_and_dropped_connections_are_survived(telegram):
    for fault in ([429], [500, 500], ["drop"]):
        chat = next(chats)
        telegram.inject("sendMessage", *fault)
        telegram.text(chat, "Can I get compensation?", language_code="en")
        reply = settle(telegram, chat, 1, quiet=2.5)[-1]
        assert "📄" in reply.text


def test_polling_survives_server_errors_and_a_malformed_update(telegram):
    chat = next(chats)
    telegram.inject("getUpdates", 500)
    telegram.push({"message": {"message_id": "not-a-number", "chat": "broken"}})
    telegram.text(chat, "/contacts", language_code="en")
    reply = settle(telegram, chat, 1)[-1]
    assert "119" in reply.text and "115" in reply.text


def test_a_failing_handler_apologises_in_the_users_language(telegram):
    chat = next(chats)
    telegram.inject("sendMessage", 400)  # the answer is refused: the handler fails
    telegram.text(chat, "Tengo derecho a una indemnización?", language_code="es")
    reply = settle(telegram, chat, 1)[-1]
    assert "📄" not in reply.text and reply.text and not reply.html_errors
    telegram.text(chat, "¿Tengo derecho a una indemnización?", language_code="es")
    assert "📄" in settle(telegram, chat, 2)[-1].text  # and it keeps serving


def test_commands_for_professionals(telegram):
    chat = next(chats)
    telegram.text(chat, "/measures", language_code="en")
    measures = replies_after(telegram, chat, 0)
    assert len(measures) == 1 and "23." in measures[0].text and "Partially implemented" in measures[0].text
    telegram.text(chat, "/measure 13")
    measure = replies_after(telegram, chat, 1)
    assert any("L. 8112-2" in m.text for m in measure) and all(not m.html_errors for m in measure)
    seen = len(telegram.sent_to(chat))
    telegram.text(chat, "/sources")
    sources = replies_after(telegram, chat, seen)
    assert len(sources) == 1 and "2017-07-06" in sources[0].text and "2021-02" in sources[0].text


def test_token_is_never_printed(telegram):
    log = ROOT / ".pytest_cache" / "bot-telegram.log"
    if log.exists():
        assert TOKEN not in log.read_text()
        assert "Can I get compensation" not in log.read_text()  # no message text in logs


def test_an_update_delivered_twice_is_answered_once(telegram):
    chat = next(chats)
    update_id = telegram.text(chat, "Who can help me get compensation?", language_code="en")
    settle(telegram, chat, 1)
    telegram.deliver_again(telegram.history[update_id])
    settle(telegram, chat, 1, quiet=3)


def test_a_user_flooding_the_bot_is_slowed_down_politely(telegram):
    chat = next(chats)
    for _ in range(11):
        telegram.text(chat, "/sources", language_code="fr")
    sent = replies_after(telegram, chat, 0, quiet=2)
    notice = ui("fr").gettext(NOTICES["slow_down"])
    assert [m.text for m in sent].count(notice) == 1, [m.text[-60:] for m in sent]
    assert len(sent) == 9  # eight answers in the window, then one notice; the rest is dropped
    time.sleep(10)
    telegram.text(chat, "/sources", language_code="fr")
    assert "2017-07-06" in replies_after(telegram, chat, 9)[0].text  # served again after the window
