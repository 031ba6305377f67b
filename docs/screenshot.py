"""Take the README's screenshot of the web chat: a phone-sized headless Chromium, one question in Arabic.

    python docs/screenshot.py      # writes docs/web-chat.png

Needs Debian's chromium and chromium-driver (the test suite installs them).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    server = subprocess.Popen([sys.executable, "-m", "bot.cli", "web", "--listen", f"127.0.0.1:{port}"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--window-size=412,880", "--force-device-scale-factor=1"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"), options=options)
    try:
        time.sleep(8)
        driver.get(f"http://127.0.0.1:{port}/")
        time.sleep(2)
        Select(driver.find_element(By.ID, "lang")).select_by_value("ar")
        time.sleep(1)
        driver.find_element(By.ID, "text").send_keys("أخذوا جواز سفري، هل يمكنني الحصول على أوراق؟")
        driver.find_element(By.ID, "send").click()
        time.sleep(4)
        out = ROOT / "docs" / "web-chat.png"
        driver.save_screenshot(str(out))
        print(f"wrote {out}")
    finally:
        driver.quit()
        server.terminate()
        server.wait(20)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
