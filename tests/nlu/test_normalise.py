"""The shared normaliser: one spelling for dialect, chat, leet, other scripts."""

from __future__ import annotations

import pytest

from nlu.normalise import fold, normalise, plain, split_glued, variants


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        # case, accents, clause ends
        ("Suïcidaal", "suicidaal"),
        ("HELPPPP!!! iemand volgt me", "helpp . iemand volgt me"),
        # West-Flemish clitics and spellings
        ("'k zie 't nie mier zitten", "ik zie het niet meer zitten"),
        ("'t es ol ruzie thuus", "het is al ruzie thuis"),
        ("'k e gin goesting", "ik heb geen goesting"),
        ("m'n stiefpa zit aan me 's nachts", "mijn stiefpa zit aan me s nachts"),
        ("ge moet da nie doen", "je moet dat niet doen"),
        ("nie mi", "niet meer"),
        # West-Flemish: h dropped, first-person forms, "us" for huis, mother, throwing
        ("'k zien 't nie mi zitten", "ik zie het niet meer zitten"),
        ("mijn moa drinkt eel den dag", "mijn ma drinkt heel de dag"),
        ("k'en gin eten meer in uus", "ik heb geen eten meer in huis"),
        ("'k hè gin plekke", "ik heb geen plek"),
        ("k'e gin goesting", "ik heb geen goesting"),
        ("'k zin moe", "ik ben moe"),
        ("ze smyt me buten", "ze smijt me buiten"),
        ("'t es ier nie te doen thuus", "het is hier niet te doen thuis"),
        ("gin eten in us es", "geen eten in huis is"),
        ("'k goan noar us vanoavond", "ik gaan naar huis vanavond"),
        ("moar 'k weet nie wuk", "maar ik weet niet wat"),
        ("tons sloapt ze nievers", "dan slaapt ze nergens"),
        ("ze snydt eur eigen", "ze snydt haar eigen"),
        # chat slang
        ("kwil nie meer leve", "ik wil niet meer leve"),
        ("kheb gwn gin zin", "ik heb gewoon geen zin"),
        ("wrm doe je da", "waarom doe je dat"),
        # leetspeak, glued words
        ("z3lfm00rd", "zelfmoord"),
        ("ikwilnietmeer", "ik wil niet meer"),
        ("iwanttodie", "i want to die"),
        # French elision, English contractions
        ("Je veux m'en aller, j'ai peur", "je veux me en aller . je ai peur"),
        ("I don't wanna go", "i dont want to go"),
        # emoji that stand for a word
        ("ik lig dood 😂", "ik lig dood haha"),
        ("💊💊", "pillen pillen"),
        # other scripts: Arabic letters unified, Cyrillic kept, Turkish and Polish letters
        ("أريد أن أموت", "اريد ان اموت"),
        ("Я не хочу жити", "я не хочу жити"),
        ("Ölmek İstiyorum", "olmek istiyorum"),
        ("Chcę umrzeć, Łódź", "chce umrzec . lodz"),
    ],
)
def test_normalise(raw: str, normalised: str) -> None:
    assert normalise(raw) == normalised


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        # the West-Flemish rules need their context: standard Dutch and English stay
        ("omdat ik zijn fiets nam", "omdat ik zijn fiets nam"),
        ("daar heb ik zin in", "daar heb ik zin in"),
        ("ik en een vriend", "ik en een vriend"),
        ("'k en weet et nie", "ik en weet et niet"),
        ("wat moet ik doen", "wat moet ik doen"),
        ("he hits us", "he hits us"),
        ("180 eur per jaar", "180 eur per jaar"),
        ("i believe in us", "i believe in us"),
    ],
)
def test_west_flemish_rules_leave_other_text_alone(raw: str, normalised: str) -> None:
    assert normalise(raw) == normalised


def test_numbers_stay_numbers() -> None:
    assert normalise("bel 112 of 1712") == "bel 112 of 1712"
    assert normalise("ik ben 15 en woon in 8500") == "ik ben 15 en woon in 8500"


def test_ordinary_compounds_are_not_split() -> None:
    assert split_glued("voetbalclub") == "voetbalclub"
    assert split_glued("jeugdbeweging") == "jeugdbeweging"
    assert split_glued("ikwildood") == "ik wil dood"


def test_stretched_letters_are_read_both_ways() -> None:
    assert variants("doooood") == ("dood", "dod")
    assert variants("helppp") == ("helpp", "help")
    assert variants("gewoon") == ("gewoon",)


def test_fold_keeps_the_words_of_other_languages() -> None:
    assert fold("Nie chcę już żyć") == "nie chce juz zyc"
    assert normalise("Nie chcę") == "niet chce"  # the Dutch mapping: fold() keeps Polish


def test_plain_resolves_accents_but_keeps_regex_syntax() -> None:
    assert plain(r"\bölmek (?:istiyorum|isti)\b") == r"\bolmek (?:istiyorum|isti)\b"
    assert plain("Łódź") == "Lodz"
