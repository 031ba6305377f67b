"""Danger first, recommendations, and the services directory's guarantees."""

from __future__ import annotations

import json
import re

import pytest

from bot.services import DirectoryError, load_services
from bot.situation import Situation, _alternation, default_signals
from bot.textnorm import fold, fold_pattern

from conftest import DATA, ROOT, SECOND_PERSON

SCENARIOS = [json.loads(line) for line in (DATA / "scenarios.jsonl").read_text().splitlines()]


def test_scenario_set_is_broad():
    assert len(SCENARIOS) >= 80 and len({s["lang"] for s in SCENARIOS}) == 13


def _scenario(s: dict):
    """A scenario the engine is known to get wrong (``known_miss`` says how) must keep failing until it is fixed."""
    marks = [pytest.mark.xfail(strict=True, reason=s["known_miss"])] if s.get("known_miss") else []
    return pytest.param(s, marks=marks, id=s["id"])


@pytest.mark.parametrize("scenario", [_scenario(s) for s in SCENARIOS])
def test_scenario_recommends_what_fits(engine, scenario):
    answer = engine.ask(scenario["message"], audience=scenario["audience"])  # who is asking, as the triage tells
    recommended = [s.id for s in answer.emergency_services] + [r.service.id for r in answer.services]
    assert answer.emergency is scenario["emergency"], (scenario["id"], sorted(answer.danger))
    for sid in scenario["must"]:
        assert sid in recommended, (scenario["id"], recommended)
    for sid in scenario["must_not"]:
        assert sid not in recommended, (scenario["id"], recommended)
    assert len(answer.services) <= 4
    for service in answer.emergency_services + [r.service for r in answer.services]:
        assert engine.services[service.id] is service  # a validated directory entry (every one operates in France)


def test_the_safety_card_comes_first_and_alone_in_every_channel(engine):
    from bot.conversation import Conversation
    from bot.i18n.ui import ui
    from bot.render.text import render
    from bot.reply import Text
    from bot.session import Session
    from bot.telegram.render import render as telegram

    reply = Conversation(engine).handle(Session(), Text("Help me now, he is beating me"))
    text = render(reply)
    assert text.index("17") < text.index("112") and "passage " not in text
    assert telegram(reply, ui("en"))[0].text.startswith("🚨")


@pytest.mark.parametrize("message, must", [
    ("I want to die", "suicide-3114"),
    ("je veux mourir, je n'en peux plus", "suicide-3114"),
    ("I am bleeding a lot and I can't breathe", "samu-15"),
    ("im 15 and he locked me in the room tonight", "child-119"),
    ("ma baddi 3ish ba2a, kel leile bfakker ermi 7ali mn el shebbek", "suicide-3114"),  # Arabic in Latin letters
    ("wo jintian wanshang jiu xiang zisha", "suicide-3114"),  # Mandarin in pinyin
    ("please help, they keep me in the house and the man says if i call police he will find my family", "police-17"),
])
def test_each_kind_of_danger_gets_its_number(engine, message, must):
    answer = engine.ask(message)
    assert answer.emergency and must in [s.id for s in answer.emergency_services]


@pytest.mark.parametrize("message", [
    "jabouni l fransa bach nkhdem f chantier, ma3andich lwra9, chno n9der ndir",
    "3andi 15 3am w jabouni l fransa bach nkhdem f chantier, ma3andich lwra9, chno n9der ndir",
    "lpatron ma khallsnich 3 chhour o kaygoul liya nta m3ando dyoun, chno ndir?",
])
def test_a_calm_question_typed_in_latin_letters_raises_no_alarm(engine, message):
    """Darija typed in Latin letters reads alike to the encoder, calm or not: "they brought me to work on a building
    site, I have no papers, what can I do" got the safety card about someone else, and no answer (found by a
    new-user trial, before the calm Latin-letter examples of 2026-12-08)."""
    answer = engine.ask(message)
    assert not answer.danger and not answer.emergency and answer.results


def test_danger_told_in_latin_letter_russian_is_the_writers_own(engine):
    """"ya zakryta v kvartire ... segodnya nochyu on pridet" (I am locked in the flat, he comes tonight) got the card
    for someone else's danger: "when the person is safe, ask me about their rights"."""
    from bot.conversation import Conversation
    from bot.reply import Text
    from bot.session import Session

    reply = Conversation(engine).handle(Session(), Text("ya zakryta v kvartire, hozyain zabral dokumenty i telefon, segodnya nochyu on pridet s druzyami"))
    assert reply.urgent and "imminent" in reply.answer.danger
    notices = [b.code for b in reply.blocks if type(b).__name__ == "Notice"]
    assert "when_safe" in notices and "when_safe_helped" not in notices


def test_every_answer_says_the_bot_is_not_an_emergency_service(engine):
    from bot.conversation import Conversation
    from bot.render.text import render
    from bot.reply import Text
    from bot.session import Session

    for question in ("Can I get compensation?", "football scores"):
        assert "not an emergency service" in render(Conversation(engine).handle(Session(), Text(question)))


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
    ({"area": "Burkina Faso"}, "France"),
    ({"helps_with": ["magic"]}, "helps_with"),
])
def test_directory_validation_refuses_bad_entries(engine, tmp_path, change, problem):
    data = json.loads((ROOT / "corpus" / "services.json").read_text())
    data["services"][0].update(change)
    path = tmp_path / "services.json"
    path.write_text(json.dumps(data))
    with pytest.raises(DirectoryError, match=problem):
        load_services(engine.corpus.passages, engine.search.foreign_places, path)


def test_directory_entries_cite_sources(engine):
    for service in engine.services.values():
        assert service.source_passage or (service.source_reference and service.source_as_of)


def test_professionals_get_legal_references_and_dated_cautions(engine):
    from bot.conversation import Conversation
    from bot.reply import LegalReferences, Text
    from bot.session import Session

    answer = engine.ask("How does a prefecture handle an L316-1 application?", audience="professional")
    assert any(r.law_caution for r in answer.results)

    def cited(message: str) -> list[str]:
        reply = Conversation(engine).handle(Session(), Text(message))
        return [ref for b in reply.blocks if isinstance(b, LegalReferences) for ref in b.references]

    assert any("316-1" in ref for ref in cited("How does a prefecture handle an L316-1 application?"))  # asked as a professional asks
    assert not cited("How does the prefecture handle my L316-1 application?")  # a victim's own


@pytest.mark.parametrize("message, own", [("My sister is 16. Can she get papers if she reports the people who exploit her?", False),
                                          ("I am 15, can I get papers if I report them?", True),
                                          # a Brazilian "moça" (young woman) of 17: a volunteer got no 119
                                          ("Voluntária: uma moça de 17 anos que acompanho trabalha numa estufa sem receber.", False)])
def test_119_is_never_offered_as_if_a_writer_about_a_child_were_the_child(engine, message, own):
    """Worded about the person helped when the triage says a helper writes, unless the message tells the writer's own
    case ("I am 15"): then the writer is the child, whatever was tapped before."""
    from bot.recommend import WHY

    reasons = {r.service.id: r.why for r in engine.ask(message).services}
    assert reasons["child-119"] in (WHY["child-119"], WHY["child-119-helper"]) and not reasons["child-119"].lower().startswith("you are")
    helper = {r.service.id: r.why for r in engine.ask(message, audience="helper").services}
    assert helper["child-119"] == WHY["child-119" if own else "child-119-helper"]


STORY_THEN_THREAT = (  # written for this test: a past told first, what happens now last
    "Cheguei em França há dois anos com uma senhora que me prometeu trabalho num salão de beleza. Quando cheguei ela ficou "
    "com o meu passaporte e disse que eu lhe devia dinheiro da viagem. Trabalhei todos os dias sem receber e dormia no "
    "armazém do salão. No mês passado fugi e uma amiga deixou-me ficar na casa dela. Agora o marido dela está lá fora no "
    "carro e acabou de me mandar mensagem a dizer que hoje eu não escapo."
)
STORY_THEN_QUESTION = (
    "Cheguei em França há dois anos com uma senhora que me prometeu trabalho num salão de beleza. Ela ficou com o meu "
    "passaporte e o marido dela dizia que me matava se eu fugisse. No ano passado fugi e agora vivo num abrigo, estou "
    "segura. Ainda posso pedir uma indemnização pelo trabalho que fiz sem receber?"
)


def test_a_story_is_read_for_what_happens_now_at_its_end(engine):
    assert engine.ask(STORY_THEN_THREAT).emergency
    assert not engine.ask(STORY_THEN_QUESTION).emergency


@pytest.mark.parametrize("message", ["my boss makes me work 15 hours a day", "mon patron me fait travailler 15 heures par jour",
                                     "Mi jefe me hace trabajar 15 horas al día", "Меня заставляют работать по 14 часов в день",
                                     # Darija, Arabizi and Cyrillic typed in Latin letters got legal aid alone
                                     "الباطرون ما كيخلصنيش و خدا لي الباسبور", "khdamt 3 chhor f lfilaha w ma khallsounich",
                                     "rabotayu na stroike, ne platyat 3 mesyatsa", "rabotya na stroezha i ne mi plashtat",
                                     "l patron kaykhdemni bla flouss",  # Arabizi "without money" was read in Arabic letters only
                                     # "is not paid" said of someone else, or as "receives nothing"
                                     "mi hermana trabaja en una casa y no cobra desde hace meses",
                                     "minha prima trabalha num restaurante e não recebe há 4 meses"])
def test_forced_work_told_in_plain_words_gets_the_labour_inspection_even_unanswered(engine, message):
    answer = engine.ask(message)
    assert "labour-inspection" in [r.service.id for r in answer.services]


@pytest.mark.parametrize("message", ["¿hay algún abogado que no cobra?", "no cobran nada por la consulta?",
                                     "não recebo resposta da associação"])
def test_not_charging_or_not_receiving_an_answer_is_no_forced_work(engine, message):
    assert "labour" not in engine.signals.read(message).kinds


@pytest.mark.parametrize("message, audience", [
    ("inspectrice du travail ici : que prévoit l'article L. 8112-2 du code du travail pour la traite ?", "professional"),
    ("Juriste ici : quelles conditions pose l'article L316-1 du CESEDA pour la carte de séjour ?", "professional"),
    ("Juriste : quelles conditions pose l'article L316-1 du CESEDA ?", "professional"),  # a signature
    ("Inspecteur du travail à Lille, je contrôle un chantier où des ouvriers dorment sur place.", "professional"),
    ("l'inspecteur du travail est venu sur le chantier, j'ai peur de lui parler, je n'ai pas de papiers", None),
    ("inspecteur du travail ja l chantier, khft nhder m3ah 7it ma3ndich wra9", None),  # Arabizi, French words
])
def test_naming_a_professional_is_not_saying_you_are_one(engine, message, audience):
    assert engine.ask(message).audience == audience


@pytest.mark.parametrize("message, audience", [
    ("Inspectrice du travail : quelles sont les conditions de l'article L316-1 du CESEDA ?", "professional"),  # French spacing
    ("Bonjour, juge des enfants : un mineur forcé à voler peut-il être protégé ?", "professional"),
    ("Police officer here - how do I refer a victim to the Ac.Sé scheme?", "professional"),
    ("Инспектор труда, Лион - на стройке паспорта у бригадира. Это торговля людьми?", "professional"),
    ("劳动监察员——餐厅老板扣了厨师的护照，这算人口贩卖吗？", "professional"),
    ("Соціальна працівниця: дівчинці 14 років, тітка змушує її жебракувати. Куди повідомити?", "helper"),
    ("Mediator sanitar: o familie cu copii e pusa sa cerseasca. Este trafic?", "helper"),
    ("Avocat : est-ce que j'ai droit à un avocat gratuit ?", None),  # the role word repeated is the topic
    ("Police : j'ai peur d'y aller, ils vont me renvoyer ?", None),  # an institution, not a role
    ("Policía: ¿me van a deportar si denuncio?", None),
    ("Soy agente de la policía judicial: ¿qué oficina investiga la trata laboral?", "professional"),  # "de la" was not read
    ("la agente de la policía me dijo que vuelva mañana, ¿tengo derecho a un abogado?", None),
    ("Lawyer: do i have right to a free one? i have no money", None),  # a service the victim asks for, not a role
    ("Abogado - no tengo plata, me dan uno gratis??", None),
])
def test_a_role_signing_the_message_says_who_asks(engine, message, audience):
    """Professionals often open with their role and a colon or a dash, as in an e-mail."""
    assert engine.ask(message).audience == audience


def test_the_kinds_the_phrases_read_lead_the_safety_card(engine):
    """Likeness also read "medical" in a confinement typed in Latin letters: SAMU 15 led the card, 17 came last."""
    answer = engine.ask("pomogite, menya derzhat v kvartire i ne vypuskayut, on skoro vernetsya")
    card = [s.id for s in answer.emergency_services]
    assert card[0] == "police-17" and "imminent" in engine.danger_said(answer.question)


def test_of_the_kinds_likeness_alone_reads_the_likeliest_leads_the_safety_card(engine):
    """Likeness read a threat and a wish to die in "I escaped, I think they follow me", the threat the likelier:
    the suicide line led the card, as it does for someone on a roof."""
    from bot.recommend import safety_card

    threat = Situation(danger=frozenset({"imminent", "self_harm"}), danger_likeliest="imminent")
    despair = Situation(danger=frozenset({"imminent", "self_harm"}), danger_likeliest="self_harm")
    assert [s.id for s in safety_card(engine.services, threat, None)[0]][:2] == ["police-17", "emergency-112"]
    assert [s.id for s in safety_card(engine.services, despair, None)[0]][0] == "suicide-3114"
    followed = "me escape del depa hace 20 min estoy en una estacion de metro y creo q me siguen"
    assert not engine.danger_said(followed) and engine.danger_in(followed)[0] == "imminent"
    assert engine.ask(followed).emergency_services[0].id == "police-17"


@pytest.mark.parametrize("message", [
    "moya sestra rabotaet bez deneg, chto ej delat?", "sestra mi raboti bez pari",
    "ukhti khdama f dar w ma kaykhallsouhach",
])
def test_someone_asking_for_a_sister_in_latin_letters_is_a_helper(engine, message):
    """Typed in Latin letters, "my sister works without pay" was read as the writer's own situation."""
    assert engine.ask(message).audience == "helper"


@pytest.mark.parametrize("message, helper", [
    ("муж моей сестры привез меня, я работаю у них дома бесплатно. это законно?", False),
    ("my sister's husband brought me here, i work in their house for free, is that legal?", False),
    ("el marido de mi hermana me trajo, trabajo en su casa gratis", False),
    ("le mari de ma cousine m'a fait venir en France, je travaille chez eux sans salaire", False),
    ("my sister's boss took her passport, can she get papers?", True),
    ("паспорт моей сестры у хозяина, что ей делать?", True),
    ("زوج اختي جابني لفرنسا، نخدم عندهم بلا خلصة", False),
    ("chồng của em gái tôi đưa em sang Pháp, em làm không lương", False),
    ("الباطرون ديال اختي خدا ليها الباسبور، واش تقدر تاخذ الوراق؟", True),
    ("ông chủ của em gái tôi giữ hộ chiếu của nó, em ấy có thể xin giấy tờ không?", True),
])
def test_a_relatives_husband_who_brought_the_writer_does_not_make_a_helper(engine, message, helper):
    """ "My sister's husband brought me" is the writer's own situation: read as a helper, a victim was told about
    "the person you help" and given the line for professionals."""
    answer = engine.ask(message)
    assert (answer.audience == "helper") is helper
    assert ("acse-professionals" in [r.service.id for r in answer.services]) is helper


@pytest.mark.parametrize("message, service", [
    ("fin nbat had lil? ma3ndi fin nmchi", "shelter-115"),  # Darija in Arabizi
    ("gde mne segodnya nochevat? mne nekuda idti", "shelter-115"),  # Russian, Ukrainian, Bulgarian in Latin letters
    ("de meni nochuvaty sohodni? nemaye kudy ity", "shelter-115"),
    ("de spat dnes? nyamam kude da spya", "shelter-115"),
    ("bghit nrje3 lbladi, chkoun y3awni?", "ofii-return"),
    ("hochu vernutsya domoy, kto pomozhet?", "ofii-return"),
    ("Est-ce que je peux être hébergée en sécurité loin de mon proxénète ?", "acse-shelter"),  # a need as a verb
])
def test_a_need_typed_in_latin_letters_gets_its_service(engine, message, service):
    """A bed for tonight asked in Arabizi or in transliteration got France Victimes alone, not 115."""
    assert service in [r.service.id for r in engine.ask(message).services]


@pytest.mark.parametrize("message", [
    "je veux rentrer au Cameroun, qui peut m'aider ?",
    "Assistante sociale : une femme que j'accompagne veut rentrer au Cameroun, qui peut l'aider ?",
    "I want to go back to Cameroon, who can help me?",
])
def test_going_home_to_a_named_country_is_answered_with_the_return_help(engine, message):
    """Naming the country one wants to go back to made it a question about a place abroad, refused."""
    answer = engine.ask(message)
    assert not answer.abstained and "ofii-return" in [r.service.id for r in answer.services]


@pytest.mark.parametrize("message, going_home", [
    ("我在美甲店工作，老板拿走了我的护照，我可以报警吗？会被遣返吗？", False),  # "will I be deported?"
    ("j'ai peur d'être rapatriée si je porte plainte contre mon patron", False),
    ("老板说你敢报警就把你遣返回国", False),
    ("em sợ bị đưa về nước nếu báo công an", False),
    ("em muốn về nước, ai giúp em?", True),
    ("我想回国，谁能帮我买机票？", True),
    ("je voudrais être rapatriée dans mon pays, qui peut m'aider ?", True),
])
def test_fearing_deportation_is_not_asking_to_go_home(message, going_home):
    """"Will I be deported?" got the assisted return to go home: fear of being sent back is not the wish to go."""
    assert ("return_home" in default_signals().read(message).needs) is going_home


def test_a_heading_a_victim_writes_is_never_taken_for_a_role():
    """Of 195 messages written apart ("Lawyer: do I have right to a free one?" against "Avocate : ..."), no victim is
    read as a helper or a professional, and most who sign with their role are recognised."""
    signals = default_signals()
    items = [json.loads(line) for line in (DATA / "roles.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    read = [(item["expect"], signals.read(item["text"]).audience) for item in items]
    assert [got for expect, got in read if expect == "victim" and got not in (None, "victim")] == []
    recognised = sum(got == expect for expect, got in read if expect != "victim")
    assert recognised >= 0.7 * 130


def test_someone_who_writes_about_a_relative_or_a_neighbour_is_read_as_helping():
    """Of 156 messages written apart (13 languages: 91 about a sister, a cousin, the girl next door, a client; 65 of
    victims who name a relative: "my aunt brought me here and keeps my pay"), no victim is read as helping, and most
    who write about someone else are: the card then speaks of "the person", not "you".  Measured blind: 24 of 91."""
    signals = default_signals()
    items = [json.loads(line) for line in (DATA / "helpers.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    read = [(item["expect"], signals.read(item["text"]).audience) for item in items]
    assert [got for expect, got in read if expect == "victim" and got not in (None, "victim")] == []
    assert sum(got == "helper" for expect, got in read if expect == "helper") >= 0.85 * 91


@pytest.mark.parametrize("message", [
    # a child's age below ten, said about the child ("the child is 3"), in every script
    "ребёнку 3 года, температура 40, хозяин не выпускает нас к врачу",
    "детето е на 3 години, има висока температура и не ни пускат да излезем",
    "дитині 3 роки, у неї судоми, а нас не випускають з квартири",
    "copilul are 3 ani, face febră mare și nu ne lasă să ieșim",
    "fëmija është 3 vjeç, ka ethe të larta dhe nuk na lënë të dalim",
    "con tôi 3 tuổi đang sốt cao co giật, họ không cho chúng tôi ra ngoài",
    "孩子3岁，高烧抽搐，老板不让我们出门看医生",
    "الطفل عمره 3 سنوات عنده حرارة عالية وتشنجات وما خلونا نطلع",
    "di pikin na 3 years, hot body dey shake am and madam no gree make we comot",
    # a word of origin between the child and the age: a helper's "a Brazilian boy of 17" was no minor, "a boy of 17" was
    "Sou assistente social, um rapaz brasileiro de 17 anos trabalha numa padaria sem receber. Que proteção existe?",
    "soy voluntaria, una chica rumana de 16 años limpia casas sin sueldo, a quien la mando?",
    "една българска девойка на 16 години работи без пари в ресторант, какво да направя?",
    "một cô gái Việt Nam 16 tuổi làm việc không lương ở tiệm nail, tôi có thể giúp gì?",
    "一个16岁的越南女孩在餐馆打工没有工资，我能帮她做什么？",
    # the languages answered in English, whose ages no phrase read: a social worker's "un ragazzo di 16 anni" got
    # only the CIVI ("ich bin 15 Stunden am Tag", "ho 17 anni di esperienza" are no age: the next test)
    "Sono un'operatrice sociale. Un ragazzo di 16 anni del Bangladesh lavora in un ristorante senza paga: chi posso chiamare?",
    "Ich bin 16 und muss jede Nacht in einem Restaurant putzen, ohne Geld. Wer hilft mir?",
    "16 yaşındayım, patronum pasaportumu aldı ve bana para vermiyor. Ne yapabilirim?",
    "mam 16 lat, zabrali mi paszport i każą pracować bez pieniędzy. co mogę zrobić?",
])
def test_a_childs_age_marks_a_minor_as_people_write_it(engine, message):
    """An age told as people write it marks a minor as "I am 15" does: 119 joins the safety card, or leads the
    services."""
    answer = engine.ask(message)
    assert answer.minor
    assert "child-119" in [s.id for s in answer.emergency_services] + [r.service.id for r in answer.services]


@pytest.mark.parametrize("message", ["ich bin 15 Stunden am Tag in der Küche", "ho 17 anni di esperienza come cuoca",
                                     "mam 12 lat pracy w budowlance", "ich bin 16 Jahre in Frankreich"])
def test_hours_and_years_of_work_are_no_age(message):
    assert not default_signals().read(message).minor


def test_the_danger_threshold_lets_at_most_the_allowed_share_of_the_bank_raise_the_alarm():
    import numpy as np

    from bot.fit import _alarm_threshold

    scores = np.array([0.9, 0.5, 0.4, 0.3, 0.2, 0.1, 0.0, -0.1, -0.2, -0.3])
    phrases = np.array([False, True] + [False] * 8)  # one alarm already raised by a curated phrase
    threshold = _alarm_threshold(scores, phrases, 0.3)  # 3 of 10 allowed: the phrase's and two more
    assert ((scores >= threshold) | phrases).sum() == 3 and threshold > 0.3
    assert not (scores[~phrases] >= _alarm_threshold(scores, phrases, 0.1)).any()  # the phrase uses the whole share


def test_likeness_leaves_a_message_out_of_its_own_neighbours(engine):
    """Fitting scores each danger example with itself left out: otherwise every example is its own nearest."""
    import numpy as np

    from bot.danger import likeness

    index = engine.search.index
    first = np.array([0])
    vector = index.danger.reconstruct_n(0, 1)
    kept = likeness(index, vector, engine.danger.telling)
    left_out = likeness(index, vector, engine.danger.telling, own_example=first)
    assert kept != left_out


@pytest.mark.parametrize("text, copy", [
    ("em bị đánh, họ nhốt em trong nhà", "em bi danh, ho nhot em trong nha"),  # đ is a letter NFKD keeps whole
    ("je suis là", "je suis la"),  # copied; the encoder then reads it the same, so the index keeps none
    ("mon patron garde mon passeport, je peux porter plainte ?", None),  # too few marks to read differently
    ("老板打我", None),
    ("шефът ме бие", None),
])
def test_a_message_typed_without_its_marks(text, copy):
    from bot.typed import typed_copy

    assert typed_copy(text) == copy


def test_vietnamese_typed_without_tone_marks_has_danger_units_of_its_own(engine):
    """The encoder reads unmarked Vietnamese as another text: its examples and bank questions get unmarked copies;
    French ones, read the same unmarked, get none (a copy would only count its original twice)."""
    import numpy as np

    from bot.danger import load_examples
    from bot.typed import typed_copy

    index = engine.search.index
    examples = load_examples()
    copied = set(index.danger_copy_of_example[index.danger_copy_of_example >= 0].tolist())
    marked = {lang: [i for i, e in enumerate(examples) if e.lang == lang and typed_copy(e.text)] for lang in ("vi", "fr")}
    assert len(copied & set(marked["vi"])) >= 0.8 * len(marked["vi"]) >= 200
    assert len(copied & set(marked["fr"])) <= 0.05 * len(marked["fr"])
    unit = int(np.nonzero(index.danger_copy_of_example >= 0)[0][0])
    example = examples[int(index.danger_copy_of_example[unit])]
    assert index.danger_kinds[unit] == example.kind
    assert float(index.danger.reconstruct(unit) @ engine.vector(typed_copy(example.text))) > 0.99
    assert (index.danger_copy_of_question >= 0).sum() >= 200 and (index.danger_kinds[index.danger_copy_of_question >= 0] == "none").all()


def test_fitting_leaves_a_bank_question_out_with_its_unmarked_copy(engine):
    """A bank question scored for the threshold must not find its own unmarked copy among the messages not in danger."""
    import numpy as np

    from bot.danger import likeness

    index = engine.search.index
    units = np.nonzero(index.danger_copy_of_question >= 0)[0]
    rows = index.danger_copy_of_question[units]
    vectors = np.stack([index.bank.reconstruct(int(r)) for r in rows])
    alone = likeness(index, vectors, engine.danger.telling, own_question=rows)
    with_copy = likeness(index, vectors, engine.danger.telling, own_question=rows, own_example=units)
    assert (with_copy >= alone).all() and (with_copy > alone).sum() >= 10  # 6% of copies are among their question's nearest


@pytest.mark.parametrize("word, danger", [
    ("more", False), ("encore", False), ("plus", False), ("stop", False), ("no", False), ("ещё", False), ("...", False),
    ("help", True), ("au secours", True), ("救命", True), ("pomogite", True), ("cuu", True),
])
def test_a_message_of_one_word_is_read_by_the_phrases_only(engine, word, danger):
    """"more" typed instead of the command raised the suicide line: one word has no meaning for the likeness to read."""
    assert bool(engine.ask(word).danger) == danger


def test_no_question_the_sources_answer_is_taken_for_chat(engine):
    """Chat needs every word to be a greeting, thanks, "ok", "next"...: no question of the bank, in any language, is
    (the negative bank's "bonjour ça va ?" is)."""
    from bot.bank import load_bank

    signals = default_signals()
    bank = load_bank(engine.corpus.passages)
    assert len(bank.questions) > 8000
    assert [q.question for q in bank.questions if signals.chat(q.question)] == []
    assert signals.chat("bonjour ça va ?") is not None


def test_no_danger_example_or_message_is_taken_for_chat():
    """Chat is read for danger by the phrases alone, so no farewell of despair may pass for one: "tạm biệt, xin lỗi má"
    ("goodbye, sorry mom") did, while "sorry" and "ma" were words that add nothing."""
    from bot.danger import load_examples

    signals = default_signals()
    texts = [e.text for e in load_examples() if e.kind != "none"]
    for name in ("danger_messages.jsonl", "danger_held_out.jsonl", "danger_third.jsonl", "danger_fourth.jsonl", "danger_minors.jsonl", "danger_needs.jsonl"):
        texts += [d["text"] for line in (DATA / name).read_text(encoding="utf-8").splitlines()
                  if (d := json.loads(line))["kind"] != "none"]
    assert len(texts) > 2000
    assert [t for t in texts if signals.chat(t)] == []


def test_chat_is_recognised_in_every_language_and_never_swallows_a_message():
    """Held-out chat: a greeting, thanks, goodbye, "ok", "next" or "I don't get it" gets its reply; a message that says
    anything more never does."""
    items = [json.loads(line) for line in (DATA / "chat.jsonl").read_text(encoding="utf-8").splitlines()]
    signals = default_signals()
    assert len({i["lang"] for i in items}) == 13
    assert [i["text"] for i in items if i["kind"] == "none" and signals.chat(i["text"])] == []
    found = [(i, signals.chat(i["text"])) for i in items if i["kind"] != "none"]
    # "chao" greets in Vietnamese and takes leave in Bulgarian: the language the person writes in decides (tested apart)
    assert all(c.kind == i["kind"] or i["lang"] in c.parting for i, c in found if c is not None)
    phrased = [c for i, c in found if i["kind"] != "about"]  # the short kinds, which curated phrases can list
    assert len(phrased) > 400 and sum(c is not None for c in phrased) >= 0.95 * len(phrased)
    about = [c for i, c in found if i["kind"] == "about"]  # questions about the bot are sentences: phrases catch few (0.26)
    assert len(about) >= 70 and sum(c is not None for c in about) >= 0.2 * len(about)


@pytest.mark.parametrize("message, danger", [
    ("ok bye, see you", False), ("thanks, bye", False), ("пока", False), ("bye forever, I can't go on", True),
])
def test_chat_alone_is_read_by_the_phrases_only(engine, message, danger):
    """Likeness put goodbyes next to farewells of despair; the phrases still read a farewell that says more."""
    assert engine.in_danger(message) == danger


def test_everyday_chat_messages_rarely_raise_the_alarm(engine):
    """Held-out short chat messages ("thanks a lot!", "next pls", "не разбрах"), written blind: before the look-alikes
    of chat, 39% raised the alarm, most of them with the suicide line."""
    import json

    items = [json.loads(line) for line in (ROOT / "tests" / "data" / "danger_chat.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(items) >= 200 and len({i["lang"] for i in items}) == 13
    alarms = [i["text"] for i in items if engine.in_danger(i["text"])]
    assert len(alarms) <= 0.1 * len(items), alarms


@pytest.mark.parametrize("field", ["told", "danger_now"])
def test_a_situation_told_or_a_question_telling_danger_is_never_taken_for_a_message_not_in_danger(engine, field):
    """The bank's situations told without a question ("the boss keeps our passports, we sleep at the site") and
    its questions that tell of danger now ("they keep me in the flat, is there a free number?") teach retrieval,
    but as "not danger now" neighbours they hid danger told alike: the danger model leaves them out."""
    from bot.bank import load_bank
    from bot.index.build import bank_table

    bank = load_bank(engine.corpus.passages)
    marked = {q.question for q in bank.questions if getattr(q, field)}
    texts = bank_table(engine.corpus, bank)["texts"]
    rows = [i for i, t in enumerate(texts) if t in marked]
    assert len(rows) >= 50 and engine.danger.telling[rows].all()
    assert engine.danger.telling.sum() < 250  # the danger examples in the bank, those two kinds, not every question


def test_a_danger_model_fitted_on_another_bank_is_refused(engine):
    import dataclasses

    from bot.danger import load_model
    from bot.retrieval.fusion import ModelError

    index = engine.search.index
    other = dataclasses.replace(index, fit={**index.fit, "danger": {**index.fit["danger"], "bank_questions": 3, "telling": [0]}})
    with pytest.raises(ModelError, match="fitted on 3 bank questions"):
        load_model(other)


@pytest.mark.parametrize("message, minor_on_card", [
    ("my neighbour's girl, about 14, is screaming now, he is hitting her", True),
    ("моя соседка, ей 15, сейчас кричит, он её бьёт", True),
    ("kusherira ime, 15, sonte e cojne te nje klient ne hotel, ndihme", True),
    ("he locked me in the room at 16h and says he will kill me tonight", False),
    ("we are 15 people locked in this flat, he has a knife and says he will kill us now", False),
])
def test_a_number_that_may_be_a_childs_age_puts_119_on_a_danger_card_only(engine, message, minor_on_card):
    """In a message telling of danger, a number from 10 to 17 that is not a quantity (an hour, people, money)
    may be a child's age: 119 joins the card. It never makes the writer a minor, nor a rights question a danger."""
    answer = engine.ask(message)
    assert answer.emergency
    assert answer.minor is default_signals().read(message).minor  # an age the phrases do not name stays a "possible" one
    assert ("child-119" in [s.id for s in answer.emergency_services]) is minor_on_card
    calm = engine.ask(message.split(",")[0] + ", what are her rights in France?")
    assert "child-119" not in [s.id for s in calm.emergency_services]


@pytest.mark.parametrize("message, minor", [
    ("انا مواليد 2009 وصاحب الورشة قفل علينا المخزن", True),
    ("ya 2010 roku narodzhennya, vtekla vid nyh", True),
    ("née en 2012, je dors chez eux et je fais le ménage", True),
    ("ya narodzhenyj 2011 roku, hazyain zabrav pasport", True),
    ("ana mzyouda 2012 w khdama f dar bla khlass", True),
    ("born in 1995, they keep my passport", False),
    ("I came to France in 2019 and they keep my passport", False),
])
def test_a_year_of_birth_marks_a_minor_by_this_years_date(message, minor):
    assert default_signals().read(message).minor is minor


@pytest.mark.parametrize("message", [
    "j'ai 15 ans, je suis sur le toit maintenant et je vais sauter",
    "j'ai 14 ans je suis sur le pont je veux sauter",  # 8 words without the age: before, too few to be read again
])
def test_a_young_persons_danger_is_read_with_the_age_weighing_half(engine, message):
    """"j'ai 15 ans" leads the message and the encoder put it among the bank's calm questions of teenagers: read whole,
    this message was not danger. Held-out, 130 teenagers' messages: recall 0.865 -> 0.962, false alarms unchanged."""
    assert not engine.danger.kinds_of(engine.vector(message)[None, :], engine.search.index)  # the whole message alone
    answer = engine.ask(message)
    assert "self_harm" in answer.danger and answer.minor
    assert {"suicide-3114", "child-119"} <= {s.id for s in answer.emergency_services}


def test_a_teenager_telling_calmly_of_being_made_to_beg_is_not_in_danger_now(engine):
    """Read whole, the age led "I am 16 and they make me beg in the street" to the teenagers' danger examples; the age
    weighing half, it is a minor's exploitation told (119), not danger now (the teenagers' false alarms: 10.3% -> 9.0%)."""
    message = "Jam 16 vjeç dhe më detyrojnë të lyp në rrugë"
    assert engine.danger.kinds_of(engine.vector(message)[None, :], engine.search.index)  # the whole message alone
    answer = engine.ask(message)
    assert not answer.danger and answer.minor and "child-119" in {r.service.id for r in answer.services}


def test_an_age_is_left_out_only_where_one_is_told():
    assert default_signals().without_age("im 14 and my uncle is hitting me") is not None
    assert default_signals().without_age("my uncle is hitting me") is None


@pytest.mark.parametrize(("message", "left"), [
    ("am 15 ani si ma pun sa cersesc in fiecare zi", "ma pun sa cersesc in fiecare zi"),
    ("j'ai 14 ans, et ils me font mendier", "ils me font mendier"),
    ("мені 15 і мене б'ють", "мене б'ють"),
    ("我15岁，而且他们打我", "他们打我"),
    ("im 14 and andrew hits me", "andrew hits me"),  # a word that only starts like one is kept
    ("my boss hits me and i am 15 and scared", "my boss hits me and and scared"),  # only where what is left starts
])
def test_the_word_joining_an_age_to_the_rest_goes_with_it(message, left):
    """What is left of a message telling an age is counted as a scene or a fragment (bot.engine): "si", "et", "and"
    joined the age and are no part of it ("am 15 ani si ma pun sa cersesc in fiecare zi" read as a scene, and a
    15-year-old made to beg got the suicide line when 295 more bank questions moved the danger threshold)."""
    assert " ".join(default_signals().without_age(message).split()) == " ".join(fold(left).split())


@pytest.mark.parametrize("message", [
    "honestly my family would be better off without me",
    "ce serait plus simple pour tout le monde si je n'étais plus là",
    "quiero desaparecer para siempre, nadie me extrañaría",
    "всем будет лучше без меня",
    "没有我大家会过得更好",
    "em chỉ là gánh nặng cho cả nhà",
])
def test_a_wish_to_die_told_without_the_word_is_read_as_self_harm(message):
    """People rarely write "suicide": "better off without me", "disappear forever", "a burden" are the words."""
    assert "self_harm" in default_signals().danger_in(message)


@pytest.mark.parametrize("message", [
    "I am a social worker. A girl I support is on a bridge and says she will jump",
    "Je suis assistante sociale. Une jeune que je suis est sur un pont et dit qu'elle va sauter",
    "mi amiga está en el puente y dice que va a saltar",
    "minha amiga está na ponte e diz que vai pular",
    "prietena mea e pe pod si zice ca o sa sara",
    "Девушка, которую я сопровождаю, стоит на мосту и говорит, что прыгнет",
    "моя подруга стоїть на мосту і каже, що стрибне",
    "приятелката ми е на моста и казва, че ще скочи",
    "shoqja ime është mbi urë dhe thotë se do të hidhet",
    "انا واقفة على الجسر وبدي اقفز",
    "أنا على الكوبري وعايزة أنط",
])
def test_someone_on_a_bridge_who_will_jump_gets_the_suicide_line(engine, message):
    """A social worker's "she is on a bridge and says she will jump" got no 3114 (English, Russian) or no card at all
    (French): no word of dying is said, the place and the jump are."""
    assert "self_harm" in default_signals().danger_in(message)
    assert "suicide-3114" in [s.id for s in engine.ask(message).emergency_services]


@pytest.mark.parametrize("message", [
    "I jumped from the window to escape last year", "we sleep on the roof of the building site, can I get papers?",
    "sur le pont du bateau on travaillait 15 heures", "sur le toit du chantier on dort, je peux sauter une étape ?",
    "he made me jump the fence at the border", "كنا نشتغل فوق السطح طول النهار بلا خلاص",
])
def test_a_roof_a_bridge_or_a_jump_alone_is_no_wish_to_die(message):
    assert "self_harm" not in default_signals().danger_in(message)


@pytest.mark.parametrize("message, another", [
    ("A woman I support wants to kill herself tonight", True),
    ("Une femme que j'accompagne veut se tuer ce soir", True),
    ("mi hermana quiere suicidarse", True),
    ("a minha amiga quer se matar", True),
    ("prietena mea vrea să se sinucidă", True),
    ("моя подруга хочет покончить с собой", True),
    ("моя подруга хоче покінчити з собою", True),
    ("приятелката ми иска да се самоубие", True),
    ("shoqja ime do të vrasë veten", True),
    ("he tried to kill himself at work last year", False),  # the past: not now
    ("he wants to kill me", False),  # a threat to the writer: imminent, not self-harm
    ("me quiere matar", False),
])
def test_someone_elses_wish_to_die_named_by_a_noun_is_self_harm(message, another):
    """Helpers write "a woman I support wants to kill herself", not "she": the reflexive verb ("herself", "se tuer",
    "matarse", "покончить с собой") tells it is the person's own life, whoever the subject."""
    assert ("self_harm" in default_signals().danger_in(message)) is another


@pytest.mark.parametrize("message", [
    "I am a social worker. A woman I support wants to kill herself tonight",
    "Je suis assistante sociale. Une femme que j'accompagne veut se tuer ce soir",
    "ma soeur a 15 ans, elle est enfermée dans un appartement à Lyon et on la force à voir des hommes",
])
def test_someone_elses_danger_gets_the_card_about_that_person(engine, message):
    """Told by a social worker after her role, or by a sister who did not say who she is: the card of the danger told,
    worded about the person ("call if the person is in danger"), never "if you think about ending your life"."""
    answer = engine.ask(message)
    assert answer.danger and answer.emergency_for_helped
    assert "suicide-3114" in {s.id for s in answer.emergency_services} or "self_harm" not in answer.danger
    assert not [r for r in answer.emergency_reasons if SECOND_PERSON.search(r)], answer.emergency_reasons


@pytest.mark.parametrize("message, own", [
    ("abeg madam don lock me for room, she say she go kill me if i run", True),
    ("estoy encerrada en el cuarto, la señora cerró con llave y dijo que si grito me mata", True),
    ("my sister is locked in a flat in Lyon, they said they will kill her", False),
])
def test_the_writers_own_danger_read_by_the_phrases_is_worded_to_the_writer(engine, message, own):
    """Likeness also read someone else's danger in the first two, and the person locked in was told "call if the person
    is in danger now": a threat the phrases read, and no one else's, is the writer's own."""
    answer = engine.ask(message)
    assert answer.danger and answer.emergency_for_helped is not own


@pytest.mark.parametrize("message, held", [
    ("A woman I follow cleans a house day and night and cannot leave", True),
    ("Une jeune fille que j'accompagne fait le ménage jour et nuit et ne peut pas sortir", True),
    ("Una mujer que acompaño limpia una casa día y noche y no puede salir", True),
    ("Жінка, яку я супроводжую, прибирає будинок і не може вийти", True),
    ("One woman wey I dey follow dey clean house day and night and she no fit comot", True),
    ("A woman I help cannot leave France because her passport was taken", False),
    ("Девушка не может выйти замуж без документов", False),  # "выйти замуж": to marry
    ("my husband's family keeps me in the house like a maid, i cook and clean and cannot leave", False),  # the writer, not a third person
])
def test_someone_else_held_now_is_read_when_named_by_a_noun(message, held):
    """Helpers name the person ("a woman I follow ... cannot leave") rather than "she": the subject is a noun, and
    the writer's own "I cannot leave" or leaving a country or a marriage is not someone else held."""
    assert ("third_party" in default_signals().danger_in(message)) is held


@pytest.mark.parametrize("typed", [
    "oni ishchut menya",  # "щ" as "shch"
    "oni ischut menia",  # as "sch", "я" as "ia"
    "oni ishut menja",  # as "sh", "я" as "ja"
    "ya pryachus' v tualete",  # the soft sign as an apostrophe
])
def test_russian_typed_in_latin_letters_is_read_however_a_letter_is_written(typed):
    """People type "ищут меня" as "ishchut", "ischut" or "ishut", "menya", "menia" or "menja": every way is read."""
    assert "imminent" in default_signals().danger_in(typed)


@pytest.mark.parametrize("message", [
    "je suis en 4e, il est devant la porte avec un couteau, il va me tuer ce soir",
    "我读初二 老板喝醉了 说今晚要打死我 我现在躲在厕所",
    "az sam v 8 klas, toi e pred vratata i shte me ubie tazi vecher",
])
def test_a_school_year_puts_119_on_a_danger_card(engine, message):
    answer = engine.ask(message)
    assert answer.emergency and "child-119" in [s.id for s in answer.emergency_services]


@pytest.mark.parametrize("message, child", [
    ("la petite voisine, quinze ans, est enfermée chez un homme en ce moment, il la frappe", True),
    ("motra ime trembëdhjetë vjeçe është e mbyllur në një apartament tani dhe e rrahin", True),
    ("隔壁有个小男孩一直在哭喊，大人正在用皮带打他", True),
    ("в соседней квартире сейчас кричит ребёнок, его бьют", True),
    ("fratele meu e in clasa a saptea, acum seful il bate in depozit si nu-l lasa sa iasa", True),  # a school year in words
    ("moja sestra v 8 klasi, zaraz ii zamknuly v kvartyri i b'iut, dopomozhit", True),  # in Latin letters
    ("bent khti 3omrha tes3a snin, daba kaydrbouha f dar", True),  # an age in Arabizi
    ("我二十五岁，他现在拿着刀在门口，说今晚要杀了我", False),
    ("j'ai vingt-cinq ans, il est devant la porte avec un couteau et va me tuer ce soir", False),
])
def test_an_age_in_words_or_a_child_named_puts_119_on_a_danger_card(engine, message, child):
    """An age from 10 to 17 written in words, or a child named, in a message of danger: 119 joins the card.
    A grown-up's age in words ("二十五岁", 25) does not, nor does it make the writer a minor."""
    answer = engine.ask(message)
    assert answer.emergency
    assert ("child-119" in [s.id for s in answer.emergency_services]) is child
    assert not default_signals().read(message).minor


def test_a_helper_is_told_the_person_is_under_18_only_when_the_message_says_so(engine):
    from bot.recommend import WHY

    maybe = engine.ask("a little girl is screaming in the flat next door right now, they are beating her", audience="helper")
    said = engine.ask("the girl I help is 15 and he is beating her right now", audience="helper")
    assert dict(zip([s.id for s in maybe.emergency_services], maybe.emergency_reasons))["child-119"] == WHY["child-119"]
    assert dict(zip([s.id for s in said.emergency_services], said.emergency_reasons))["child-119"] == WHY["child-119-helper"]


@pytest.mark.parametrize("threat, laughter", [
    ("my boss always says he'll kill me if im late again", "haha"),
    ("meu patrão vai me matar se eu chegar atrasada", "kkkk"),
    ("шефът каза, че ще ме убие ако закъснея", "хаха"),
    ("老板说我再迟到就弄死我", "哈哈"),
    ("shef mene vb'ye yakshcho ya znovu zapiznyus'", ")))"),  # the smile of Russian and Ukrainian writers
])
def test_a_threat_said_laughing_is_not_read_as_danger_by_the_phrases(threat, laughter):
    signals = default_signals()
    assert signals.danger_in(threat)
    assert not signals.danger_in(f"{threat} {laughter}")


def test_brackets_that_close_an_aside_are_not_a_smile():
    assert default_signals().danger_in("he will kill me tonight (he said it (twice))")


@pytest.mark.parametrize("message, first", [
    ("they took my passport and I work on a building site without pay, can I get papers if I report?", "labour-inspection"),
    ("tiraram meu passaporte e trabalho sem salario numa obra, posso ter documentos se eu denunciar?", "labour-inspection"),
    ("I work on a farm without pay and I have nowhere to sleep tonight", "shelter-115"),
])
def test_the_service_against_the_exploitation_comes_before_general_help_but_after_a_bed_tonight(engine, message, first):
    """A victim under a rights card sees one service: for forced work it is the labour inspection, not legal aid alone."""
    assert engine.ask(message).services[0].service.id == first


def test_the_phrases_read_at_word_starts_match_what_each_phrase_matches_alone():
    """The phrases are scanned as one alternation with a shared word boundary (for speed): it must find
    exactly what the phrases find one by one, on every danger message and look-alike."""
    raw = json.loads((ROOT / "corpus" / "signals.json").read_text(encoding="utf-8"))
    by_lang = [raw["not_now"], raw["minor"], *raw["danger"].values(), *raw["audience"].values(), *raw["needs"].values()]
    phrases = [fold_pattern(p) for patterns in by_lang for phrases_of_lang in patterns.values() for p in phrases_of_lang]
    messages = [fold(json.loads(line)["text"]) for name in ("danger_messages.jsonl", "danger_held_out.jsonl")
                for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line.strip()]
    compiled = [re.compile(p) for p in phrases]  # once: re's own cache holds 512 patterns, far fewer than the phrases
    one_by_one = [any(p.search(m) for p in compiled) for m in messages]
    together = _alternation(phrases)
    assert any(one_by_one) and not all(one_by_one)
    assert [bool(together.search(m)) for m in messages] == one_by_one
    assert _alternation([r"\bfoo", r"\bbar|baz"]).search("xbaz")  # a bar outside groups keeps its own start


@pytest.mark.parametrize("message", [
    "where can she sleep tonight, she left the house where she cleaned for free",
    "où peut-elle dormir en sécurité ? son patron garde son passeport",
    "Soy trabajadora social. Una chica que acompaño limpia casas sin sueldo y el jefe tiene su pasaporte. ¿Adónde puede ir a dormir segura?",
    "onde ela pode dormir hoje? fugiu da casa onde trabalhava sem salário",
    "unde pot dormi în seara asta? am lucrat fără salariu la o fermă",
    "ku mund të fle sonte? kam punuar pa pagë në një lavazh",
    "Къде мога да спя тази нощ? Работих без заплата в един ресторант.",
    "وين نقدر نبات الليلة؟ خدمت بلا خلاص فواحد الدار",
])
def test_a_place_to_sleep_asked_with_a_verb_between_gets_a_shelter(engine, message):
    """"Where can she sleep", not only "where to sleep": the need for a shelter is read, and a shelter recommended."""
    answer = engine.ask(message)
    assert "shelter" in engine.signals.read(message).needs
    assert {"shelter-115", "acse-shelter"} & {r.service.id for r in answer.services}, [r.service.id for r in answer.services]


@pytest.mark.parametrize("message", [
    "I'm a social worker: a woman I support was brought from Nigeria, they took her passport, can she get papers and compensation?",
    "I volunteer at an association. A girl I follow wants to go home to Romania, who pays the trip?",
    "I'm an interpreter. A man I help was beaten at work, he is bleeding now",
    "As a social worker: a 15 year old I follow has nowhere to sleep tonight",
])
def test_no_helper_is_addressed_as_the_victim(engine, message):
    """A social worker told "a lawyer can assist you" or "call if you are in danger" is addressed as the victim."""
    answer = engine.ask(message)
    assert answer.audience == "helper"
    reasons = [*answer.emergency_reasons, *(r.why for r in answer.services)]
    assert len(reasons) >= 2 and not [r for r in reasons if SECOND_PERSON.search(r)]


@pytest.mark.parametrize("message", [
    "I have nowhere to sleep tonight",
    "сегодня ночую на вокзале, мне некуда идти",
    "je dors à la gare ce soir",
    "vou dormir na estação hoje",
])
def test_having_nowhere_to_sleep_tonight_is_a_need_not_a_danger(engine, message):
    """Told as a statement, "nowhere to sleep tonight" sat next to "I want to sleep and never wake up": the suicide
    line was offered to someone asking for a bed."""
    answer = engine.ask(message)
    assert not answer.emergency and answer.services[0].service.id == "shelter-115"


def test_a_danger_of_ones_own_is_worded_to_the_writer_whatever_came_before(engine):
    """After a helper's question, "the boss will sell me tonight, I'm locked in the room now" is the writer's own danger:
    "call if the person is in danger" would leave them wondering whom the card means."""
    answer = engine.ask("老板说今晚要把我卖给别人，我现在被锁在房间里", audience="helper")
    assert answer.emergency and not [r for r in answer.emergency_reasons if "the person" in r]
    helper = engine.ask("my friend is locked in by her boss right now, he beats her", audience="helper")
    assert "Call if the person is in danger now." in helper.emergency_reasons
