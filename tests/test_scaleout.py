"""Scale-out: two bot processes in webhook mode share conversation state through a real Redis."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request

import pytest

from fake_telegram import FakeTelegram

from concurrent.futures import ThreadPoolExecutor
from html import escape

from bot.i18n.ui import ui
from bot.render.messages import NOTICES
from bot.telegram.app import webhook_secret
from conftest import LOGS, ROOT, free_port, wait_port

TOKEN = "987654321:SCALE-token_abcdefghijklmnopqrstuvwx"


@pytest.fixture(scope="module")
def cluster(redis_url):
    server = FakeTelegram(TOKEN).start()
    ports = [free_port(), free_port()]
    env = {**os.environ, "BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE": server.base, "REDIS_URL": redis_url}
    log = open(LOGS / "bot-scaleout.log", "a")
    processes = [
        subprocess.Popen([sys.executable, "-m", "bot.cli", "telegram", "--webhook", f"http://127.0.0.1:{port}/webhook",
                          "--listen", f"127.0.0.1:{port}"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        for port in ports
    ]
    try:
        for port in ports:
            wait_port(port, timeout=60)
        yield server, ports
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(20)
        server.stop()


def post(port: int, update: dict, secret: str = webhook_secret(TOKEN)) -> int:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/webhook", data=json.dumps(update).encode(),
                                     headers={"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": secret})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_a_conversation_alternating_between_two_processes_keeps_its_state(cluster):
    server, (a, b) = cluster
    assert server.webhook_url and server.webhook_url.endswith("/webhook")
    chat = 7001
    steps = [
        (a, lambda: server.text(chat, "/lang ro", language_code="en")),
        (b, lambda: server.text(chat, "Who can help me get compensation?", language_code="en")),
        (a, lambda: server.text(chat, "/guide", language_code="en")),
    ]
    for n, (port, make) in enumerate(steps, 1):
        assert post(port, server.take(make())) == 200
        server.wait_for(chat, n, timeout=60)
    sent = server.sent_to(chat)
    assert "limba română" in sent[0].text  # the language set, named as a sentence writes it
    assert ui("ro").gettext("Original text") in [x["text"] for x in sent[1].buttons()]  # language kept across processes
    who = sent[2]
    assert post(b, server.take(server.press(chat, who, who.buttons()[0]["text"]))) == 200
    need = server.wait_for(chat, 4, timeout=60)[-1]
    assert len(need.buttons()) == 8  # process B knew the triage step set on A
    assert post(a, server.take(server.press(chat, need, need.buttons()[-1]["text"]))) == 200
    server.wait_for(chat, 5, timeout=60)
    time.sleep(2)
    card = "\n".join(m.text for m in server.sent_to(chat)[4:])
    assert "119" in card  # the card for a minor, in Romanian
    assert escape(ui("ro").gettext("What the sources say about your situation:"), quote=False) in card


def test_webhook_refuses_a_request_without_the_secret(cluster):
    server, (a, _) = cluster
    update = server.take(server.text(7002, "hello"))
    assert post(a, update, secret="wrong") == 401
    time.sleep(1)
    assert server.sent_to(7002) == []


def test_the_same_update_sent_to_both_processes_is_answered_once(cluster):
    server, (a, b) = cluster
    chat = 7003
    update = server.take(server.text(chat, "Can I get compensation?", language_code="en"))
    assert post(a, update) == 200 and post(b, update) == 200  # Telegram redelivered it to the other process
    server.wait_for(chat, 1, timeout=60)
    time.sleep(3)
    assert len(server.sent_to(chat)) == 1


def test_forget_is_last_for_every_user_whatever_process_gets_which_update(cluster, redis_url):
    """Per-user order across processes: nothing is answered after "/forget ... done", and nothing is kept."""
    import redis

    server, ports = cluster
    users = list(range(7100, 7110))
    updates = []
    for user in users:
        for text in ("Can I get compensation?", "Who can help me?", "Can I have a lawyer?", "/forget"):
            updates.append(server.take(server.text(user, text, language_code="en")))

    def deliver(n_update: tuple[int, dict]) -> int:
        n, update = n_update
        return post(ports[n % 2], update)

    with ThreadPoolExecutor(max_workers=8) as pool:  # delivered concurrently, to either process
        assert set(pool.map(deliver, enumerate(updates))) == {200}
    done = escape(ui("en").gettext(NOTICES["forgotten"]), quote=False)
    for user in users:
        messages = server.wait_until(user, lambda sent: any(m.text == done for m in sent), timeout=120)
        time.sleep(0.5)
        messages = server.sent_to(user)
        assert messages[-1].text == done, [m.text[:40] for m in messages]
        assert len(messages) == 4
    keys = [k for k in redis.Redis.from_url(redis_url).scan_iter("telegram:71*")]
    assert keys == []


def test_a_malformed_webhook_update_is_logged_without_its_text_or_user(cluster):
    server, (a, _) = cluster
    update = {"update_id": 990001, "message": {"message_id": "not-a-number", "date": 0, "text": "SECRET-MARKER-TEXT my address",
                                               "chat": {"id": 7201, "type": "private"},
                                               "from": {"id": 7201, "is_bot": False, "first_name": "SECRETFIRSTNAME",
                                                        "username": "SECRET_USERNAME"}}}
    post(a, update)
    time.sleep(1)
    log = (LOGS / "bot-scaleout.log").read_text()
    assert "SECRET-MARKER-TEXT" not in log and "SECRET_USERNAME" not in log and "SECRETFIRSTNAME" not in log
