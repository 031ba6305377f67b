"""The languages the bot answers in.

One table, so that detection, catalogs, lexical retrieval and rendering agree
on what "supported" means.  A question in any other language is still
answered (retrieval is cross-lingual) in English, with a note saying so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from babel import Locale
from babel.core import get_global

from ..textnorm import fold

SOURCE_LANGUAGE = "en"


@dataclass(frozen=True)
class Language:
    code: str  # ISO 639 code used in catalogs, --lang, :lang, /lang
    name: str  # native name, shown in language pickers
    english: str
    rtl: bool = False
    stemmer: str | None = None  # PyStemmer algorithm for BM25, when one exists
    cjk: bool = False  # no spaces between words: index character bigrams
    # Frequent words of short messages in this language (a word listed for
    # two languages tells neither apart), and the words of the language
    # typed in Latin letters where people do that (translit, Arabizi).
    words: str = ""
    latin_words: str = ""


LANGUAGES: dict[str, Language] = {
    lang.code: lang
    for lang in (
        Language("en", "English", "English", stemmer="english",
                 words="i i'm im my me the is are was what how can want need help they them do does to of and with have "
                       "work you your please where who why when die kill boss papers paper men de no"),
        Language("fr", "Français", "French", stemmer="french",
                 words="je j ne pas mon ma mes est suis avec pour une du des peux besoin ai aide travail quand où ou comment "
                       "qui quoi ils elle moi veux papiers patron sans aussi mais très c qu l d n de la le les en"),
        Language("es", "Español", "Spanish", stemmer="spanish",
                 words="yo mi mis es está estoy son con para una del puedo necesito tengo ayuda trabajo cuando dónde donde cómo "
                       "como qué que ellos ella quiero papeles jefe sin pero muy de la el los las en no"),
        Language("pt", "Português", "Portuguese", stemmer="portuguese",
                 words="eu meu minha não nao você voce é está estou são com para uma do posso preciso tenho ajuda trabalho "
                       "quando onde como que eles ela quero papéis documentos patrão sem mas muito de o os as em no obrigado obrigada"),
        Language("ro", "Română", "Romanian", stemmer="romanian",
                 words="eu nu sunt este e cu pentru o un pot am nevoie ajutor muncă munca când cand unde cum ce ei ea vreau "
                       "acte șef sef fără fara dar foarte mă ma mi la și si de în in mulțumesc multumesc mersi vă va rog da"),
        Language("bg", "Български", "Bulgarian",
                 words="аз мен какво как това къде ако не може мога помогнете трябва съм ли ще има беше защо кога нещо "
                       "шеф документи без но много моят моя ми",
                 latin_words="az men kakvo tova kade kude ako moga pomognete tryabva triabva sam shte ima zashto koga "
                             "dokumenti pomosht rabotya rabotia vav vuv sas koi koq koya koyto koito nyamam nqmam imam "
                             "iskam znae znam kazvat kazva plashta plashtat shefat shefa rabotim rabotq franciq jertvi "
                             "zhertvi deca dete deteto horata parite godini sum kolko chovek choveka oshte "
                             "vsichki neshto nishto takiva tozi tazi tezi vzeha dovedoha policiqta policiyata "
                             "prefekturata ulicata rabotata kakvi pravata moite"),
        Language("ru", "Русский", "Russian", stemmer="russian",
                 words="я мне меня что как это где если нет можно могу помогите нужна нужно у вы он она они почему когда "
                       "есть был работа работаю хозяин документы без но очень мой моя",
                 latin_words="ya mne menya chto shto kak eto gde esli net mozhno mogu pomogite nuzhna nuzhno pasport "
                             "rabota rabotayu hozyain khozyain dokumenty zabrali pochemu kogda pomosh pomoshch politsiya "
                             "eshche yeshche tolko skolko zdes seychas sejchas rabotaem rabotat zarplata deneg dengi "
                             "francii frantsii frantsiyu ochen nado mozhet mogut pomoch delat sdelat kuda kto posle "
                             "vsyo nichego byl byla bylo sebya deti rebenok dokumentov"),
        Language("uk", "Українська", "Ukrainian",
                 words="я мені мене що як це де якщо ні можна можу допоможіть потрібна треба є чому коли і та робота "
                       "працюю хазяїн документи без але дуже мій моя",
                 latin_words="meni mene shcho scho yak tse yakshcho mozhna mozhu dopomozhit potribna treba robota "
                             "pratsyuyu chomu koly dopomoga dopomohu mozhut mayu maiu dokumenty pasport zabraly vony "
                             "yakyi yaka yake yakshcho nemaie nemaye hochu khochu hiba chy pratsiuiu dytyna ditei roboti "
                             "sytuatsiia sytuatsiya zvernutysia kudy pislia pislya khto shchob shob vona zaraz bulo "
                             "buv bula dopomozhe dopomozhut zhytlo zhytlom zhytla prytulok prytulku torhivli torhivlia "
                             "liudmy lyudmy tilky tilki hroshi groshi rotsi rokiv roky misiats misyats frantsiyi sudi "
                             "dozvil prozhyvannia prozhyvannya otrymaty miy moia"),
        Language("ar", "العربية", "Arabic", rtl=True, stemmer="arabic",
                 latin_words="ana 3andi andi bghit wach wesh kifach kif rani khdam khedma l7a9 7a9 mochkil mushkila "
                             "ma3endich baghi dyali dyal dial bach hna fin wa9t chno chnou ach 3afak lwra9 wra9 kaghet 3la m3a "
                             "khoya ukhti 7aja bezaf bzaf chwiya ntaa chkon chkoun ymken n9der kankhdem kaykhdem kaykhdmoni "
                             "ghadi khassni khass achmen chhal lbolis bolis l9anoun fransa sghir sghira lmadame mn bla "
                             "3awnni y3awnni momkin 3ayez 3awez ana3 leh ezay fein feen mesh mish ya3ni 3ashan 3lach "
                             "kolchi walo hadchi dakchi wakha safi"),
        Language("zh", "中文（简体）", "Chinese (simplified)", cjk=True),
        Language("vi", "Tiếng Việt", "Vietnamese",
                 words="tôi toi của cua là có co không khong giúp giup việc viec khi ở đâu dau làm lam sao họ ho cô muốn "
                       "muon giấy giay tờ to chủ chu với voi được duoc bị bi em anh chị chi"),
        Language("sq", "Shqip", "Albanian",
                 words="unë une jam është eshte për per një nje mund kam nevojë nevoje ndihmë ndihme punë pune kur ku si "
                       "çfarë cfare ata ajo dua letra pa por shumë shume të te nuk më dhe qe qё kush pse tani kane kanë marre "
                       "marrë jane janë nese nëse duhet mua ketu këtu keto këto mire mirë punoj punojë pasaporten "
                       "dokumentet policia policine ndihme"),
        Language("pcm", "Naijá (Pidgin)", "Nigerian Pidgin", stemmer="english",
                 words="wetin abeg dey wahala pikin comot sabi oga wey don fit na dis dat wan sef abi oya sha shey belle "
                       "chop palava ehn una dem wetin dem im sabi pikin sabi abeg oyibo"),
    )
}

# The locale whose CLDR names (of languages, of countries) a reader of ours gets: CLDR writes Naijá's with tone
# marks that Pidgin readers do not type ("Frẹ́nch Lángwej", "Yunáítẹ́d Kíndọm"); they write English names.
NAMES_LOCALE = {"pcm": "en"}


def names_locale(lang: str) -> Locale:
    """The Babel locale of the names shown to a reader of ``lang`` (see :data:`NAMES_LOCALE`)."""
    return Locale.parse(NAMES_LOCALE.get(lang, lang))


def language_name(code: str, lang: str) -> str:
    """A language's name in a sentence for a reader of ``lang`` (CLDR): "français" in French, "francés" in Spanish,
    where a picker lists the native names capitalised ("Français")."""
    return names_locale(lang).languages.get(code) or LANGUAGES[code].name


@cache
def _other_codes() -> dict[str, str]:
    """The other codes of our languages in CLDR's aliases: ISO 639-2 and 639-3 ("ukr", "fre", "rum", "zho"), as
    locale names and people write them."""
    return {other: code for other, code in get_global("language_aliases").items() if code in LANGUAGES}


def normalise_code(code: str | None) -> str | None:
    """Map a client or user language code to a supported one ("pt-BR", "zh_Hans", "ukr"), or None."""
    if not code:
        return None
    base = code.strip().lower().replace("_", "-").split("-")[0]
    return base if base in LANGUAGES else _other_codes().get(base)


def _names(lang: Language) -> set[str]:
    """What a person may type to pick ``lang``: its code, native and English names, the native name's parts
    ("Naijá (Pidgin)": "naija", "pidgin"), and its name in each language we answer in ("anglais", "украинский")."""
    names = {lang.code, lang.name, lang.english}
    names |= {part.strip() for part in re.split(r"[()（）]", lang.name) if part.strip()}
    names |= {name for display in LANGUAGES if (name := Locale.parse(display).languages.get(lang.code))}
    return {fold(n) for n in names}


@cache
def _by_name() -> dict[str, str]:
    """Every name and code that picks a language, built on first use (Babel reads 13 locales: 0.09 s)."""
    by_name = {name: code for code, lang in LANGUAGES.items() for name in _names(lang)}
    return {**_other_codes(), **by_name}


def language_named(text: str) -> str | None:
    """The language a message that is only its code or name picks ("fr", "Français", "francais", "pidgin", "ukr",
    "ucraniano"), or None."""
    return _by_name().get(fold(text).strip(" .!"))


def language_picked(text: str) -> str | None:
    """The language a person picks with /lang, :lang or --lang: by code ("pt-BR", "ukr") or by name ("Français")."""
    return normalise_code(text) or language_named(text)
