"""Last of the suite (hence its name): no log line of any bot process, nor of the tests' own process,
holds a person's message or name.  Every bot process the suite starts logs into LOGS."""

from __future__ import annotations

from conftest import LOGS

# Words of the messages and names the suite sends, that no log line has any reason to contain.
MARKERS = (
    "Amina", "Lilas", "passport", "passeport", "compensation?", "indemnización", "hitting me", "frappe", "papeles",
    "SECRET-MARKER", "SECRET_USERNAME", "SECRETFIRSTNAME", "User50", "User71", "User99", "first_name",
)


def test_no_log_line_of_the_suite_holds_a_message_or_a_name():
    logs = sorted(p for p in LOGS.glob("*.log") if p.stat().st_size)
    assert logs, "no bot process logged anything: the scan would prove nothing"
    hits = [(p.name, n, marker) for p in logs for n, line in enumerate(p.read_text(errors="replace").splitlines(), 1)
            for marker in MARKERS if marker in line]
    assert hits == []
