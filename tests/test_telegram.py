"""The real bot process against a fake Telegram Bot API server, as users would use it, and as faults happen.

One bot process (long polling through its real aiogram HTTP session) serves
every test of the module; each test talks from its own chat.
"""

from __future__ import annotations

import itertools
import os
import re
import signal
import subprocess
import sys
import time
from html import escape, unescape

import pytest

from fake_telegram import FakeTelegram, Sent

from bot.i18n.languages import LANGUAGES
from bot.i18n.ui import ui
from bot.render.messages import NOTICES
from bot.telegram.callbacks import Act
from conftest import ROOT, LOGS

TOKEN = "123456789:TEST-token_abcdefghijklmnopqrstuvwxyz"
chats = itertools.count(5001)


def start_bot(server: FakeTelegram, log_name: str, extra_env: dict | None = None) -> subprocess.Popen:
    env = {**os.environ, "BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE": server.base, "BOT_POLL_TIMEOUT": "1", **(extra_env or {})}
    if "REDIS_URL" not in (extra_env or {}):
        env.pop("REDIS_URL", None)
    log = open(LOGS / log_name, "a")
    process = subprocess.Popen([sys.executable, "-m", "bot.cli", "telegram"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    polls = len(server.calls_of("getUpdates"))
    deadline = time.monotonic() + 90
    while len(server.calls_of("getUpdates")) <= polls:
        assert process.poll() is None, "the bot process exited"
        assert time.monotonic() < deadline, "the bot never polled"
        time.sleep(0.1)
    return process


@pytest.fixture(scope="module")
def telegram():
    server = FakeTelegram(TOKEN).start()
    process = start_bot(server, "bot-telegram.log")
    yield server
    process.terminate()
    process.wait(20)
    server.stop()


def settle(server: FakeTelegram, chat: int, count: int, quiet: float = 1.5) -> list[Sent]:
    """Wait for ``count`` messages, then make sure no extra one follows."""
    server.wait_for(chat, count, timeout=90)
    time.sleep(quiet)
    messages = server.sent_to(chat)
    assert len(messages) == count, [m.text[:80] for m in messages]
    return messages


def replies_after(server: FakeTelegram, chat: int, seen: int, quiet: float = 1.5) -> list[Sent]:
    """The messages sent after the first ``seen``, once the bot has gone quiet (a reply may be split)."""
    server.wait_for(chat, seen + 1, timeout=90)
    count = -1
    while count != len(server.sent_to(chat)):
        count = len(server.sent_to(chat))
        time.sleep(quiet)
    return server.sent_to(chat)[seen:]


def visible_length(html: str) -> int:
    """What the person reads: the text without its markup."""
    return len(unescape(re.sub(r"<[^>]+>", "", html)))


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
    tr = ui(lang)
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
    shown = expected.translation_excerpt if expected.excerpt_shorter else expected.translation
    assert escape(shown.strip()[:40], quote=False) in answer.text
    # short: a rights card, one excerpt, the services that fit -- not pages of report
    assert answer.text.count("📄") == 1 and visible_length(answer.text) <= 2400  # under 60% of one Telegram message
    buttons = labels(answer)
    assert tr.gettext("Original text") in buttons and tr.gettext("Contacts") in buttons

    telegram.press(chat, answer, tr.gettext("Original text"))
    original = settle(telegram, chat, 4)[-1]
    assert " the " in original.text

    telegram.press(chat, answer, tr.gettext("More results"))
    more = replies_after(telegram, chat, 4)[-1]
    assert "📄" in more.text and more.text != answer.text

    seen = len(telegram.sent_to(chat))
    telegram.voice(chat)
    voice = replies_after(telegram, chat, seen)[-1]
    assert voice.text == escape(tr.gettext(NOTICES["not_text"]), quote=False)

    for message in telegram.sent_to(chat):
        assert not message.html_errors, (message.html_errors, message.text[:200])


def test_triage_to_a_recommendation_and_forget_erases_everything(telegram):
    chat = next(chats)
    telegram.text(chat, "/lang es", language_code="ro")
    settle(telegram, chat, 1)
    for question in ("¿Puedo tener papeles?", "¿Quién me ayuda?", "¿Tengo derecho a un abogado?", "¿Me pagan algo?", "¿Dónde duermo?"):
        telegram.text(chat, question)  # five quick questions
    replies_after(telegram, chat, 1, quiet=2)
    telegram.text(chat, "/guide")
    seen = len(telegram.sent_to(chat))
    who = replies_after(telegram, chat, seen - 1)[-1]
    assert len(who.buttons()) == 3
    telegram.press(chat, who, who.buttons()[0]["text"])
    need = replies_after(telegram, chat, len(telegram.sent_to(chat)) - 0 - 1)[-1]
    assert len(need.buttons()) == 8
    seen = len(telegram.sent_to(chat))
    telegram.press(chat, need, need.buttons()[-1]["text"])  # under 18
    card = replies_after(telegram, chat, seen)
    text = "\n".join(m.text for m in card)
    assert "119" in text and not any(m.html_errors for m in card)

    seen = len(telegram.sent_to(chat))
    forget = telegram.text(chat, "/forget")
    done = replies_after(telegram, chat, seen)
    assert len(done) == 1 and done[0].text == escape(ui("es").gettext(NOTICES["forgotten"]), quote=False)
    deleted = {i for c in telegram.calls_of("deleteMessages") if int(c.params["chat_id"]) == chat for i in c.params["message_ids"]}
    said = {m.message_id for m in telegram.sent_to(chat)[:seen]}
    assert said <= deleted and 1 in deleted  # everything, from the first message of the conversation
    assert all(m.deleted for m in telegram.sent_to(chat)[:seen])
    assert forget
    telegram.text(chat, "/help", language_code="ro")  # the chosen language (es) is forgotten: back to the client's
    helped = replies_after(telegram, chat, seen + 1)
    assert helped[0].text.startswith(escape(ui("ro").gettext(NOTICES["start"]), quote=False))


def test_danger_gets_the_safety_card_first_and_alone(telegram):
    chat = next(chats)
    telegram.text(chat, "Au secours, ils me frappent", language_code="fr")
    reply = settle(telegram, chat, 1)[-1]
    assert reply.text.startswith("🚨") and "17" in reply.text and "📄" not in reply.text
    assert len(reply.text) <= 1200


@pytest.mark.parametrize("faults", [[429], [500, 500], [502], ["drop"], ["drop_after"]], ids=str)
def test_faults_lose_nothing_and_double_nothing(telegram, faults):
    chat = next(chats)
    telegram.inject("sendMessage", *faults)
    telegram.text(chat, "Can I get compensation?", language_code="en")
    replies = settle(telegram, chat, 1, quiet=3)
    assert "📄" in replies[0].text


def test_polling_survives_server_errors_and_a_malformed_update(telegram):
    chat = next(chats)
    telegram.inject("getUpdates", 500, 502)
    telegram.push({"message": {"message_id": "not-a-number", "chat": "broken"}})
    telegram.text(chat, "/contacts", language_code="en")
    reply = "\n".join(m.text for m in replies_after(telegram, chat, 0))
    assert "119" in reply and "115" in reply


def test_a_refused_answer_becomes_an_apology_and_the_bot_keeps_serving(telegram):
    chat = next(chats)
    telegram.inject("sendMessage", 400)  # the answer is refused
    telegram.text(chat, "Tengo derecho a una indemnización?", language_code="es")
    reply = settle(telegram, chat, 1)[-1]
    assert reply.text == escape(ui("es").gettext(NOTICES["error"]), quote=False)
    telegram.text(chat, "¿Tengo derecho a una indemnización?", language_code="es")
    assert "📄" in replies_after(telegram, chat, 1)[-1].text


def test_every_button_press_is_answered_at_once_even_a_forged_one(telegram):
    chat = next(chats)
    telegram.text(chat, "/sources", language_code="en")
    sent = settle(telegram, chat, 1)[-1]
    forged = ["a:original:cp-00000000", "a:nonsense", "x" * 64, "", "a:lang:xx", "a:triage:minor", "l:fr", "a:more:" + "9" * 50,
              "a:full:../../etc", "a::", "a:original", "🚨🚨", "a:anyway:", "t:victim", "a:rights:1"]
    queries = {telegram.history[telegram.press_data(chat, sent, data)]["callback_query"]["id"] for data in forged}

    def answered() -> set[str]:  # every test's presses are answered on this server: count only these
        return {c.params["callback_query_id"] for c in telegram.calls_of("answerCallbackQuery")} & queries

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and answered() != queries:
        time.sleep(0.2)
    assert answered() == queries
    for message in telegram.sent_to(chat):
        assert not message.html_errors


def test_a_real_button_is_answered_before_its_work(telegram):
    chat = next(chats)
    telegram.text(chat, "/lang", language_code="en")
    picker = settle(telegram, chat, 1)[-1]
    query = telegram.press(chat, picker, "Română")
    settle(telegram, chat, 2)
    answer = next(c for c in telegram.calls_of("answerCallbackQuery")
                  if c.params["callback_query_id"] == telegram.history[query]["callback_query"]["id"])
    sent = telegram.sent_to(chat)[-1]
    assert answer.at <= sent.at


def test_groups_get_one_private_chat_notice_and_nothing_else(telegram):
    group = -1000000000000 - next(chats)
    telegram.text(group, "Can I get papers if I report my exploiter?", language_code="fr", chat_type="supergroup", user_id=99)
    notice = settle(telegram, group, 1)[-1]
    assert notice.text == escape(ui("fr").gettext(NOTICES["private_only"]), quote=False)
    telegram.text(group, "/forget", language_code="fr", chat_type="supergroup", user_id=99)
    telegram.text(group, "/sources", language_code="fr", chat_type="supergroup", user_id=98)
    settle(telegram, group, 1, quiet=3)
    assert not [c for c in telegram.calls_of("deleteMessages") if int(c.params["chat_id"]) == group]


def test_an_update_delivered_twice_is_answered_once(telegram):
    chat = next(chats)
    update_id = telegram.text(chat, "Who can help me get compensation?", language_code="en")
    settle(telegram, chat, 1)
    telegram.deliver_again(telegram.history[update_id])
    settle(telegram, chat, 1, quiet=3)


def test_a_flood_is_slowed_down_with_numbers_but_danger_and_forget_always_pass(telegram):
    chat = next(chats)
    for _ in range(11):
        telegram.text(chat, "/sources", language_code="fr")
    telegram.text(chat, "Au secours, il me frappe maintenant", language_code="fr")
    sent = replies_after(telegram, chat, 0, quiet=2)
    notices = [m for m in sent if "17" in m.text and "114" in m.text and not m.text.startswith("🚨")]
    assert len(notices) == 1 and any(c.isdigit() for c in notices[0].text.split("17")[0])  # "wait N seconds"
    assert sent[-1].text.startswith("🚨")  # the danger message was answered, flood or not
    assert len(sent) == 8 + 1 + 1
    seen = len(sent)
    telegram.text(chat, "/forget", language_code="fr")
    assert replies_after(telegram, chat, seen)[0].text == escape(ui("fr").gettext(NOTICES["forgotten"]), quote=False)


def test_a_long_language_argument_is_not_echoed_back_unbounded(telegram):
    chat = next(chats)
    telegram.text(chat, "/lang " + "🚨" * 3000, language_code="en")
    replies = replies_after(telegram, chat, 0)
    assert replies and all(not m.html_errors for m in replies) and sum(len(m.text) for m in replies) < 2000


def test_token_and_messages_never_reach_the_log(telegram):
    log = (LOGS / "bot-telegram.log").read_text()
    assert TOKEN not in log
    assert "Can I get compensation" not in log and "User5" not in log


def test_an_answer_cut_by_kill_9_is_answered_after_the_restart(tmp_path):
    """Updates are acknowledged only once answered: a killed process finds them again."""
    server = FakeTelegram(TOKEN).start()
    try:
        process = start_bot(server, "bot-telegram-kill.log")
        chat = 9901
        server.inject("sendMessage", "hang")  # the answer is being sent when the process dies
        server.text(chat, "Can I get compensation?", language_code="en")
        deadline = time.monotonic() + 60
        while not any(int(c.params.get("chat_id", 0)) == chat for c in server.calls_of("sendMessage")) and time.monotonic() < deadline:
            if server.faults["sendMessage"] == []:
                break
            time.sleep(0.1)
        time.sleep(1)
        os.kill(process.pid, signal.SIGKILL)
        process.wait(10)
        assert server.sent_to(chat) == []
        process = start_bot(server, "bot-telegram-kill.log")
        replies = settle(server, chat, 1, quiet=3)
        assert "📄" in replies[0].text
        process.terminate()
        process.wait(20)
    finally:
        server.stop()


def test_callback_data_of_every_action_fits_telegrams_limit():
    longest = Act(action="original", value="cncdh-0b4a1c4f").pack()
    assert len(longest.encode()) <= 64
    assert all(len(Act(action="lang", value=code).pack()) <= 64 for code in LANGUAGES)
