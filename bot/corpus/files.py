"""Names of the files `bot corpus build` writes under ``corpus/built/`` (shared by building and loading)."""

PASSAGES_FILE = "passages.jsonl"
MEASURES_FILE = "measures.json"
MANIFEST_FILE = "manifest.json"
