"""The web chat driven in a real headless Chromium (Debian's chromium and chromium-driver, through selenium),
and its JSON API from another client."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from bot.i18n.ui import ui
from conftest import LOGS, ROOT, free_port, wait_port


def _install(*packages: str) -> None:
    if shutil.which("apt-get") and os.geteuid() == 0:
        subprocess.run(["apt-get", "update", "-qq"], check=False, capture_output=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", *packages], check=True, capture_output=True,
                       env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})


def serve(extra_env: dict | None = None) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, **(extra_env or {})}
    if "REDIS_URL" not in (extra_env or {}):
        env.pop("REDIS_URL", None)
    log = open(LOGS / "bot-web.log", "a")
    process = subprocess.Popen([sys.executable, "-m", "bot.cli", "web", "--listen", f"127.0.0.1:{port}"], cwd=ROOT, env=env,
                               stdout=log, stderr=subprocess.STDOUT)
    wait_port(port, timeout=90)
    return process, f"http://127.0.0.1:{port}"


@pytest.fixture(scope="module")
def web(redis_url):
    process, base = serve({"REDIS_URL": redis_url})
    yield base
    process.terminate()
    process.wait(20)


@pytest.fixture(scope="module")
def browser():
    if not (shutil.which("chromium") and shutil.which("chromedriver")):
        _install("chromium", "chromium-driver")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--window-size=412,915", "--lang=en"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


def api(base: str, body: dict, cookie: str | None = None, origin: str | None = None) -> tuple[int, dict | str, str | None]:
    headers = {"Content-Type": "application/json"}
    if cookie:
        headers["Cookie"] = cookie
    if origin:
        headers["Origin"] = origin
    request = urllib.request.Request(f"{base}/api/message", data=json.dumps(body).encode(), headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read()), response.headers.get("Set-Cookie")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode(), None


def click(driver, element) -> None:
    """As a person would: scroll the button into the middle of the screen, then tap it."""
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    element.click()


def button(driver, label: str):
    from selenium.webdriver.common.by import By

    return [b for b in driver.find_elements(By.CSS_SELECTOR, ".actions button") if b.text == label][-1]


def wait_text(driver, text: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while text not in driver.find_element("id", "log").text:
        assert time.monotonic() < deadline, f"{text!r} never appeared"
        time.sleep(0.2)


def test_a_conversation_in_two_languages_with_triage_original_and_quick_exit(web, browser, redis_url):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    browser.get(web)
    wait_text(browser, "not an emergency service")
    assert len(Select(browser.find_element(By.ID, "lang")).options) == 13
    box = browser.find_element(By.ID, "text")
    box.send_keys("they took my passport, can i still get papers?")
    browser.find_element(By.ID, "send").click()
    wait_text(browser, "📄")
    buttons = [b.text for b in browser.find_elements(By.CSS_SELECTOR, ".actions button")]
    assert "Original text" in buttons and "Contacts" in buttons

    Select(browser.find_element(By.ID, "lang")).select_by_value("ar")
    wait_text(browser, ui("ar").gettext("I will answer in {language}.").format(language="العربية"))
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("dir") == "rtl"
    box.send_keys("هل يمكنني الحصول على مساعدة قانونية مجانية؟")
    browser.find_element(By.ID, "send").click()
    time.sleep(1)
    wait_text(browser, ui("ar").gettext("This bot is not an emergency service. In danger, call 17 or 112, or send a text message to 114."))
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("dir") == "rtl"
    assert browser.find_element(By.ID, "exit").text == ui("ar").gettext("Quick exit")

    tr = ui("ar")
    click(browser, button(browser, tr.gettext("Guide me")))
    wait_text(browser, tr.gettext("Who is asking?"))
    click(browser, button(browser, tr.gettext("I need help for myself")))
    wait_text(browser, tr.gettext("What do you need most?"))
    click(browser, button(browser, tr.gettext("I am under 18")))
    wait_text(browser, "119")
    click(browser, button(browser, tr.gettext("Original text")))
    wait_text(browser, " the ")

    cookies = browser.get_cookies()
    assert [c["name"] for c in cookies] == ["sid"] and cookies[0]["httpOnly"]
    import redis

    store = redis.Redis.from_url(redis_url, decode_responses=True)
    key = f"web:{cookies[0]['value']}:session"
    assert store.exists(key) and store.ttl(key) > 0  # kept, with a time to live

    click(browser, browser.find_element(By.ID, "exit"))
    deadline = time.monotonic() + 30
    while store.exists(key) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not store.exists(key)  # gone from the store
    assert "/api/" not in browser.current_url and not browser.current_url.startswith(web)  # the page is gone too


def test_the_page_has_no_external_assets_and_a_strict_policy(web):
    with urllib.request.urlopen(web, timeout=30) as response:
        html = response.read().decode()
        policy = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "connect-src 'self'" in policy
    assert "http://" not in html.replace("http://127.0.0.1", "") and "https://" not in html.replace("https://www.meteofrance.com/", "")
    assert '<meta name="viewport"' in html


def test_the_api_answers_other_clients_with_the_same_blocks(web):
    status, body, cookie = api(web, {"text": "¿Qué es el trabajo forzoso?", "session": "whatsapp-gateway-user-0001"})
    assert status == 200 and cookie is None
    reply = body["replies"][0]
    assert reply["lang"] == "es" and reply["blocks"][-1]["type"] == "footer"
    assert {a["action"] for a in reply["actions"]} >= {"contacts", "guide"}
    status, body, _ = api(web, {"action": "guide", "session": "whatsapp-gateway-user-0001"})
    assert [b["type"] for b in body["replies"][0]["blocks"]] == ["options"] and body["replies"][0]["lang"] == "es"


@pytest.mark.parametrize("body, origin, status", [
    ({"text": "hello"}, "http://evil.example", 403),
    ({"nothing": 1}, None, 400),
    (["a list"], None, 400),
])
def test_the_api_refuses_other_origins_and_bad_requests(web, body, origin, status):
    assert api(web, body, origin=origin)[0] == status


def test_a_danger_message_is_never_throttled(web):
    session = "flooding-user-000000001"
    codes = []
    for _ in range(10):
        _, body, _ = api(web, {"command": "sources", "session": session})
        codes += [b.get("code") for r in body["replies"] for b in r["blocks"]]
    assert codes.count("slow_down") == 1
    _, body, _ = api(web, {"text": "help he is hitting me right now", "session": session})
    assert body["replies"][0]["urgent"] and body["replies"][0]["blocks"][0]["type"] == "emergency"
