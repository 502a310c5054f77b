"""Russian, Persian and Arabic: folding, word forms, name keys, lexicons and dates, on sentences written here."""

from __future__ import annotations

import pytest

from harvester.languages import (
    dates_in, direction, events_in, fold, fold_with_offsets, fts_query, keys, lexicon, name_key, offices_in, places_in,
    seats_in, unheld, writes,
)


def test_fold_unifies_arabic_and_persian_letter_variants() -> None:
    assert fold("پوتین") == fold("پوتين") == fold("پوتىن")
    assert fold("کرملین") == fold("كرملين")
    assert fold("أمير") == fold("إمير") == fold("امير")
    assert fold("آیت‌الله") == fold("ايت الله")


def test_fold_drops_harakat_and_tatweel() -> None:
    assert fold("الرَّئِيسُ") == fold("الرئيس") == fold("الرئـــيس")


def test_fold_joiners_digits_yo_case_and_latin_accents() -> None:
    assert fold("دیدار‌ها") == "ديدار ها"  # a non-joiner separates as a space does
    assert fold("۱۴۰۳/٠٩/٢") == "1403/09/2"
    assert fold("Ёлка") == fold("елка") == "елка"
    assert fold("йод") == "йод"  # й is a letter, not и with a mark
    assert fold("Erdoğan") == "erdogan"


def test_fold_is_idempotent_and_offsets_point_into_the_original() -> None:
    text = "قال الرئيـــس: «سَلامٌ»"
    assert fold(fold(text)) == fold(text)
    folded, offsets = fold_with_offsets(text)
    assert folded == fold(text)
    assert len(offsets) == len(folded)
    start = folded.index("سلام")
    assert text[offsets[start]:offsets[start + 3] + 1] == "سَلامٌ"[:-1]  # the last mark is no letter


def test_russian_cases_meet_under_one_key() -> None:
    assert set(keys("Путин, Путина, Путиным, Путину", "ru")) == {"путин"}


def test_a_query_asks_for_every_key_its_script_may_have() -> None:
    persian = keys("دیدار با پوتين", "fa")
    assert any(f'"{key}"' in fts_query("پوتین") for key in persian)
    arabic = keys("والرَّئِيسُ بوتـــين", "ar")
    assert any(f'"{key}"' in fts_query("الرئيس") for key in arabic)
    assert any(f'"{key}"' in fts_query("بوتين") for key in arabic)
    assert fts_query("Putin") == "Putin"  # English is left to SQLite's porter stemmer


@pytest.mark.parametrize("spellings", [
    ("Vladimir Putin", "Владимир Путин", "ولادیمیر پوتین", "فلاديمير بوتين"),
    ("Bashar al-Assad", "Башар Асад", "بشار اسد", "بشار الأسد"),
    ("Abbas Araghchi", "Аббас Аракчи", "عباس عراقچی", "عباس عراقجي"),
    ("Masoud Pezeshkian", "Масуд Пезешкиан", "مسعود پزشکیان", "مسعود بزشكيان"),
    # Persian writes the title Seyyed joined to the given name, or apart
    ("Ebrahim Raisi", "سیدابراهیم رئیسی", "سید ابراهیم رئیسی", "ابراهیم رئیسی"),
])
def test_one_person_one_key_across_scripts(spellings: tuple[str, ...]) -> None:
    assert len({name_key(name) for name in spellings}) == 1


def test_seyyed_joined_to_the_given_name_is_a_title() -> None:
    # "سیدابراهیم" once the non-joiner is lost; a word that only begins with those letters keeps them
    assert name_key("سیدابراهیم رئیسی", "fa") == name_key("سید ابراهیم رئیسی", "fa") == name_key("Ebrahim Raisi")
    assert name_key("سیدنی", "fa") == name_key("Sydney")


def test_declined_russian_surnames_key_like_their_english_spelling() -> None:
    english = name_key("Putin")
    assert name_key("Путиным", "ru") == name_key("Путина", "ru") == english
    assert name_key("Лавровым", "ru") == name_key("Lavrov")
    assert name_key("Ahmadinejad", compact=True) == name_key("احمدی‌نژاد", "fa", compact=True)


def test_lexicons_come_from_cldr_and_data() -> None:
    russian, persian, arabic = lexicon("ru"), lexicon("fa"), lexicon("ar")
    assert russian.months["января"] == 1 and russian.weekdays["среда"] == 2
    assert arabic.months[fold("شباط")] == arabic.months[fold("فبراير")] == 2  # Levantine and Egyptian series
    assert persian.solar_hijri_months[fold("دی")] == 10
    assert arabic.lunar_hijri_months["رمضان"] == 9
    assert russian.countries["иран"] == persian.countries[fold("ایران")] == arabic.countries[fold("إيران")] == "IR"
    assert arabic.demonyms[fold("الروسي")] == "RU"
    assert persian.cities[fold("تهران")] == arabic.cities[fold("طهران")] == russian.cities["тегеран"] == "Tehran"
    assert fold("تلفنی") in " ".join(persian.events["call"])
    with pytest.raises(KeyError, match="no lexicon"):
        lexicon("xx")


def _found(text: str, language: str, published: str | None) -> list[tuple[str, str, str]]:
    return [(m.date, m.kind, m.evidence) for m in dates_in(text, language, published)]


def test_russian_dates_explicit_weekday_relative_and_without_a_year() -> None:
    text = "Вчера, 4 марта 2024 года, стороны договорились; переговоры продолжатся в четверг, 29 февраля."
    assert _found(text, "ru", "2024-03-05") == [
        ("2024-03-04", "relative", "Вчера"),
        ("2024-03-04", "explicit", "4 марта 2024 года"),
        ("2024-02-29", "weekday", "в четверг"),
        ("2024-02-29", "no_year", "29 февраля"),
    ]


def test_persian_solar_hijri_and_weekday() -> None:
    text = "روز سه‌شنبه ۲۳ آبان ۱۴۰۲ دیدار انجام شد."
    assert _found(text, "fa", "2023-11-15") == [
        ("2023-11-14", "weekday", "روز سه‌شنبه"),
        ("2023-11-14", "explicit", "۲۳ آبان ۱۴۰۲"),
    ]


def test_a_solar_hijri_day_without_its_year_is_the_nearest_one_before_publication() -> None:
    # "yesterday, Saturday 20 Ordibehesht", in a paper of Sunday 11 May 2025 (21 Ordibehesht 1404)
    assert _found("وزیر دیروز شنبه ۲۰ اردیبهشت با همتای خود دیدار کرد", "fa", "2025-05-11")[-1] == (
        "2025-05-10", "no_year", "۲۰ اردیبهشت")
    # late Esfand read in the first days of Farvardin is last Iranian year's
    assert _found("این پیام ۲۸ اسفند ارسال شد", "fa", "2025-03-25") == [
        ("2025-03-18", "no_year", "۲۸ اسفند")]


def test_afghan_month_names_are_the_solar_hijri_months() -> None:
    # Dari names the months after the zodiac: 30 Aqrab 1398 is 30 Aban, 11 Hoot is 11 Esfand
    assert _found("شام ۳۰ عقرب ۱۳۹۸ گفتگو کردند", "fa", "2019-11-22") == [("2019-11-21", "explicit", "۳۰ عقرب ۱۳۹۸")]
    assert _found("شام روز یکشنبه، ۱۱ حوت صحبت کرد", "fa", "2020-03-02")[-1] == ("2020-03-01", "no_year", "۱۱ حوت")
    # Asad, a month, is also a name: alone it is no date
    assert _found("اسد و پوتین دیدار کردند", "fa", "2020-03-02") == []


def test_persian_weekdays_written_with_a_space() -> None:
    # "پنج شنبه" (Thursday) with a space where the non-joiner was lost is not "شنبه" (Saturday)
    assert _found("عصر پنج شنبه دیدار کردند", "fa", "2019-02-15") == [("2019-02-14", "weekday", "پنج شنبه")]
    assert _found("روز یک شنبه", "fa", "2019-02-15") == [("2019-02-10", "weekday", "روز یک شنبه")]
    assert _found("روز شنبه", "fa", "2019-02-15") == [("2019-02-09", "weekday", "روز شنبه")]


def test_arabic_levantine_egyptian_and_lunar_hijri_dates() -> None:
    levantine = _found("جرى اللقاء يوم الأحد ٣ آذار ٢٠٢٤", "ar", "2024-03-04")
    assert levantine == [("2024-03-03", "weekday", "يوم الأحد"), ("2024-03-03", "explicit", "٣ آذار ٢٠٢٤")]
    assert _found("في 3 مارس 2024م", "ar", "2024-03-04")[0][:2] == ("2024-03-03", "explicit")
    hijri = _found("الموافق 1 رمضان 1445 هـ", "ar", "2024-03-12")
    assert hijri[0][:2] == ("2024-03-11", "hijri")


def test_without_a_publication_date_only_full_dates_count() -> None:
    assert _found("вчера и 5 мая, а также 5 мая 2020 года", "ru", None) == [("2020-05-05", "explicit", "5 мая 2020 года")]


def test_fts_queries_ask_for_keys_and_keep_their_operators() -> None:
    assert fts_query("Putin summit") == "Putin summit"
    assert fts_query("Путина") == '("Путина" OR "путин")'
    assert fts_query("Путин NOT Кремле") == '("Путин" OR "путин") NOT ("Кремле" OR "кремл")'
    assert fts_query('"президент России" Путин') == '("президент России" OR "президент росс") AND ("Путин" OR "путин")'
    assert fts_query("Пути*") == '"пути"*'
    assert fts_query("title:Путин") == "title:Путин"
    assert "پوت" in fts_query("پوتین") and "پوتين" in fts_query("پوتین")


def test_cities_in_every_case_script_and_joined_form() -> None:
    russian = [(p.city, p.evidence, p.after_preposition) for p in places_in("Встреча в Тегеране; затем Астана и в Кремле.", "ru")]
    assert russian == [("Tehran", "Тегеране", True), ("Astana", "Астана", False), ("Moscow", "Кремле", True)]
    persian = places_in("سفر رئیس‌جمهور به مسکو و دیدار در تهران", "fa")
    assert [(p.city, p.after_preposition) for p in persian] == [("Moscow", True), ("Tehran", True)]
    arabic = places_in("وصل الرئيس بطهران بعد محادثات في دمشق", "ar")
    assert [(p.city, p.evidence, p.after_preposition) for p in arabic] == [("Tehran", "بطهران", True), ("Damascus", "دمشق", True)]
    assert places_in("Talks in Tehran", "en") == []


def test_a_city_after_what_it_is_and_the_country_it_is_of_is_introduced() -> None:
    # "the capital of the UAE, Abu Dhabi", "the Iranian capital Tehran": the country between noun and name
    russian = places_in("Президент прибыл в столицу ОАЭ Абу-Даби.", "ru")
    assert [(p.city, p.after_preposition) for p in russian] == [("Abu Dhabi", True)]
    arabic = places_in("استقبل الرئيس ضيفه في العاصمة الإيرانية طهران.", "ar")
    assert [(p.city, p.after_preposition) for p in arabic] == [("Tehran", True)]
    # a country named before a city is no place noun of its own
    assert [p.after_preposition for p in places_in("Лидеры ОАЭ Абу-Даби", "ru")] == [False]


def test_a_persian_traveller_bound_for_a_city_goes_there() -> None:
    # "عازم جده شد" (left for Jeddah): the city after "عازم" is introduced as one after "به" is
    found = places_in("وزیر صبح دیروز عازم جده شد و عصر به دوحه سفر کرد", "fa")
    assert [(p.city, p.after_preposition) for p in found] == [("Jeddah", True), ("Doha", True)]
    assert [p.city for p in places_in("دیدار در حاشیه مجمع عمومی در نیویورک", "fa")] == ["New York"]
    assert [p.city for p in places_in("Министры встретились в Нью-Йорке", "ru")] == ["New York"]
    # UN headquarters stands for its city, as the Kremlin does for Moscow
    assert [p.city for p in places_in("Министры провели переговоры в штаб-квартире ООН", "ru")] == ["New York"]
    assert [p.city for p in places_in("التقى الوزيران في مقر الأمم المتحدة", "ar")] == ["New York"]


def test_direction_comes_from_cldr() -> None:
    assert [direction(x) for x in ("fa", "ar", "ur", "ru", "en", None, "not a language")] == [
        "rtl", "rtl", "rtl", "ltr", "ltr", "auto", "auto"]


def test_event_and_plan_wording_in_each_language() -> None:
    def kinds(text: str, language: str) -> list[tuple[str, str]]:
        return [(w.kind, w.evidence) for w in events_in(text, language)]

    assert kinds("Президенты провели телефонный разговор.", "ru") == [("call", "телефонный разговор")]
    assert kinds("Лидеры встретятся в Сочи; встречу готовят.", "ru") == [("plan", "встретятся"), ("meeting", "встречу")]
    assert kinds("رئیس‌جمهور در تماس تلفنی با همتای خود گفتگو کرد", "fa")[0] == ("call", "در تماس تلفنی")
    assert kinds("وصل الرئيس إلى موسكو والتقى نظيره", "ar") == [("visit", "وصل"), ("meeting", "والتقى")]
    assert kinds("أجرى الرئيس اتصالاً هاتفياً", "ar")[0][0] == "call"
    # The name Faisal (فيصل) is "and" joined to "arrives" (يصل) to the letter: no visit is read from it.
    assert kinds("تلقى الأمير فيصل اتصالا هاتفيا من نظيره", "ar") == [("call", "اتصالا هاتفيا")]
    assert events_in("They met in Sochi.", "en") == []
    # Dari spells the telephone apart from Iran's Persian; a trilateral or a summit is a meeting, a press session is not
    assert kinds("رئیس جمهور امریکا در یک گفتگوی تیلفونی از همتای خود خواست", "fa") == [("call", "تیلفونی")]
    assert kinds("آنها تلفونی صحبت کردند", "fa") == [("call", "تلفونی")]
    assert kinds("نشست سه جانبه روسای جمهور آغاز شد", "fa") == [("meeting", "نشست سه جانبه")]
    assert kinds("نشست خبری برگزار شد", "fa") == []


def test_offices_with_their_country_in_each_language() -> None:
    def offices(text: str, language: str) -> list[tuple[str, str | None, str]]:
        return [(o.office, o.country, o.evidence) for o in offices_in(text, language)]

    assert offices("Президент Ирана прибыл; его встретил министр иностранных дел России.", "ru") == [
        ("President", "IR", "Президент Ирана"), ("Foreign Minister", "RU", "министр иностранных дел России")]
    assert offices("с иранским коллегой", "ru") == [("counterpart", "IR", "иранским коллегой")]
    assert offices("رئیس‌جمهور روسیه به تهران رفت", "fa")[0][:2] == ("President", "RU")
    assert offices("استقبل الرئيسُ السوري وليَّ العهد السعودي", "ar") == [
        ("President", "SY", "الرئيسُ السوري"), ("Crown Prince", "SA", "وليَّ العهد السعودي")]
    assert offices("رهبر انقلاب", "fa") == [("Supreme Leader", None, "رهبر انقلاب")]


def test_language_tags_with_a_region_read_as_their_language() -> None:
    assert keys("دیدارهای پوتین", "fa-IR") == keys("دیدارهای پوتین", "fa") != keys("دیدارهای پوتین", "ar")
    assert dates_in("вчера", "ru-RU", "2024-03-05")[0].date == "2024-03-04"
    assert lexicon("AR-sy") is lexicon("ar")


def test_a_russian_date_without_a_year_just_after_publication_is_a_plan_not_last_year() -> None:
    """A call readout of 20 November about "the visit on 26 November" names a plan of that year."""
    found = dates_in("Обсуждён визит в Москву 26 ноября.", "ru", "2015-11-20")
    assert [m.date for m in found] == ["2015-11-26"]
    found = dates_in("Встреча состоялась 14 декабря.", "ru", "2016-01-10")
    assert [m.date for m in found] == ["2015-12-14"]


def test_the_name_written_beside_an_office_of_a_country() -> None:
    from harvester.languages import holders_in

    def holders(text: str, language: str) -> list[tuple[str, str | None, str]]:
        return [(h.office.office, h.office.country, h.name) for h in holders_in(text, language)]

    # Russian writes it after the office, declined: its nominative is kept
    assert holders("Глава МИД России встретился с министром иностранных дел Австрии Александром Шалленбергом.", "ru") == [
        ("Foreign Minister", "AT", "Александр Шалленберг")]
    # Arabic after it, past a title, with "bin" and the father's name; not a word with the article first
    assert holders("وصل وزير الخارجية السعودي الأمير فيصل بن فرحان إلى القاهرة مساء أمس", "ar") == [
        ("Foreign Minister", "SA", "فيصل بن فرحان")]
    # a title after "bin" ends the name short of two words: nobody is named
    assert holders("استقبل ولي العهد السعودي الأمير فيصل بن سلطان وفدا", "ar") == []
    assert holders("التقى وزير الخارجية المغربي اليوم الأحد نظيره", "ar") == []
    # Persian before it, and an office its lost non-joiner glues ("نخستوزیر") is still the office
    assert holders("رئیس جمهور از ناصر بوریطه وزیر امور خارجه مراکش استقبال کرد", "fa") == [
        ("Foreign Minister", "MA", "ناصر بوریطه")]
    assert holders("دیدار با شهباز شریف نخستوزیر پاکستان", "fa") == [("Prime Minister", "PK", "شهباز شریف")]


def test_a_persian_arrival_names_the_city_it_entered() -> None:
    # "وارد مسکو شد" (entered Moscow), "وارد فرودگاه مسقط شد" (landed at Muscat airport): the city is introduced
    found = places_in("وزیر عصر امروز وارد مسکو شد", "fa")
    assert [(p.city, p.after_preposition) for p in found] == [("Moscow", True)]
    found = places_in("هیئت ایرانی ساعتی پیش وارد فرودگاه مسقط شد", "fa")
    assert [(p.city, p.after_preposition) for p in found] == [("Muscat", True)]


def test_arabic_offices_in_the_construct_state_and_the_head_of_government() -> None:
    def offices(text: str) -> list[tuple[str, str | None]]:
        return [(o.office, o.country) for o in offices_in(text, "ar")]

    assert offices("وصل وزير خارجية تركيا إلى عمان") == [("Foreign Minister", "TR")]
    assert offices("هنأ رئيس جمهورية مصر ضيفه")[0] == ("President", "EG")
    assert offices("التقى رئيس حكومة الأردن وفدا") == [("Prime Minister", "JO")]
    assert offices("استقبل وزير الشؤون الخارجية التركي ضيفه") == [("Foreign Minister", "TR")]


def test_persian_and_arabic_write_no_country_before_an_office() -> None:
    # "أمير" (Emir) inside a name after a demonym is no emir of that country: "الإيراني علي أمير رضايي"
    assert [(o.office, o.country) for o in offices_in("وصل وزير الداخلية الإيراني علي أمير رضايي", "ar")] == [
        ("Emir", None)]
    assert [(o.office, o.country) for o in offices_in("استقبل الرئيس الإيراني علي أمير رضايي", "ar")] == [
        ("President", "IR"), ("Emir", None)]
    assert offices_in("Иранский президент прибыл", "ru")[0].country == "IR"  # Russian does, in its adjective


def test_the_persian_president_of_the_republic_in_both_spellings() -> None:
    def offices(text: str) -> list[tuple[str, str | None]]:
        return [(o.office, o.country) for o in offices_in(text, "fa")]

    assert offices("رئیس جمهوری ترکیه به آنکارا بازگشت") == [("President", "TR")]
    assert offices("رییس جمهوری فرانسه امروز سخنرانی کرد") == [("President", "FR")]
    assert offices("رئیس جمهور ترکیه") == [("President", "TR")]


def test_a_palace_or_capital_named_by_its_country_alone() -> None:
    # "in the presidential palace of Iraq", "in the Saudi capital", "in the capital of Egypt": the country's seat
    persian = seats_in("دو رئیس جمهور در کاخ ریاست جمهوری عراق با هم گفتگو کردند.", "fa")
    assert [(s.country, s.evidence) for s in persian] == [("IQ", "در کاخ ریاست جمهوری عراق")]
    assert [s.country for s in seats_in("التقى الوزيران بالعاصمة السعودية صباح اليوم.", "ar")] == ["SA"]
    assert [s.country for s in seats_in("Министры встретились в столице Египта.", "ru")] == ["EG"]
    # a country alone, or after a palace no preposition introduces, is no place of the event
    assert seats_in("رئیس جمهور عراق کاخ را ترک کرد.", "fa") == []


def test_a_place_after_what_it_is_and_its_epithets() -> None:
    # "in the historical-cultural complex of Saadabad", a palace that stands for Tehran
    found = places_in("رئیس جمهور در مجموعه تاریخی - فرهنگی سعدآباد از مهمان خود استقبال کرد.", "fa")
    assert [(p.city, p.after_preposition) for p in found] == [("Tehran", True)]


def test_a_word_in_arabic_letters_can_spell_a_surname_or_not() -> None:
    assert writes("پوتین", "putin") and writes("وأردوغان", "erdogan") and writes("استالین", "stalin")
    assert writes("لافروف", "lavrov") and writes("عراقچی", "araghchi")
    # an alif before a consonant, a w or a gh not written: no spelling of the name
    assert not writes("اطلاعرسانی", "tilerson") and not writes("کمک", "kamikawa") and not writes("کنونی", "ghani")


def test_an_arabic_verb_of_talks_reads_with_its_with() -> None:
    found = events_in("وبحث وزير الخارجية الإيراني في الرياض مع ولي العهد السعودي العلاقات.", "ar")
    assert [(w.kind, w.evidence, w.neutral) for w in found] == [("meeting", "وبحث", True)]
    # without "with" it is any discussion; in the future a plan
    assert events_in("بحث آخر المستجدات الإقليمية", "ar") == []
    assert [w.kind for w in events_in("سيبحث الرئيس مع ضيفه العلاقات", "ar")] == ["plan"]


def test_a_weekday_called_next_is_the_one_after_publication() -> None:
    # published on a Tuesday: "next Saturday" is four days on, a bare "Saturday" three days back
    assert [d.date for d in dates_in("يصل الوفد السبت المقبل إلى بغداد", "ar", "2024-02-27")] == ["2024-03-02"]
    assert [d.date for d in dates_in("وصل الوفد يوم السبت إلى بغداد", "ar", "2024-02-27")] == ["2024-02-24"]
    assert [d.date for d in dates_in("Делегация приедет в следующую субботу", "ru", "2024-02-27")] == ["2024-03-02"]
    assert [d.date for d in dates_in("هیئت روز شنبه آینده به بغداد می‌رود", "fa", "2024-02-27")] == ["2024-03-02"]


def test_leaving_for_a_city_is_a_plan_and_without_a_meeting_is_no_meeting() -> None:
    leaving = events_in("غادر الرئيس بغداد صباح الاثنين إلى موسكو في زيارة رسمية", "ar")
    assert [w.kind for w in leaving] == ["plan", "visit"]
    assert [w.kind for w in events_in("غادر الوزير بعد لقاء نظيره", "ar")] == ["meeting"]  # no "to": he left after talks
    for language, text in [("ar", "أنهى الوزير زيارته دون لقاء الرئيس، ثم عاد"),
                           ("fa", "وزیر سفر خود را بدون دیدار با رئیس جمهور، به پایان برد"),
                           ("ru", "Министр завершил поездку без встречи с президентом, сообщили")]:
        assert "meeting" not in [w.kind for w in events_in(text, language)], language
        assert [text[a:b].split()[0] for a, b in unheld(text, language)] == [{"ar": "دون", "fa": "بدون", "ru": "без"}[language]]


def test_a_persian_month_with_month_glued_or_apart() -> None:
    assert [d.date for d in dates_in("در ۱۱ مهرماه ۱۴۰۲ و ۳ آبان ماه ۱۴۰۲", "fa", "2024-04-20")] == ["2023-10-03", "2023-10-25"]


def test_a_russian_conversation_is_a_meeting_unless_by_telephone() -> None:
    assert [w.kind for w in events_in("Лидеры общались в Кремле один на один", "ru")] == ["meeting"]
    assert "call" in [w.kind for w in events_in("Министры общались по телефону", "ru")]
    assert [w.kind for w in events_in("В ходе телефонного разговора министры обсудили торговлю", "ru")] == ["call"]


def test_an_office_of_this_country_is_of_the_country_named_last_before_it() -> None:
    persian = offices_in("وزیر خارجه امروز به ترکیه رفت و با رئیس جمهور این کشور دیدار کرد", "fa")
    assert [(o.office, o.country, o.evidence) for o in persian][-1] == ("President", "TR", "رئیس جمهور این کشور")
    russian = offices_in("Министр прибыл в Ирак и встретился с президентом этой страны", "ru")
    assert [(o.office, o.country) for o in russian] == [("President", "IQ")]
    assert [o.country for o in offices_in("با رئیس جمهور این کشور دیدار کرد", "fa")] == [None]  # no country named before


@pytest.mark.parametrize(("language", "text", "day"), [
    ("ar", "يصل الرئيس إلى القاهرة غدًا الأربعاء للقاء نظيره", "2024-02-14"),  # tomorrow, Wednesday
    ("ar", "يبدأ الرئيس يوم غدٍ الخميس زيارة رسمية", "2025-08-07"),  # the day of tomorrow, Thursday
    ("ru", "Переговоры пройдут в четверг, 7 августа, в Москве", "2025-08-07"),
])
def test_a_weekday_beside_another_name_of_its_day_is_that_day(language: str, text: str, day: str) -> None:
    published = "2024-02-13" if day.startswith("2024") else "2025-08-06"
    assert [mention.date for mention in dates_in(text, language, published)] == [day]


@pytest.mark.parametrize(("text", "language"), [
    ("Министр встретился с коллегой в Ташкенте.", "ru"),
    ("التقى الرئيس نظيره في طشقند.", "ar"),
    ("دیدار دو رئیس‌جمهور در تاشکند برگزار شد.", "fa"),
])
def test_central_asian_capitals_in_their_neighbours_letters(text: str, language: str) -> None:
    assert [(p.city, p.after_preposition) for p in places_in(text, language)] == [("Tashkent", True)]


@pytest.mark.parametrize("text", ["دیدار در عشق‌آباد", "دیدار در عشق آباد", "دیدار در عشقآباد"])
def test_a_persian_compound_written_with_a_non_joiner_a_space_or_nothing_is_one_name(text: str) -> None:
    assert [p.city for p in places_in(text, "fa")] == ["Ashgabat"]
