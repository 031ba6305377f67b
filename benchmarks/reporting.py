"""What every benchmark script shares: its command line and its report.

Each script prints its report as JSON and, with ``--out``, writes it too
(``benchmarks/results/``, where the README's figures come from).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent  # the repository: its scripts import ``bot`` from it, installed or not
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def arguments(doc: str | None) -> argparse.ArgumentParser:
    """A command line described by the script's docstring, with ``--out``; the script adds its own options."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, help="also write the report here as JSON")
    return parser


def publish(report: dict, out: Path | None) -> None:
    """Print the report, and write it to ``out`` when given."""
    text = json.dumps(report, indent=1, ensure_ascii=False)
    print(text)
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text + "\n")
