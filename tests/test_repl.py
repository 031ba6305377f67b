"""The REPL, driven as a real process in a pseudo-terminal, and in scripted (pipe) mode."""

from __future__ import annotations

import os
import re
import sys

import pexpect

from conftest import ROOT, run_bot

PROMPT = "❯"
PASSAGE_ID = r"(cp|cncdh)-[0-9a-f]{8}"


def spawn() -> pexpect.spawn:
    env = {**os.environ, "TERM": "xterm", "PROMPT_TOOLKIT_NO_CPR": "1", "COLUMNS": "120", "LINES": "40"}
    child = pexpect.spawn(sys.executable, ["-m", "bot.cli", "repl"], cwd=str(ROOT), env=env, encoding="utf-8", timeout=60,
                          dimensions=(40, 120))
    child.expect("not an emergency service")
    child.expect(PROMPT)
    return child


def test_repl_session_in_two_languages_with_original_and_quit():
    child = spawn()
    child.sendline("Can I stay in France if I testify against my trafficker?")
    child.expect(PASSAGE_ID)
    child.expect(PROMPT)
    child.sendline("Combien de temps est valable le titre de séjour accordé à une victime ?")
    child.expect(PASSAGE_ID)
    child.expect(PROMPT)
    answer_fr = child.before
    assert "titre de séjour" in answer_fr or "séjour" in answer_fr  # the passages in French
    child.sendline(":lang ro")
    child.expect("limba română")  # the language set, named as a sentence writes it
    child.expect(PROMPT)
    child.sendline(":original 1")
    child.expect(PASSAGE_ID)
    child.expect(PROMPT)
    assert " the " in child.before  # the original English text
    child.sendintr()  # Ctrl-C clears the line and keeps the REPL alive
    child.expect(PROMPT)
    child.sendline(":guide")
    child.expect("1\\.")
    child.expect(PROMPT)
    child.sendline("1")
    child.expect("8\\.")
    child.expect(PROMPT)
    child.sendline("8")
    child.expect("119")
    child.expect(PROMPT)
    child.sendline(":quit")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_ctrl_d_leaves_the_repl():
    child = spawn()
    child.sendeof()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_a_command_typed_with_the_other_channels_slash_is_the_command():
    """"/lang" typed from the Telegram bot's habit was a question, and the sources "did not cover" it."""
    result = run_bot("repl", input="/lang\n/contacts\n/quit\nthey took my passport\n")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Choose your language" in out and "116 006" in out
    assert "do not cover" not in out and "passage" not in out  # nothing asked, and nothing read after /quit


def test_scripted_mode_reads_lines_and_prints_plain_answers():
    script = "Qui peut m'aider à obtenir une indemnisation ?\n:contacts\n:measure 13\n:nonsense\n\n:lang xx\n"
    result = run_bot("repl", input=script)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "\x1b[" not in out  # no colour codes when not a terminal
    assert re.search(PASSAGE_ID, out) and "CIVI" in out and "115" in out and "L. 8112-2" in out
    assert "Traceback" not in out + result.stderr
