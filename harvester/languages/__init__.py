"""Russian, Persian and Arabic for the rest of harvester: one place for what depends on the language.

- `fold`: the one normalisation every match and search goes through;
- `keys`, `stem`, `fts_query`: word forms (Snowball stemmers) for search, stored and asked;
- `name_key`: a person's name in any script, reduced to one key;
- `writes`: whether a word in Arabic letters can spell a Latin surname its key meets;
- `direction`: a language's writing direction, for HTML's `dir`;
- `lexicon`: each language's wording (events, plans, relative days, offices,
  countries, demonyms, places, months, weekdays), loaded once;
- `events_in`: the event wording (meeting, call, video call, message, visit) or plan wording a text uses;
- `unheld`: where a text words an event that was not held ("without meeting …");
- `dates_in`: the dates a text names, with their evidence;
- `offices_in`: the offices a text names, with the country each is of;
- `holders_in`: the names a text writes beside such an office, in its own letters;
- `own_country`: the country whose press a text is (Persian: Iran's, Dari's Afghanistan's);
- `places_in`: the cities a text names, and whether a place preposition introduces them;
- `seats_in`: the palaces and capitals a text names by their country alone.

Pure functions and data, no I/O but reading the package's own data once: the
meeting step, the store and the Datasette plugin all call the same code, so a
word is folded the same way when it is stored, matched and searched.
"""

from harvester.languages.dates import DateMention, dates_in
from harvester.languages.events import PLAN, EventWording, events_in, unheld
from harvester.languages.fold import fold, fold_with_offsets
from harvester.languages.lexicon import LANGUAGES, Lexicon, direction, lexicon
from harvester.languages.names import name_key, writes
from harvester.languages.offices import Holder, OfficeMention, holders_in, offices_in, own_country
from harvester.languages.places import PlaceMention, SeatMention, places_in, seats_in
from harvester.languages.stem import fts_query, keys, russian_lemma, stem

__all__ = [
    "LANGUAGES", "PLAN", "DateMention", "EventWording", "Holder", "Lexicon", "OfficeMention", "PlaceMention", "SeatMention", "dates_in", "direction",
    "events_in", "fold", "fold_with_offsets", "unheld",
    "fts_query", "holders_in", "keys", "lexicon", "name_key", "offices_in", "own_country", "places_in", "russian_lemma", "seats_in", "stem", "writes",
]
