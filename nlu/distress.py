"""Distress detection: every free-text answer is checked before anything else.

A hit makes the bot answer at once with Belgian helplines and flags the message for
staff, so recall matters most: a missed cry for help is far worse than a false alarm.
The categories pick the helplines: ``self_harm`` (Awel 102, Zelfmoordlijn 1813,
Tele-Onthaal 106), ``abuse`` (Awel 102, 1712), ``threat`` (1712, 101, Awel) and
``danger`` (112, 101).

Why patterns *and* a model. Hand-written patterns are predictable, explainable to
staff and catch the phrasings we know, in every spelling we list: standard Dutch,
West-Flemish ('k, gin, nie, mien), slang (kms, zm, sh, unalive), French, English.
They are blind to phrasings nobody wrote down. A character and word n-gram model
(TF-IDF, logistic regression) trained on labelled examples generalises over typos and
unseen wordings, but alone it is less precise and cannot be reasoned about line by line.
It learns from nlu/data/distress/train.yml plus the ordinary barrier answers of
nlu/data/train as 'none' (see default_examples). The decision is ``pattern hit OR model
hit``; the model's threshold is the one with the highest cross-validated recall on the
training split whose precision still reaches 0.85.

Where the line lies. Verbal bullying, exclusion, a place that feels unsafe, strict
parents, shyness and fear of going alone are *barriers* (survey themes such as
``safety``), not distress; nor is shoving. Hitting, kicking or beating up is distress:
``abuse`` when someone close does it (family, a partner, a leader or trainer, or
"at home"), ``abuse`` and ``threat`` when one unnamed person ("hij slaat me", "il me
frappe") does it, ``threat`` when peers or strangers do ("ze slaan me elke dag").
Sexual abuse is always ``abuse``. Threats, blackmail with photos and stalking are
``threat``; weapons, being followed right now, intruders and emergencies are
``danger``. Idioms ("ik verveel me dood", "on se tue de rire") are removed before
matching.

Measured (``python benchmarks/distress.py``; held-out nlu/data/distress/test.yml, 145
distress and 126 not, mostly hard negatives): patterns OR model recall 1.000, precision
0.935 (10 false positives, all from the model, e.g. "ik schaam me echt dood"); patterns
alone recall 0.993, precision 1.000; the model alone recall 0.966, precision 0.933 at
its threshold 0.55 (cross-validated on the training split: recall 0.74 at precision 0.85
there, so the test sentences are easier than real traffic will be). Of the 306 held-out
barrier answers (nlu/data/test) 3 flag, two of them threats by our line. detect p50
0.7 ms, p99 1.2 ms on a busy 2-core machine; training 1.3 s.
The test sentences were written by the same author as the patterns: expect real
traffic to do worse, and add every missed or wrongly flagged message to train.yml.

This module knows nothing of the database or of Telegram, and never logs the text.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import yaml
from sklearn import clone, config_context
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import Pipeline
from threadpoolctl import threadpool_limits

from nlu.data import load_file

KINDS = ("self_harm", "abuse", "threat", "danger")
NONE = "none"
# Most urgent first: the order of Distress.kinds and of the helplines the bot shows.
SEVERITY = ("danger", "self_harm", "abuse", "threat")

DATA_DIR = Path(__file__).parent / "data" / "distress"
TRAIN_PATH = DATA_DIR / "train.yml"
TEST_PATH = DATA_DIR / "test.yml"
# The barrier-theme training answers (Rasa NLU files): ordinary survey answers, extra
# 'none' examples for the model. The barrier test split stays held out.
BARRIER_TRAIN_DIR = Path(__file__).parent / "data" / "train"

# The model's threshold is the lowest (the one with the highest recall) whose
# cross-validated precision on the training split still reaches this: the model may add
# flags to the patterns' only where it is about as precise as the target for both.
MODEL_PRECISION = 0.85
_THRESHOLDS = tuple(round(float(t), 2) for t in np.arange(0.05, 0.96, 0.05))
_RECIPE = "distress/tfidf-charwb2-5+words1-2/logreg-multinomial-balanced-c10/v3"


# --------------------------------------------------------------------------- normalising


_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "ʼ": "'"})
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ø": "o", "ł": "l", "đ": "d"})
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t"})
# A word that starts and ends with a letter and has digits inside: "z3lfm00rd", "k1ll".
_LEET_WORD = re.compile(r"\b[a-z][a-z0-9]*[0-9][a-z0-9]*[a-z]\b")
# Dutch and West-Flemish clitics with an apostrophe, before apostrophes go.
_CLITICS = (
    (re.compile(r"(?<![a-z])'k\b"), "ik"),
    (re.compile(r"(?<![a-z])'t\b"), "het"),
    (re.compile(r"(?<![a-z])'n\b"), "een"),
    (re.compile(r"(?<![a-z])'s\b"), "s"),
    (re.compile(r"\bm'n\b"), "mijn"),
    (re.compile(r"\bz'n\b"), "zijn"),
    (re.compile(r"\bd'r\b"), "er"),
    (re.compile(r"\bda's\b"), "dat is"),
    # French elision: j'ai -> je ai, m'a -> me a, qu'il -> que il
    (re.compile(r"\b(qu|[jmtsdlnc])'(?=[a-z])"), r"\1e "),
)
_CLAUSE_END = re.compile(r"[.!?;:,…\n\r]+")
_NOT_WORD = re.compile(r"[^a-z0-9. ]+")
_SPACES = re.compile(r"\s+")
_REPEATED_DOTS = re.compile(r"(?:\. )+")
_RUN = re.compile(r"([a-z])\1{2,}")
# "kwil", "kben", "kga": the youth spelling of "'k wil".
_K_VERB = re.compile(
    r"\bk(ben|wil|wille|wou|ga|gaan|goa|zie|heb|he|zit|zitten|voel|denk|kan|zou|doe|word|"
    r"wordt|snij|snyde|moet|haat|weet|zyn|zijn|krijg|krijgen|durf|mis|sta|lig|hoor)\b"
)

# Whole-word spellings mapped to one form, so one pattern covers them all.
_TOKENS: dict[str, str] = {
    # pronouns and possessives (standard, West-Flemish, chat)
    "k": "ik", "kik": "ik", "ikke": "ik", "ek": "ik",
    "t": "het",
    "mn": "mijn", "myn": "mijn", "mien": "mijn", "mjn": "mijn", "mijne": "mijn",
    "mie": "mij",
    "zn": "zijn", "zyn": "zijn",
    "hy": "hij", "ie": "hij", "em": "hem", "zy": "zij",
    "mezelve": "mezelf", "mijzelf": "mezelf", "mzelf": "mezelf", "mezelv": "mezelf",
    "mzlf": "mezelf", "mezlf": "mezelf",
    # negation and small words
    "nie": "niet", "ni": "niet", "nt": "niet", "nit": "niet", "neit": "niet",
    "nimmer": "niet meer", "mier": "meer", "mir": "meer",
    "gin": "geen", "gn": "geen", "gene": "geen",
    "da": "dat", "wa": "wat", "der": "er", "ier": "hier", "e": "een", "nen": "een",
    "an": "aan",
    "gwn": "gewoon", "gewn": "gewoon", "gw": "gewoon", "egt": "echt", "ech": "echt",
    "iemd": "iemand", "iemant": "iemand", "imand": "iemand", "iemnd": "iemand",
    "snachts": "s nachts", "savonds": "s avonds",
    "thuus": "thuis", "uus": "huis", "huus": "huis",
    # West-Flemish verb and word forms
    "goan": "gaan", "goa": "ga", "goat": "gaat", "moaken": "maken", "moake": "maken",
    "moak": "maak", "afmoaken": "afmaken", "kapotmoaken": "kapotmaken",
    "doar": "daar", "noar": "naar", "woar": "waar", "gevoar": "gevaar",
    "mekoar": "mekaar", "elkoar": "elkaar", "ollemoale": "allemaal", "allemoal": "allemaal",
    "allemoale": "allemaal", "doagen": "dagen", "doag": "dag", "zoe": "zou",
    "zoen": "zouden", "wille": "wil", "worde": "word", "wor": "word", "wordt": "word",
    # chat words
    "wlh": "wollah", "wallah": "wollah", "sws": "sowieso",
    "plz": "pls", "plss": "pls", "asb": "aub", "alsjeblieft": "aub", "alstublieft": "aub",
    # English
    "u": "you", "ur": "your", "wanna": "want to", "gonna": "going to",
    "tryna": "trying to", "gotta": "got to", "rn": "right now", "imma": "im going to",
    "ima": "im going to",
    # French chat
    "jveux": "je veux", "jvais": "je vais", "jsuis": "je suis", "chui": "je suis",
    "chuis": "je suis", "jpeux": "je peux", "jai": "je ai", "jme": "je me",
    "jsp": "je sais pas",
}  # fmt: skip


def _fold(text: str) -> str:
    """Casefold, strip accents, resolve apostrophes and leetspeak, mark clause ends."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = text.translate(_APOSTROPHES).translate(_LIGATURES)
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = _LEET_WORD.sub(lambda m: m.group().translate(_LEET), text)
    for pattern, replacement in _CLITICS:
        text = pattern.sub(replacement, text)
    text = text.replace("'", "")
    text = _CLAUSE_END.sub(" . ", text)
    text = _NOT_WORD.sub(" ", text)
    text = _SPACES.sub(" ", text).strip()
    return _REPEATED_DOTS.sub(". ", text + " ").strip()


def _map_tokens(text: str) -> str:
    """Map dialect, chat and typo spellings to one form."""
    text = _K_VERB.sub(r"ik \1", text)
    return " ".join(_TOKENS.get(token, token) for token in text.split(" "))


def normalise(text: str) -> str:
    """The form patterns and model see: folded, letter runs cut to two, spellings mapped."""
    return _map_tokens(_RUN.sub(r"\1\1", _fold(text)))


def _variants(text: str) -> tuple[str, ...]:
    """Both ways to undo stretched letters: 'doooood' -> 'dood', 'helppp' -> 'help'."""
    folded = _fold(text)
    two = _map_tokens(_RUN.sub(r"\1\1", folded))
    one = _map_tokens(_RUN.sub(r"\1", folded))
    return (two,) if one == two else (two, one)


# --------------------------------------------------------------------------- patterns
#
# Patterns run on normalise()d text: lower case, no accents, no apostrophes ("dont",
# "je ai", "fotos"), clause ends as " . ", and the spellings in _TOKENS mapped
# ("'k zie 't nie mier zitten" -> "ik zie het niet meer zitten"). {name} is a fragment
# from _FRAGMENTS; write {{m,n}} for a regex repetition.

_FRAGMENTS = {
    "wil": r"(?:wil|wilt|wou|wilde|will|wl|zou willen)",
    "niet": r"(?:niet|nooit)",
    "meer": r"(?:meer|langer)",
    "me": r"(?:me|mij|ons)",
    "mezelf": r"(?:mezelf|mijn eigen|me eigen|men eigen)",
    "mijn": r"(?:mijn|me|men|m)",
    # hitting, kicking, beating (present and past)
    "hit": r"(?:slaat|slaan|sloeg|sloegen|slaad|slagen|klopt|kloppen|klopte|klopten|kluppe"
    r"|kluppen|klupt|schopt|schoppen|schopte|schopten|stampt|stampen|stampte|stampten|trapt"
    r"|trappen|trapte|mept|meppen|mepte|ramt|rammen|ramde|bokst|knijpt|wurgt|wurgen|wurgde"
    r"|bijt|tabasseert)",
    # a person as target: "die gast", "die jongen"
    "person": r"(?:hem|haar|hen|hun|jou|je|you|iemand|ze|allemaal|iedereen|dat kind"
    r"|die (?:gast|gasten|jongen|jongens|kerel|man|vent|meid|meisje|gozer|mattie|leraar"
    r"|trainer|coach|kankergast|kanker \w+|idioot|loser|sukkel|klootzak|snitch|bitch|mongool"
    r"|kind|mannen|kerels|mens))",
    # up to two or three words, never across a clause end
    "gap": r"(?:[^ .]+ ){0,2}",
    "gap3": r"(?:[^ .]+ ){0,3}",
    "gap4": r"(?:[^ .]+ ){0,4}",
    # end of a clause (or of the message)
    "end": r"(?= *(?:\.|$))",
}

# Idioms and innocent uses, replaced by "_" before any pattern runs.
GUARDS = [
    # "ik verveel me dood", "ik lach me kapot", "ik schaam me dood"
    r"\b(?:verveel|verveelde|schaam|schaamde|schrok|schrik|lach|lachte|werk|werkte|zweet"
    r"|erger|ergerde|pieker|stress) (?:me |mij |mezelf |ons |je |zich )?"
    r"(?:dood|kapot|te pletter|rot|suf|een ongeluk)\b",
    # "dood van het lachen", "ik sterf van de honger", "ik ga dood van de warmte"
    r"\b(?:dood|kapot|plat|sterf|sterven|stierf|sterft|lig|lag) {gap}(?:van|vd) {gap}"
    r"(?:lachen|lach|honger|dorst|warmte|hitte|kou|stress|verveling|schaamte|schrik|slaap"
    r"|moeheid|vermoeidheid|zenuwen|spanning|pret|plezier|jaloezie|nieuwsgierigheid)\b",
    # "dood moe", "dood op", "dood saai" (not fillers: "ik wil dood eerlijk" is no idiom)
    r"\bdood (?:moe|op|saai|normaal|graag|simpel|stil)\b",
    # "ik zie het niet zitten om alleen te gaan" (unless it goes on about living)
    r"\bzie {gap}{niet} (?:meer |zo |echt )?zit+e?n? (?:om|met|dat|als|bij|voor|in)\b"
    r"(?! {gap}(?:te )?(?:leven|bestaan))",
    # "de trainer slaat me over"; "ze volgen me op insta"; "zit aan mijn kop" (nags)
    r"\bsla\w* {me} {gap}over\b",
    r"\bvolg\w* {gap3}(?:op|sur|on) (?:insta\w*|tiktok|snap\w*|twitter|youtube|x|bereal"
    r"|twitch|spotify|facebook|fb)\b",
    r"\b(?:ge)?volg\w* door {gap}(?:mensen|volgers|followers)\b",
    r"\baan (?:mijn|me|de) (?:kop|kopke|oren|oor|hoofd|bol)\b",
    # "het doet me pijn dat ..."; "mijn knie doet pijn"
    r"\b(?:het|dat|dit) doet {me} pijn\b",
    r"\b(?:knie|knieen|rug|been|benen|arm|armen|buik|hoofd|voet|voeten|enkel|schouder|tand"
    r"|tanden|keel|nek|oor|oren|spieren|vinger|pols) {gap}(?:doet|doen) (?:me |mij )?pijn\b",
    # "in gevaar om te laat te komen"; "verdwijnen van schaamte"
    r"\bin gevaar om te\b",
    r"\bverdwijnen van (?:de )?schaamte\b",
    r"\bonder de grond (?:zakken|verdwijnen)\b",
    # French: "on se tue de rire", "mort de rire", "je meurs de faim"
    r"\b(?:tue|tues|tuent|mort|morte|morts|mortes|meurs|meurt|creve|crever|mourir) de ?"
    r"(?:rire|faim|soif|chaud|froid|ennui|fatigue|honte|peur)\b",
    r"\btuer le temps\b",
    r"\btape sur les nerfs\b",
    # English: "dying of laughter", "bored to death", "that song hits different"
    r"\b(?:die|dying|died|dead) (?:of|from) (?:laughter|laughing|boredom|embarrassment"
    r"|cringe|hunger)\b",
    r"\bbored to death\b",
    r"\b(?:it|that|this|reality) hits? me\b",
    r"\bhits (?:me )?different\b",
    r"\bkill(?:ing|ed)? (?:it|time|the vibe)\b",
    r"\bdead ?(?:tired|serious|ass)\b",
    r"\bit hurts? me\b",
]

SELF_HARM = [
    # named outright: zelfmoord, suicide, zelfverwonding, automutilatie, scarification
    r"\bzelf ?moor[dt]",
    r"\bzelfdoding",
    r"\bsu[iy]cid",
    r"\bsuisid",
    r"\bautomutil",
    r"\bzelfverwond",
    r"\bzelfbeschadig",
    r"\bself ?harm",
    r"\bscarifi",
    # chat abbreviations: zm (zelfmoord), sh (self-harm), kms, unalive
    r"\b(?:aan|over|denk|denken|dacht|gedachten|plegen) zm\b",
    r"\bzm ?(?:gedachten|plegen|doen)\b",
    r"\b(?:doe|deed|gedaan|doen|aan|clean|relapse|weer|terug) sh\b",
    r"\bsh (?:relapse|gedaan|weer|again|littekens|wonden|scars)\b",
    r"\bkms\b",
    r"\bunaliv",
    # wanting to die: "ik wil dood", "wil gwn dood", "ik wil gewoon die"
    r"\b{wil} {gap}(?:dood|doodgaan|dood gaan|sterven)\b",
    r"\b{wil} {gap}die{end}",
    r"\b(?:liever|beter) dood\b",
    r"\bwou dat ik {gap}(?:dood|nooit geboren|er niet)",
    r"\bnooit geboren (?:was|zijn|ben)\b",
    r"\bwas ik maar dood\b",
    r"\bdood ?van ?binnen\b",
    r"\bzin om {gap}(?:te sterven|dood te gaan|te verdwijnen)\b",
    # not wanting to live: "ik wil niet meer leven", "ik wil er niet meer zijn"
    r"\b{niet} {meer} {gap}(?:leven|leve|leeven|bestaan)\b",
    r"\b{wil} {niet} (?:leven|bestaan) {meer}\b",
    r"\b{wil} (?:er|hier) {gap}{niet} {meer} zijn\b",
    r"\bbeter (?:dat|als) ik er {niet} (?:ben|meer ben|zou zijn)\b",
    r"\bals ik er {niet} {meer} (?:ben|zou zijn|was)\b",
    r"\bniet {meer} op (?:deze|de) wereld\b",
    r"\bweg (?:van|uit) (?:deze|de) wereld\b",
    # tired of life: "'k ben 't beu om te leven", "het leven zo beu", "levensmoe"
    r"\b(?:leven|bestaan) {gap}beu\b",
    r"\bbeu om te (?:leven|bestaan)\b",
    r"\blevensmoe",
    r"\bmoe (?:om te|van) leven\b",
    # no way out: "ik zie het niet meer zitten", "het leven heeft geen zin meer"
    r"\bzie {gap}{niet} {meer} zit+e?n?\b",
    r"\bzie geen (?:uitweg|toekomst|licht)\b",
    r"\b(?:leven|alles) {gap3}geen zin\b",
    r"\bgeen (?:zin|reden|nut) {gap}(?:om te|in) {gap}(?:leven|bestaan)\b",
    r"\bwaarom (?:zou|zal|moet) ik {gap}(?:leven|bestaan)\b",
    r"\b(?:leven|bestaan) (?:is|heeft) {gap}(?:zinloos|geen nut|niks waard|niets waard"
    r"|waardeloos|gedaan)\b",
    # nobody would miss me: "niemand zou me missen", "beter af zonder mij"
    r"\bniemand {gap}{me} (?:missen|mist)\b",
    r"\bniemand mist {me}\b",
    r"\b(?:beter|gelukkiger) (?:af )?{gap}zonder (?:mij|me)\b",
    # ending it: "er een einde aan maken", "mijn leven beeindigen", "van kant maken"
    r"\ber {gap3}een (?:eind|einde) aan\b",
    r"\been (?:eind|einde) {gap}aan (?:mijn leven|alles|het leven)\b",
    r"\bpunt achter {gap}(?:zetten|gezet)\b.{{0,12}}\bvoorgoed\b",
    r"\b(?:mijn|het) leven {gap}(?:beeindigen|beindigen|stoppen|nemen)\b",
    r"\bstoppen met {gap}(?:leven|bestaan)\b",
    r"\bstoppen met alles voor altijd\b",
    r"\b{mezelf} {gap}van kant\b",
    # hurting oneself: "ik snij mezelf", "ik doe mezelf pijn", "in mijn armen gesneden"
    r"\b{mezelf} {gap}(?:pijn|pyne|kapot|dood|ophangen|verwonden|snijden|vermoorden"
    r"|doodmaken|opknopen|unaliven|gesneden|gekrast|verwond|iets aan te doen|iets aandoen"
    r"|iets aan doen|iets doen)\b",
    r"\b(?:snij|snijd|sneed|snyde|snijden|sny|kras|krassen|cut|cutten|verwond) "
    r"{gap}{mezelf}\b",
    r"\b(?:snij|snijd|snyde|sneed|kras) (?:me|mij)\b",
    r"\b(?:gesneden|gekrast|snij|snijd|sneed|snyde|snijden|kras|krassen) (?:in )?(?:mijn|me) "
    r"(?:arm|armen|pols|polsen|been|benen|dijen|dij|huid)\b",
    r"\bin (?:mijn|me) (?:arm|armen|pols|polsen|benen|dijen|huid) {gap}"
    r"(?:gesneden|gekrast|snijden|krassen|snij|snijd)\b",
    r"\b(?:littekens|wonden|sneden) (?:op|in|van) {gap}(?:arm|armen|pols|polsen|benen|dijen)\b",
    r"\b(?:relapse|terugval) {gap}(?:snijden|sh|krassen)\b",
    # pills, jumping, hanging; goodbye letters
    r"\b(?:pillen|medicijnen|medicatie|tabletten|slaappillen|pilletjes) {gap}"
    r"(?:verzameld|verzamelen|opgespaard|opsparen|gespaard)\b",
    r"\b(?:alle|al mijn|een hele doos|een hele strip|een doos|heel veel|te veel|een hoop) "
    r"(?:pillen|medicijnen|tabletten|slaappillen|pilletjes)\b",
    r"\boverdos",
    r"\b(?:springen|spring|sprong) (?:van|voor|onder) {gap}(?:brug|trein|flat|dak|gebouw"
    r"|metro|tram)\b",
    r"\bvan (?:de|een|het) (?:brug|flat|dak|toren) {gap}springen\b",
    r"\b(?:voor|onder) (?:de|een) (?:trein|tram|bus|metro) {gap}(?:springen|spring|lopen"
    r"|gaan liggen)\b",
    r"\b(?:me|mij|mezelf) (?:op)?hangen\b",
    r"\bafscheidsbrie[fv]",
    r"\bafscheid (?:nemen|genomen|te nemen) van (?:iedereen|de wereld|alles)\b",
    # wanting to disappear or not wake up
    r"\b{wil} {gap}verdwijnen\b",
    r"\b(?:voor altijd|voorgoed) (?:weg|verdwijnen|slapen)\b",
    r"\b{niet} {meer} wakker (?:worden|word|te worden|werd)\b",
    r"\bslapen en nooit\b",
    r"\beeuwig slapen\b",
    # at the end of one's rope: "ik kan niet meer", "ik kan het niet meer aan"
    r"\bkan {gap}{niet} {meer}{end}",
    r"\bkan (?:het|dit|dat|alles|de druk) {gap}{niet} {meer} aan\b",
    r"\bhou {gap}{niet} {meer} (?:vol|uit)\b",
    r"\bwil dat (?:alles|het|de pijn|dit|het allemaal) (?:gewoon )?(?:stopt|ophoudt"
    r"|gedaan is|voorbij is)\b",
    # French: "je veux mourir", "envie d'en finir", "plus envie de vivre", "je me scarifie"
    r"\b(?:envie|veux|voudrais|veut|vais|vx|reve) {gap}(?:mourir|crever|disparaitre"
    r"|en finir|me tuer|me suicider)\b",
    r"\ben finir\b",
    r"\bplus (?:envie de )?vivre\b",
    r"\bmarre de (?:vivre|la vie|ma vie|exister)\b",
    r"\bme (?:scarifie|mutile|taillade|fais du mal|faire du mal|tuer|suicider|pendre)\b",
    r"\bme coupe(?:r)? (?:les|le) (?:bras|veines|poignets|cuisses)\b",
    r"\bpersonne ne {gap}(?:remarquerait|regretterait|manquerait|remarquera)\b",
    r"\bmieux sans moi\b",
    r"\bla vie {gap}(?:plus de sens|aucun sens|sert a rien)\b",
    r"\ben peux plus{end}",
    r"\ben peux plus de vivre\b",
    # English: "i want to die", "kill myself", "nobody would miss me", "cutting again"
    r"\bkill(?:ing)? (?:my ?self|meself)\b",
    r"\b(?:want|wish|going|plan|planning|thinking about|think about) {gap}(?:to )?"
    r"(?:die|be dead|end it|end my life|end things|not exist|disappear forever)\b",
    r"\bend(?:ing)? (?:it all|my life|my own life|everything)\b",
    r"\bdont want to (?:live|be alive|exist|be here|wake up)\b",
    r"\b(?:no|nobody|noone|no one) (?:would|will) (?:miss|care|notice)\b",
    r"\bbetter off (?:dead|without me)\b",
    r"\bwish i (?:was|were|wasnt) (?:dead|never born|gone|born)\b",
    r"\b(?:cut|cutting|cuts|hurt|hurting|harm|harming|burn|burning) "
    r"(?:my ?self|my arms?|my wrists?|my legs?|my thighs?)\b",
    r"\bcutting again\b",
    r"\btired of (?:living|being alive|life|existing)\b",
    r"\bcant (?:go on|do this anymore|take it anymore)\b",
    r"\bno reason to live\b",
]

# Sexual abuse, forced marriage, confinement: abuse whoever does it.
ABUSE = [
    # rape, assault, abuse named outright (nl, fr, en)
    r"\bverkracht",
    r"\baangerand",
    r"\baanrand",
    r"\bmisbruik",
    r"\bmishandel",
    r"\bse[kx]sue(?:el|le) (?:misbruik|geweld|lastig|overschrijdend)",
    r"\bviol(?:e|ee|ees|er|ait)\b",
    r"\brap(?:e|ed|ing)\b",
    r"\bmolest",
    r"\babus(?:e|ed|es|ing)\b",
    # unwanted touching: "komt 's nachts aan mij", "zit aan me", "raakt me aan"
    r"\b(?:betast|betastte|betasten|friemelt|friemelde)\b",
    r"\b(?:komt|kwam|zit|zat|zitten|komen|raakt|raakte|gezeten|gekomen) {gap}aan "
    r"(?:me|mij|mijn (?:lichaam|borsten|billen|kruis|benen|lijf))\b",
    r"\baan (?:me|mij) (?:gezeten|gekomen|zitten|zit|komen|raken)\b",
    r"\braakt? {me} {gap}aan\b",
    r"\bme touche(?:nt)?\b",
    r"\b(?:touches|touched|touching) (?:me|my)\b",
    # coerced by a partner: "mijn lief dwingt me", "mon copain me force"
    r"\bdwingt? {gap}(?:tot|om) {gap}(?:seks|sex|dingen|fotos|naaktfotos|nudes)\b",
    r"\b(?:lief|liefje|vriend|vriendje|vriendin|partner|ex|boyfriend|girlfriend|bf|gf"
    r"|copain|copine|mec) {gap}(?:dwingt|dwong|dwingen|forces|forced|force)\b",
    r"\bmoet (?:seks|sex) hebben\b",
    # forced marriage
    r"\buithuwelijk",
    r"\bgedwongen (?:huwelijk|trouwen)\b",
    r"\b(?:wil|willen|wilt) {me} {gap}(?:laten trouwen|trouwen met|uithuwelijken)\b",
    r"\bforced marriage\b",
    r"\bmariage force\b",
    # locked up, no food: "sluiten me op", "geen eten"
    r"\b(?:sluit|sluiten|sloot|sloten) {me} {gap}op\b",
    r"\block(?:s|ed)? (?:me|us) (?:in|up|out)\b",
    r"\b(?:me|m) enferm",
    r"\b(?:geeft|geven|krijg|kreeg|krijgen) {gap}geen eten\b",
    r"\bzonder eten\b",
    r"\bwithout food\b",
    # someone coming into the room at night or watching in the shower
    r"\b(?:komt|kwam) {gap}s nachts {gap}(?:naar|in) mijn kamer\b",
    r"\b(?:komt binnen|kijkt naar {me}) als ik (?:douche|in bad zit|me omkleed)\b",
]

# Harm done or promised to the young person. Who does it decides the kind:
# someone close (_CLOSE) -> abuse; one unnamed person (_SINGLE) -> abuse and threat;
# anyone else (peers, strangers, "ze") -> threat.
HARM_TO_ME = [
    # hitting, kicking, beating: "mijn vader slaat me", "slaat hij ons", "ze slaan me"
    r"\b{hit} (?:hij |ze |zij |die )?{me}\b",
    r"\b(?:stampen|stampten|stampt|slaan|kloppen|trappen|schoppen|springen) op {me}\b",
    r"\b(?:gooit|gooien|gooiden|smijt|smyt|smijten) {gap}(?:naar|tegen|op) {me}\b",
    r"\b(?:smijt|smyt|duwt|duwen|duwde|gooit|gooide|gooiden) {me} (?:tegen|van|op de grond"
    r"|op grond)\b",
    r"\b(?:me|mij|ons|ik|word|werd|worden) {gap}(?:geslagen|geklopt|geschopt|gestampt"
    r"|getrapt|gemept|geramd|afgetuigd|afgeranseld|gewurgd|in elkaar geslagen"
    r"|in mekaar geslagen|in elkaar geklopt|in mekaar geklopt|in elkaar getrapt|opgewacht"
    r"|aangevallen)\b",
    r"\bin (?:elkaar|mekaar) (?:slaan|slaat|geslagen|kloppen|geklopt|trappen|getrapt)\b",
    r"\b(?:krijg|kreeg|krijgen|krygen|kregen|geeft|geven|gaf) {gap}(?:slaag|klappen|slagen"
    r"|een pak rammel|rammel|tetten|een tet|tets|patatten|een mep|meppen|een lap|stampen"
    r"|schoppen|een vuistslag|vuistslagen|een klap)\b",
    r"\bblauwe plek(?:ken)? {gap}(?:van|door) (?:mijn|thuis|hem|haar|hen|die|ze)\b",
    r"\b(?:pakt|pakken|grijpt|grijpen) {me} (?:bij|aan) (?:mijn|de) (?:keel|nek|haar|haren)\b",
    r"\b(?:knijpt|knijpen) in (?:mijn|me) (?:keel|nek)\b",
    r"\btrekt aan (?:mijn|me) (?:haar|haren)\b",
    r"\bdoet {me} pijn\b",
    # harm promised: "ze gaan me pakken", "ze zeggen dat ze me gaan vermoorden"
    r"\b(?:gaan|gaat|ga|willen|wil|komen|komt|zullen|zal|zouden) {gap}{me} {gap}"
    r"(?:pakken|slaan|kloppen|rammen|steken|neersteken|doodsteken|vermoorden|doodmaken"
    r"|afmaken|kapotmaken|kapot maken|kapot slaan|in elkaar slaan|in mekaar slaan"
    r"|in elkaar kloppen|in mekaar kloppen|jumpen|opwachten|te grazen nemen|neerschieten"
    r"|doodschieten|aanvallen|iets aandoen|iets aan doen|pijn doen|slopen|afknallen)\b",
    r"\b{me} {gap}(?:gaan|gaat|willen|komen|zullen) {gap}(?:pakken|slaan|kloppen|rammen"
    r"|steken|neersteken|doodsteken|vermoorden|doodmaken|afmaken|kapotmaken|kapot maken"
    r"|in elkaar slaan|in mekaar slaan|jumpen|opwachten|neerschieten|doodschieten"
    r"|aanvallen|slopen)\b",
    r"\b{me} doodmaakt\b",
    r"\b(?:wachten|staan|stonden) {me} {gap}op\b",
    r"\bopwacht",
    # French: "il me frappe", "ils m'ont tabassé", "ils vont me frapper"
    r"\b(?:me|m|nous) (?:frappe|frappent|frappait|bat|battent|battait|tape|tapent|cogne"
    r"|cognent|gifle|giflent|tabasse|tabassent|etrangle|brutalise)\b",
    r"\b(?:me|m) (?:a|ont|avait|avaient) (?:frappe|frappee|battu|battue|tabasse|tabassee"
    r"|tape|cogne|gifle|agresse|agressee)\b",
    r"\bme fais (?:frapper|taper|tabasser|battre|agresser)\b",
    r"\b(?:vont|va|veulent|veut) me (?:frapper|tabasser|tuer|buter|planter|defoncer|taper"
    r"|niquer|attendre)\b",
    r"\bme attendent\b",
    # English: "my dad hits me", "they beat me up", "got jumped", "gonna jump me"
    r"\b(?:hits|hit|hitting|beats|beat|beating|kicks|kicked|kicking|slaps|slapped|slapping"
    r"|punches|punched|punching|chokes|choked|choking|strangles|strangled|hurts|hurt) "
    r"(?:me|us)\b",
    r"\bbeat(?:s|ing)? (?:me |us )?up\b",
    r"\b(?:got|getting|been|i get|keep getting) (?:jumped|beaten|beat up|hit|attacked)\b",
    r"\b(?:going to|will|want to|trying to|threatened to|theyll|hell|shell) {gap}"
    r"(?:kill|stab|shoot|jump|beat|hurt|attack|rape) (?:me|us)\b",
]

THREAT = [
    # threatened, blackmailed: "ze dreigen mijn foto's te verspreiden", "bedreigd"
    r"\b(?:ge)?dreig\w* {gap3}(?:foto|fotos|nudes|naakt\w*|filmpje\w*|video\w*|beelden"
    r"|verspreid\w*|online|posten|doorsturen|door te sturen|rond te sturen|lekken|te lekken"
    r"|te delen|delen|dood|mes|slaan|te slaan|pakken|vermoorden|steken|kapot|in elkaar"
    r"|mijn huis|mijn familie|ons huis|iets aan te doen|pijn)\b",
    r"\bbedreig",
    r"\bdoodsbedreig",
    r"\b(?:chanteer|chanteert|chanteren|chanteerde|gechanteerd|chantage)\b",
    r"\bafpers",
    r"\bafgeperst",
    r"\bsextort",
    r"\bblackmail",
    r"\brackett",
    r"\bmenac",
    r"\bthreat",
    # intimate photos spread or held: "iemand heeft mijn nudes", "anders zet hij ... online"
    r"\b(?:nudes|nude|naakt\w*|blote fotos|pikante fotos|sexy fotos) {gap3}"
    r"(?:verspreid\w*|gedeeld|delen|doorgestuurd|door te sturen|rondgestuurd|rond te sturen"
    r"|online|posten|gepost|te posten|lekken|gelekt|te lekken|leak|leaked|post|heeft"
    r"|hebben|has|have)\b",
    r"\b(?:iemand|hij|ze|die|someone|he) {gap}(?:heeft|hebben|has|have) (?:mijn|my) "
    r"(?:nudes|naaktfotos|pics|fotos)\b",
    r"\banders {gap}(?:zet|post|stuurt|deelt|verspreidt|lekt) (?:hij|ze|zij) {gap}"
    r"(?:fotos|foto|filmpje|video|nudes|adres)\b",
    r"\b(?:fotos|foto|filmpje|video|adres|nudes) {gap}(?:gaat|gaan|zal|zullen) {gap}"
    r"(?:lekken|verspreiden|posten|delen|doorsturen|online zetten) als ik (?:niet|geen)\b",
    r"\b(?:leak|post|share|spread) (?:my|mine) (?:nudes|pics|photos|pictures|videos?)\b",
    r"\b(?:publier|diffuser|balancer|partager) (?:mes|ma) (?:photos?|videos?|nudes)\b",
    # stalked: "weet waar ik woon", "gestalkt"
    r"\bweet waar ik woon\b",
    r"\bknows where i live\b",
    r"\bsait ou je habite\b",
    r"\bgestalkt",
    r"\bstalk(?:t|en|s|ing|ed)? (?:me|mij)\b",
    r"\bstalker",
    # harm BY the young person: "ik ga hem neersteken", "ik ga ze allemaal afknallen"
    r"\b(?:ik|ga|gaan) {gap}{person} {gap}(?:neersteken|doodsteken|steken|insteken|vermoorden"
    r"|doodmaken|afmaken|kapotmaken|kapot maken|kapot slaan|kapotslaan|neerschieten"
    r"|doodschieten|afknallen|neerknallen|in elkaar slaan|in mekaar slaan|slaan|slopen"
    r"|pijn doen|iets aandoen|aanvallen|in brand steken)\b",
    r"\b(?:steek|stak|schiet|knal) ik (?:hem|haar|hen|je|jou|ze|die \w+) {gap}"
    r"(?:neer|dood|af|kapot)\b",
    r"\b(?:mes|messen|wapen|pistool|vuurwapen|gun|knife|couteau|boksbeugel) {gap3}"
    r"(?:mee naar|meenemen naar|meebrengen naar|to school|a le ecole)\b",
    r"\bmes in (?:zijn|haar|hun) (?:buik|buuk|rug|nek|kop|lijf)\b",
    r"\bin brand (?:gaan |te )?steken\b",
    r"\bmet (?:een )?mes {gap}(?:steken|insteken|bewerken)\b",
    r"\binsteken met (?:een )?mes\b",
    r"\bje (?:vais|va|veux) (?:le|la|les|te|lui|leur|vous) (?:tuer|planter|buter|defoncer"
    r"|frapper|niquer|tabasser|crever)\b",
    r"\b(?:im|i am|ill|i will|i want to) (?:going to )?(?:stab|kill|shoot|hurt|beat up"
    r"|jump|murder) (?:him|her|them|you|that|this|everyone|some)\b",
    r"\bbring(?:ing)? (?:a|my) (?:knife|gun)\b",
    r"\bshoot up\b",
]

DANGER = [
    # someone with a weapon: "er is iemand met een mes", "il a une arme"
    r"\b(?:iemand|man|mannen|vent|gast|guy|jongen|jongens|gasten|hij|ze|someone|somebody|he"
    r"|hes|quelquun|homme|mec|il|ils|vader|pa|papa|broer) {gap4}(?:met|me|heeft|had|hebben"
    r"|trekt|trok|pakt|pakte|houdt|zwaait|with|has|got|avec|a|tient|sort) (?:een |a |un "
    r"|une |zijn |his )?(?:mes|mess|messen|wapen|wapens|pistool|pistolen|geweer|vuurwapen"
    r"|gun|guns|knife|couteau|arme|flingue|pistolet|machete|bijl|kapmes|boksbeugel"
    r"|weapon)\b",
    r"\b(?:mes|wapen|pistool|gun|knife|couteau) (?:getrokken|trekken|pulled)\b",
    r"\b(?:gevecht|gevochten|vechten|vechtpartij|fight|bagarre) {gap3}(?:mes|messen|wapens?"
    r"|knife|knives|couteau|gun)\b",
    # in danger: "ik ben in gevaar", "levensgevaar", "je suis en danger"
    r"\b(?:ik|we|wij|mijn leven|ons leven) {gap}in gev(?:aa?|oa)r\w*",
    r"\blevensgevaar",
    r"\b(?:je suis|on est|nous sommes|je me sens) {gap}en danger\b",
    r"\ben danger de mort\b",
    r"\b(?:im|i am|were|we are|i feel) {gap}in danger\b",
    # followed right now: "ik word gevolgd", "iemand volgt me", "quelqu'un me suit"
    r"\b(?:word|worden|werd) {gap}(?:gevolgd|gevold|gevolgt|achtervolgd)\b",
    r"\b(?:iemand|man|mannen|vent|gast|guy|jongen|auto|groep|creep|hij|ze|someone|somebody"
    r"|he|quelquun|homme|mec|il|ils) {gap3}(?:volgt|volgen|achtervolgt|achtervolgen"
    r"|follows|following|suit|suivent|poursuit)\b",
    r"\bvolgt (?:iemand|een man|een auto|een vent|een gast) {me}\b",
    r"\b(?:iemand|man|vent|gast|creep|guy|auto|wagen|hij) {gap}(?:zit|staat|loopt|rijdt"
    r"|komt|rent|zitten) {gap}achter (?:me|mij)\b",
    r"\b(?:auto|wagen|car|busje) {gap}achter (?:me|mij)\b",
    r"\b(?:zit|staat|loopt|rijdt|komt) (?:er )?(?:een )?(?:iemand|man|vent|gast|creep|guy"
    r"|auto) {gap}achter (?:me|mij)\b",
    r"\bachter (?:me|mij|ons) aan\b",
    r"\bbeing followed\b",
    # intruders: "iemand breekt in", "er is iemand in ons huis", "devant ma porte"
    r"\b(?:inbreken|in te breken|inbreker|inbraak|break in|breaking in|cambrioleur)\b",
    r"\bbreekt {gap}in\b",
    r"\b(?:trapt|slaat|breekt|bonkt|beukt|bonst) {gap}deur\b",
    r"\b(?:iemand|een man|man|vent|een vent|onbekende|inbreker) {gap3}(?:in|aan|voor) "
    r"(?:ons|mijn|onze|de) (?:huis|kamer|deur|raam)\b",
    r"\bhij staat {gap}(?:aan|voor) (?:de|mijn|onze) deur\b",
    r"\b(?:wil|probeert|proberen) {gap}binnen (?:te )?(?:komen|geraken)\b",
    r"\bdevant (?:ma|la|notre) porte\b",
    r"\b(?:veut|veulent|essaie de|essaye de) entrer\b",
    r"\btrying to (?:get in|break in)\b",
    # trapped, held, taken: "ik zit opgesloten", "hij houdt me vast", "wil me meenemen"
    r"\bopgesloten\b",
    r"\bhoudt {me} vast\b",
    r"\blaat {me} niet (?:los|weg|vrij)\b",
    r"\b(?:wil|willen|probeert) {me} {gap}meenemen\b",
    r"\b(?:trekt|sleurt) {me} (?:in|mee)\b",
    r"\bontvoer",
    r"\bkidnap",
    r"\b(?:heb me|ben|zit) {gap}verstopt\b",
    r"\bverstop (?:me|mij)\b",
    r"\b(?:im hiding|hiding from)\b",
    # call emergency services; urgent help: "bel 112", "help nu", "au secours"
    r"\b(?:bel|call|appelez|appelle) {gap}(?:112|911|ambulance|ziekenwagen|samu)\b",
    r"(?:^|\. |help |pls |aub |snel |yo |iemand )(?:bel|call|appelez|appelle) {gap}"
    r"(?:politie|brandweer|101|police|cops|flics|pompiers)\b",
    r"\bhelp {gap}(?:nu|snel|dringend|asap|now|vite)\b",
    r"\bhelp help\b",
    r"\bhelp {gap3}(?:hij|he|hes|il|ze|they|iemand|someone) {gap}(?:komt|coming|arrive"
    r"|volgt|following|suit|zoekt|looking)\b",
    r"\bhulp nodig {gap}(?:nu|dringend|snel)\b",
    r"\bdringend hulp\b",
    r"\bsos\b",
    r"\bnoodgeval\b",
    r"\bkom (?:snel|vlug)\b",
    r"\bau secours\b",
    r"\ba le aide\b",
    r"\baidez moi\b",
    # fire, injured, unconscious, overdose: "er is brand", "is neergestoken", "bewusteloos"
    r"\b(?:er is|het is|is) brand\b",
    r"\bstaat in (?:de )?brand\b",
    r"\b(?:is|werd|got|has been|was) {gap}(?:neergestoken|gestoken|neergeschoten|stabbed"
    r"|shot)\b",
    r"\bbloed\w* {gap}(?:erg|hard|veel|fel)\b",
    r"\bbewusteloos\b",
    r"\breageert {niet}\b",
    r"\bademt {niet}\b",
    r"\b(?:unconscious|not breathing|isnt waking up|not waking up|wont wake up)\b",
    r"\b(?:pillen|medicijnen|tabletten|slaappillen|pilletjes|medicatie) {gap}(?:genomen"
    r"|ingenomen|geslikt)\b",
    r"\boverdos",
]

# Someone close: family, partner, a leader or trainer, or "at home".
_CLOSE = (
    r"\b(?:vader|va|pa|papa|pap|paps|pappa|vake|stiefvader|stiefva|stiefpa|stiefpapa"
    r"|plusvader|pluspapa|moeder|moedr|ma|mama|mam|mams|mamma|stiefmoeder|stiefma|stiefmama"
    r"|plusmama|ouders|ouder|broer|broere|broertje|zus|zuster|zusje|oom|nonkel|nonk|tante"
    r"|opa|oma|bompa|bomma|pepe|meme|grootvader|grootmoeder|neef|nicht|familie|lief|liefje"
    r"|vriend|vriendje|vriendin|partner|ex|stiefbroer|stiefzus|thuis|home|maison|dad|father"
    r"|mom|mum|mother|stepdad|stepmom|stepfather|stepmother|parents|brother|sister|uncle"
    r"|aunt|grandpa|grandma|boyfriend|girlfriend|bf|gf|pere|mere|maman|frere|soeur|oncle"
    r"|beau pere|belle mere|copain|copine|daron|darons|daronne|leider|leiding|trainer|coach"
    r"|monitor|leraar|lerares|juf|meester|buurman)\b"
)
# One unnamed person: "hij slaat me", "il me frappe".
_SINGLE = r"\b(?:hij|il|he|hes|she|elle)\b"


def _compile(patterns: Iterable[str]) -> re.Pattern[str]:
    """One alternation of the patterns, fragments filled in."""
    return re.compile("|".join(f"(?:{p.format_map(_FRAGMENTS)})" for p in patterns))


_GUARD = _compile(GUARDS)
_DIRECT = {
    "self_harm": _compile(SELF_HARM),
    "abuse": _compile(ABUSE),
    "threat": _compile(THREAT),
    "danger": _compile(DANGER),
}
_HARM_TO_ME = _compile(HARM_TO_ME)
_CLOSE_RE = re.compile(_CLOSE)
_SINGLE_RE = re.compile(_SINGLE)


def _guarded(normalised: str) -> str:
    """Idioms replaced by '_' so no pattern sees them."""
    return _GUARD.sub("_", normalised)


def _by_severity(kinds: Iterable[str]) -> tuple[str, ...]:
    """Kinds ordered most urgent first."""
    found = set(kinds)
    return tuple(kind for kind in SEVERITY if kind in found)


def pattern_kinds(text: str) -> tuple[str, ...]:
    """The kinds the patterns find, most urgent first (no model involved)."""
    found: set[str] = set()
    for variant in _variants(text):
        guarded = _guarded(variant)
        found.update(kind for kind, regex in _DIRECT.items() if regex.search(guarded))
        if _HARM_TO_ME.search(guarded):
            if _CLOSE_RE.search(guarded):
                found.add("abuse")
            elif _SINGLE_RE.search(guarded):
                found.update(("abuse", "threat"))
            else:
                found.add("threat")
    return _by_severity(found)


# --------------------------------------------------------------------------- model


def _model_text(text: str) -> str:
    """What the model reads: normalised, idioms replaced."""
    return _guarded(normalise(text))


_CHAR_NGRAMS = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5)).build_analyzer()


def _features(text: str) -> list[str]:
    """Character 2-5-grams within words (typos, dialect), plus words and word pairs.

    One vectorizer for both keeps a prediction at half a millisecond; two in a
    FeatureUnion cost twice that.
    """
    words = text.split()
    pairs = (f"{first} {second}" for first, second in itertools.pairwise(words))
    return [*_CHAR_NGRAMS(text), *(f"w:{w}" for w in words), *(f"w:{p}" for p in pairs)]


def _pipeline() -> Pipeline:
    """TF-IDF over _features, multinomial logistic regression with balanced classes."""
    features = TfidfVectorizer(analyzer=_features, sublinear_tf=True)
    kinds = LogisticRegression(C=10.0, solver="newton-cg", max_iter=1000, class_weight="balanced")
    return Pipeline([("features", features), ("kinds", kinds)])


def _choose_threshold(
    distress_probability: np.ndarray[Any, Any], truth: np.ndarray[Any, Any]
) -> float:
    """The lowest threshold whose precision on out-of-fold probabilities is high enough."""
    for threshold in sorted(_THRESHOLDS):
        flagged = distress_probability >= threshold
        hits = int((truth & flagged).sum())
        if hits and hits / int(flagged.sum()) >= MODEL_PRECISION:
            return float(threshold)
    return float(max(_THRESHOLDS))


# --------------------------------------------------------------------------- public


@dataclass(frozen=True)
class Distress:
    """The verdict on one message; false when it shows no distress."""

    kinds: tuple[str, ...] = ()  # most urgent first (SEVERITY); empty when not distress
    by_patterns: bool = False  # at least one pattern matched
    by_model: bool = False  # the model's probability reached its threshold

    def __bool__(self) -> bool:
        """True when the message shows distress."""
        return bool(self.kinds)


class DistressDetector:
    """Patterns OR a character n-gram model; ``detect`` takes well under a millisecond."""

    def __init__(self, pipeline: Pipeline, threshold: float, version: str) -> None:
        self._pipeline = pipeline
        self._classes: list[str] = [str(c) for c in pipeline.classes_]
        self._none = self._classes.index(NONE)
        self.threshold = threshold
        self.version = version

    @classmethod
    def default(cls) -> DistressDetector:
        """Trained on default_examples() on first use, then cached in-process."""
        return _default_detector()

    @classmethod
    def train(cls, examples: Sequence[tuple[str, str]]) -> DistressDetector:
        """Fit on (text, kind-or-'none') pairs; the threshold comes from 5-fold CV."""
        texts = [_model_text(text) for text, _ in examples]
        labels = np.array([label for _, label in examples])
        unknown = sorted(set(labels) - {*KINDS, NONE})
        if unknown:
            raise ValueError(f"unknown categories: {', '.join(unknown)}")
        if NONE not in set(labels) or len(set(labels)) < 2:
            raise ValueError("training needs 'none' examples and at least one kind")
        truth = labels != NONE
        with threadpool_limits(limits=1):  # BLAS threads fight on a busy machine: 20x slower
            threshold, pipeline = cls._fit(texts, labels, truth)
        digest = joblib.hash([_RECIPE, list(examples)])
        return cls(pipeline, threshold, f"distress-{str(digest)[:12]}")

    @staticmethod
    def _fit(
        texts: list[str], labels: np.ndarray[Any, Any], truth: np.ndarray[Any, Any]
    ) -> tuple[float, Pipeline]:
        """Threshold from out-of-fold probabilities, then the fit on everything.

        The TF-IDF weights are fitted once on all texts, before the folds: they use no
        labels, and vectorising once keeps training near a second.
        """
        pipeline = _pipeline()
        features, model = pipeline.named_steps["features"], pipeline.named_steps["kinds"]
        matrix = features.fit_transform(texts)
        smallest = min(int((labels == label).sum()) for label in set(labels))
        folds = min(5, smallest)
        threshold = 0.5
        if folds >= 2:
            split = StratifiedKFold(folds, shuffle=True, random_state=0)
            probabilities = cross_val_predict(
                clone(model), matrix, labels, cv=split, method="predict_proba"
            )
            classes = sorted(set(labels))
            distress = 1.0 - np.asarray(probabilities)[:, classes.index(NONE)]
            threshold = _choose_threshold(distress, truth)
        model.fit(matrix, labels)
        return threshold, pipeline

    def probability(self, text: str) -> float:
        """The model's probability that the message shows distress."""
        return 1.0 - float(self._probabilities(text)[self._none])

    def model_kinds(self, text: str) -> tuple[str, ...]:
        """The model's most likely kind when it reaches its threshold, else ()."""
        row = self._probabilities(text)
        if 1.0 - float(row[self._none]) < self.threshold:
            return ()
        best = max(
            (i for i, label in enumerate(self._classes) if label != NONE),
            key=lambda i: float(row[i]),
        )
        return (self._classes[best],)

    def detect(self, text: str) -> Distress:
        """Patterns first; the model adds a kind only when the patterns found none."""
        from_patterns = pattern_kinds(text)
        from_model = self.model_kinds(text)
        kinds = from_patterns or from_model
        return Distress(kinds, bool(from_patterns), bool(from_model))

    def save(self, path: Path) -> None:
        """Write the model to one joblib file."""
        path.parent.mkdir(parents=True, exist_ok=True)
        payload = {"pipeline": self._pipeline, "threshold": self.threshold}
        joblib.dump({**payload, "version": self.version}, path)

    @classmethod
    def load(cls, path: Path) -> DistressDetector:
        """Read a model written by :meth:`save` (only load files this program wrote)."""
        payload = joblib.load(path)
        return cls(payload["pipeline"], float(payload["threshold"]), str(payload["version"]))

    def _probabilities(self, text: str) -> np.ndarray[Any, Any]:
        """Class probabilities for one message, in the order of self._classes."""
        with config_context(assume_finite=True, skip_parameter_validation=True):
            rows: np.ndarray[Any, Any] = np.asarray(
                self._pipeline.predict_proba([_model_text(text)])
            )
        row: np.ndarray[Any, Any] = rows[0]
        return row


@functools.cache
def _default_detector() -> DistressDetector:
    """The shipped detector, trained once per process."""
    return DistressDetector.train(default_examples())


def barrier_answers(folder: Path) -> list[str]:
    """The answers in a folder of barrier-theme training files (Rasa NLU YAML)."""
    files = sorted(folder.glob("*.yml"))
    intents = {part for path in files for part in path.stem.split("+")}
    return [example.text for path in files for example in load_file(path, intents)]


def default_examples() -> list[tuple[str, str]]:
    """train.yml, plus each barrier training answer the patterns pass as 'none'.

    Without these ordinary answers the model flagged one in six of them; the few that the
    patterns flag (someone beaten up on the way to the club) may be distress by our
    line, so they are left out rather than taught as 'none'.
    """
    examples = load_examples(TRAIN_PATH)
    if BARRIER_TRAIN_DIR.is_dir():
        answers = barrier_answers(BARRIER_TRAIN_DIR)
        examples += [(text, NONE) for text in answers if not pattern_kinds(text)]
    return examples


def load_examples(path: Path) -> list[tuple[str, str]]:
    """(text, category) pairs from a YAML file of 'category: [texts]'; errors say file:line."""
    try:
        source = path.read_text(encoding="utf-8")
        root = yaml.compose(source, Loader=yaml.SafeLoader)
    except (OSError, UnicodeDecodeError) as error:
        raise ValueError(f"{path}:1: cannot read: {error}") from error
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        problem = getattr(error, "problem", None) or "not valid YAML"
        raise ValueError(f"{path}:{line}: not valid YAML: {problem}") from error
    if root is None:
        raise ValueError(f"{path}:1: empty file; expected 'category:' keys with lists of texts")
    if not isinstance(root, yaml.MappingNode):
        line = root.start_mark.line + 1
        raise ValueError(f"{path}:{line}: expected 'category:' keys with lists of texts")
    allowed = (*KINDS, NONE)
    examples: list[tuple[str, str]] = []
    categories: set[str] = set()
    seen: dict[str, int] = {}  # folded text -> line, to catch duplicates
    for key, value in root.value:
        line = key.start_mark.line + 1
        category = str(key.value)
        if category not in allowed:
            raise ValueError(
                f"{path}:{line}: unknown category {category!r} (use {', '.join(allowed)})"
            )
        if category in categories:
            raise ValueError(f"{path}:{line}: category {category!r} appears twice")
        categories.add(category)
        if isinstance(value, yaml.ScalarNode) and value.value in ("", "~", "null"):
            continue
        if not isinstance(value, yaml.SequenceNode):
            raise ValueError(f"{path}:{line}: {category}: expected a list of texts ('- ...')")
        for item in value.value:
            item_line = item.start_mark.line + 1
            if not isinstance(item, yaml.ScalarNode):
                raise ValueError(
                    f"{path}:{item_line}: {category}: expected a text; quote a text that "
                    f"contains ': ' or starts with ' [ {{"
                )
            text = str(item.value).strip()
            if not text:
                raise ValueError(f"{path}:{item_line}: {category}: empty text")
            earlier = seen.setdefault(" ".join(text.casefold().split()), item_line)
            if earlier != item_line:
                raise ValueError(f"{path}:{item_line}: {category}: same text as line {earlier}")
            examples.append((text, category))
    return examples
