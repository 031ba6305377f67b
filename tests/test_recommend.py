"""Danger first, recommendations, and the services directory's guarantees."""

from __future__ import annotations

import json

import pytest

from bot.services import DirectoryError, load_services

from conftest import DATA, ROOT

SCENARIOS = [json.loads(line) for line in (DATA / "scenarios.jsonl").read_text().splitlines()]
DANGER = json.loads((DATA / "danger.json").read_text())


def test_scenario_set_is_broad():
    assert len(SCENARIOS) >= 40 and len({s["lang"] for s in SCENARIOS}) >= 8


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s["id"] for s in SCENARIOS])
def test_scenario_recommends_what_fits(engine, scenario):
    answer = engine.ask(scenario["message"], audience=scenario["audience"])
    recommended = [s.id for s in answer.emergency_services] + [r.service.id for r in answer.services]
    assert answer.emergency is scenario["emergency"]
    for sid in scenario["must"]:
        assert sid in recommended, (scenario["id"], recommended)
    for sid in scenario["must_not"]:
        assert sid not in recommended, (scenario["id"], recommended)
    assert len(answer.services) <= 4
    for service in answer.emergency_services + [r.service for r in answer.services]:
        assert service.area == "France"


@pytest.mark.parametrize("lang", sorted(DANGER))
def test_danger_messages_get_the_emergency_card_first_in_every_language(engine, lang):
    for message in DANGER[lang]["danger"]:
        answer = engine.ask(message)
        assert answer.emergency, (lang, message)
        assert [s.id for s in answer.emergency_services] == ["police-17", "emergency-112", "sms-114"]
    for message in DANGER[lang]["not_danger"]:
        assert not engine.ask(message).emergency, (lang, message)


def test_all_thirteen_languages_have_danger_tests():
    assert set(DANGER) == {"en", "fr", "es", "pt", "ro", "bg", "ru", "uk", "ar", "zh", "vi", "sq", "pcm"}


def test_dev_questions_raise_at_most_one_false_emergency(engine, dev_items):
    assert sum(engine.ask(item.question).emergency for item in dev_items) <= 1


def test_emergency_card_comes_before_the_passages_in_every_channel(engine):
    from bot.conversation import AnswerReply
    from bot.i18n.ui import ui
    from bot.render.telegram import render
    from bot.render.text import render_answer

    answer = engine.ask("Help me now, he is beating me")
    text = render_answer(answer)
    assert text.index("17") < text.index("passage ")
    html = render(AnswerReply(answer, answer.results[:1], True), ui("en"))[0].text
    assert html.startswith("🚨")


def test_every_answer_says_the_bot_is_not_an_emergency_service(engine):
    from bot.render.text import render_answer

    for question in ("Can I get compensation?", "football scores", ""):
        assert "not an emergency service" in render_answer(engine.ask(question))


def test_foreign_organisations_are_never_recommended(engine):
    burkina = ["Ouagadougou", "Burkina", "Talitha", "KEEGO", "Keego", "AJBF", "Hèrèdjigui"]
    for question in ("Where can I find a shelter?", "I need psychological and medical help", "I want to go home, who helps with reintegration?",
                     "Which organisations help minors?", "Où trouver un hébergement ?"):
        answer = engine.ask(question)
        names = " ".join(s.name + s.description for s in answer.emergency_services + [r.service for r in answer.services])
        assert not any(b in names for b in burkina)
    for service in engine.services.values():
        if service.source_passage:
            assert not engine.corpus.passages[engine.corpus.by_id()[service.source_passage]]["outside_france"]


@pytest.mark.parametrize("change, problem", [
    ({"source": {"passage": "cp-6fb6e4d1"}}, "outside France"),  # the Burkina Faso shelter list
    ({"description": "A shelter in Ouagadougou."}, "place outside France"),
    ({"source": {"reference": "somewhere"}}, "as-of date"),
    ({"source": {"passage": "cp-00000000"}}, "not in the corpus"),
    ({"area": "Burkina Faso"}, "operate in France"),
    ({"helps_with": ["magic"]}, "unknown help"),
])
def test_directory_validation_refuses_bad_entries(engine, tmp_path, change, problem):
    data = json.loads((ROOT / "corpus" / "services.json").read_text())
    data["services"][0].update(change)
    path = tmp_path / "services.json"
    path.write_text(json.dumps(data))
    with pytest.raises(DirectoryError, match=problem):
        load_services(engine.corpus.passages, engine._foreign_places, path)


def test_directory_entries_cite_sources(engine):
    for service in engine.services.values():
        assert service.source_passage or (service.source_reference and service.source_as_of)


def test_professionals_get_legal_references_and_dated_cautions(engine):
    answer = engine.ask("How does a prefecture handle an L316-1 application?", audience="professional")
    assert any("316-1" in ref for ref in answer.legal_references)
    assert any(r.law_caution for r in answer.results)
    assert not engine.ask("How does a prefecture handle an L316-1 application?").legal_references
