"""The cleaning and segmentation pipeline, run on the real sources."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from bot.corpus.build import build
from bot.textnorm import fold, word_count

from conftest import DATA, ROOT


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("built")
    results = build(out_dir=out).documents
    passages = [json.loads(line) for line in (out / "passages.jsonl").read_text().splitlines()]
    return out, results, passages


def by_doc(results, doc):
    return next(r for r in results if r.source.id == doc)


def test_committed_corpus_is_what_the_pipeline_builds(built):
    out, _, _ = built
    for name in ("passages.jsonl", "measures.json", "cncdh-2017.txt", "country-profile.txt"):
        assert (out / name).read_text() == (ROOT / "corpus" / "built" / name).read_text(), f"corpus/built/{name} is stale: run `bot corpus build`"


def test_every_measure_with_its_status_as_printed(built):
    _, results, _ = built
    measures = {m.number: m for m in by_doc(results, "cncdh-2017").measures}
    assert sorted(measures) == list(range(1, 24))
    assert measures[1].status_printed == "Not" and measures[1].status == "not_implemented"
    assert measures[2].status_printed == "Partially implemented"
    assert measures[13].status == "implemented" and measures[23].status == "implemented"
    assert measures[9].status_printed is None  # no status is printed under measure 9
    assert measures[7].title.startswith("Increase and adapt the solutions")  # heading printed "ME&SURE 7"
    assert measures[22].title == "Ensure coordination of anti-trafficking measures at Département level"
    assert measures[14].title == "Get TRACFIN involved in action against trafficking"


def test_sections_carry_priority_measure_and_part(built):
    _, _, passages = built
    p = next(p for p in passages if "lodged a complaint or provided testimony automatically benefit" in p["text"])
    assert p["section"][0].startswith("Priority 1")
    assert p["section"][1].startswith("Measure 5 —")
    assert p["section"][2] == "Actions of the State" and p["part"] == "actions" and p["measure"] == 5
    comment = next(p for p in passages if p["text"].startswith("Cultural mediation plays a key role"))
    assert comment["part"] == "comments"


@pytest.mark.parametrize("noise", ["|--|", "C١", "ME&SURE", "MESURE", "nationalitý", "compensatioń", "weré", "receipt\u0301",
                                   "²", "¹", "Table of contents", "top of page", "bottom of page", "(MIPROF)1", "CNCDH3", "🏏"])
def test_extraction_noise_is_gone(built, noise):
    _, _, passages = built
    assert not [p["id"] for p in passages if noise in p["text"]]


def test_footnotes_become_notes(built):
    _, _, passages = built
    notes = [p for p in passages if p["kind"] == "notes"]
    assert notes and all(p["section"][-1] == "Notes" for p in notes)
    assert any(p["text"].startswith("[20] Ministry of Justice, Circular of 22 January 2015") for p in notes)


def test_repeated_blocks_are_indexed_once(built):
    _, _, passages = built
    dups = [p for p in passages if p["duplicate_of"]]
    assert any(p["measure"] == 19 for p in dups)
    ids = {p["id"]: p for p in passages}
    for p in dups:
        assert p["duplicate_of"] in ids and ids[p["duplicate_of"]]["duplicate_of"] is None


def test_burkina_faso_lists_are_flagged_and_only_them(built):
    _, results, passages = built
    for p in passages:
        if re.search(r"Ouagadougou|Bobo|Dori\b|Ouahigouya|Banfora|Dédougou", p["text"]):
            assert p["outside_france"] == "Burkina Faso", p["id"]
    flagged = {p["section"][-1] for p in passages if p["outside_france"]}
    assert flagged == {"Shelter", "Psychological and medical assistance", "Reintegration", "Return assistance"}
    assert all(not p["topics"] for p in passages if p["outside_france"])


def test_offsets_point_into_the_cleaned_documents(built):
    out, _, passages = built
    docs = {p["doc"]: (out / f"{p['doc']}.txt").read_text() for p in passages}
    for p in passages:
        assert docs[p["doc"]][p["start"]:p["end"]] == p["text"]


def test_passages_are_paragraph_sized(built):
    _, _, passages = built
    sizes = [word_count(p["text"]) for p in passages]
    assert max(sizes) <= 240
    assert sum(40 <= s <= 200 for s in sizes) / len(sizes) >= 0.85


def test_ids_survive_a_rebuild_and_only_changed_text_changes_id(built, tmp_path: Path):
    _, _, passages = built
    sources = tmp_path / "sources"
    shutil.copytree(ROOT / "corpus" / "sources", sources)
    first = build(out_dir=tmp_path / "a", sources_dir=sources).documents
    raw = sources / "003_0d50926f5802356e.txt"
    raw.write_text(raw.read_text().replace("No cultural mediators have been recruited.", "No cultural mediator has been recruited."))
    second = build(out_dir=tmp_path / "b", sources_dir=sources).documents
    ids_a = {p.id for r in first for p in r.passages}
    ids_b = {p.id for r in second for p in r.passages}
    assert ids_a == {p["id"] for p in passages}
    assert len(ids_a - ids_b) == 1 and len(ids_b - ids_a) == 1


def test_every_gold_passage_of_the_dev_set_is_in_the_corpus(built):
    _, _, passages = built
    corpus = [fold(p["text"]) for p in passages]
    for line in (DATA / "dev.jsonl").read_text().splitlines():
        item = json.loads(line)
        for gold in item["gold"]:
            assert any(fold(gold) in text for text in corpus), (item["id"], gold)


def test_corpus_build_reports_what_it_found():
    from conftest import run_bot
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        shutil.copytree(ROOT / "corpus", home / "corpus")
        result = run_bot("corpus", "build", env={"BOT_HOME": str(home)})
    assert result.returncode == 0, result.stderr
    assert "23 measures" in result.stdout
    assert "[Partially implemented] Ensure victims the possibility of remaining" in result.stdout
    assert "flagged as outside France" in result.stdout and "passages" in result.stdout
