"""One spelling for many: the form the NLU's patterns and models read.

Young people in Kortrijk write standard Dutch, West-Flemish dialect ('k, gin, nie, mien,
't es, ge/gij), chat slang (kwil, kheb, gwn, wrm, mn), leetspeak (z3lfm00rd), stretched
letters (heeelp), words run together (ikwilnietmeer), emoji, and other scripts (Turkish,
Arabic, Cyrillic). This module maps all of that to one lower-case form without accents,
with clause ends marked as " . ", so that one pattern or one model feature covers every
spelling. Arabic letter variants are unified; Cyrillic is kept (only lower-cased).

It knows nothing of distress or of themes: the word lists here are spelling, not meaning
(the few emoji it names become the word they stand for). Any NLU component may use it:
``normalise`` for one form, ``variants`` when a stretched letter may stand for one
letter or for two ("doooood" -> "dood", "helppp" -> "help").
"""

from __future__ import annotations

import functools
import re
import unicodedata

from survey.text import fold as _base_fold

__all__ = [
    "LEXICON",
    "TOKENS",
    "fold",
    "map_tokens",
    "normalise",
    "plain",
    "split_glued",
    "variants",
]

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "ʼ": "'", "′": "'"})
_LIGATURES = str.maketrans(
    {"œ": "oe", "æ": "ae", "ø": "o", "ł": "l", "Ł": "L", "đ": "d", "ı": "i", "Œ": "OE"}
)
# Arabic and Persian: one form per letter (alef with hamza, alef maqsura, teh marbuta,
# Persian kaf and yeh), no tatweel. Short vowels and other marks go with the accents.
_ARABIC = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ی": "ي",
        "ئ": "ي",
        "ة": "ه",
        "ؤ": "و",
        "ک": "ك",
        "ـ": "",
    }
)
# A few emoji that stand for a word; laughter becomes "haha" so a joke reads as one.
_EMOJI = {
    "😂": "haha",
    "🤣": "haha",
    "😆": "haha",
    "😹": "haha",
    "💀": "haha",
    "😭": "huil",
    "😢": "huil",
    "💊": "pillen",
    "🔪": "mes",
    "🗡": "mes",
    "🔫": "pistool",
    "🩸": "bloed",
    "🪢": "touw",
    "⚰": "doodskist",
    "🍺": "bier",
    "🍻": "bier",
    "🍾": "drank",
    "🚬": "sigaret",
    "🍃": "wiet",
    "🌿": "wiet",
    "❄": "coke",
}
_EMOJI_RE = re.compile("|".join(map(re.escape, _EMOJI)))
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a"})
# A word that starts and ends with a Latin letter and has digits inside: "z3lfm00rd".
_LEET_WORD = re.compile(r"(?<![\w@])[a-z][a-z0-9@]*[0-9@][a-z0-9@]*[a-z](?![\w@])")
# Dutch and West-Flemish clitics with an apostrophe, before apostrophes go.
_CLITICS = (
    (re.compile(r"(?<![a-z])'k e\b"), "ik heb"),  # West-Flemish "'k e" = ik heb
    (re.compile(r"(?<![a-z])'k\b"), "ik"),
    (re.compile(r"\bk'e\b"), "ik heb"),  # West-Flemish "k'e gin" = ik heb geen
    (re.compile(r"\bk'(?=[a-z])"), "ik "),
    (re.compile(r"(?<![a-z])'t\b"), "het"),
    (re.compile(r"\bt'(?=[a-z])"), "het "),
    (re.compile(r"(?<![a-z])'n\b"), "een"),
    (re.compile(r"(?<![a-z])'j\b"), "hij"),
    (re.compile(r"(?<![a-z])'s\b"), "s"),
    (re.compile(r"\bm'n\b"), "mijn"),
    (re.compile(r"\bz'n\b"), "zijn"),
    (re.compile(r"\bd'r\b"), "er"),
    (re.compile(r"\bda's\b"), "dat is"),
    (re.compile(r"\bwa's\b"), "wat is"),
    # English contractions keep their word: "don't" -> "dont", "I'm" -> "im"
    # French elision: j'ai -> je ai, m'a -> me a, qu'il -> que il
    (re.compile(r"\b(qu|[jmtsdlnc])'(?=[a-z])"), r"\1e "),
)
_CLAUSE_END = re.compile(r"[.!?;:,…\n\r؟،؛]+")
_NOT_WORD = re.compile(r"[^\w. ]+|_")
_SPACES = re.compile(r"\s+")
_REPEATED_DOTS = re.compile(r"(?:\. )+")
_RUN = re.compile(r"([^\W\d_])\1{2,}")
# "kwil", "kben", "kheb": the chat spelling of "'k wil".
_K_VERB = re.compile(
    r"\bk(ben|wil|wille|wou|ga|gaan|goa|zie|heb|hebbe|he|e|zit|zitte|voel|voele|denk|kan|zou"
    r"|doe|word|wordt|snij|snyde|moet|moe|haat|weet|zyn|zijn|krijg|durf|durve|mis|sta|lig"
    r"|hoor|eet|ete|drink|slaap|mag|peins|zag|had|was|werd|ging|kreeg|snap|vind|blijf|loop"
    r"|slik|rook|smoor|moest|kon|wist)\b"
)
# Small spellings that depend on the word before: West-Flemish "'t es", "as 'k".
_CONTEXT = (
    # "noar us", "eten in us": West-Flemish "huis" (English "us" elsewhere stays)
    (re.compile(r"\b(naar|uit|van) us\b"), r"\1 huis"),
    (
        re.compile(r"\b(eten|niks|niets|er|hier|alleen|iemand|niemand|meer|is) in us\b"),
        r"\1 in huis",
    ),
    (re.compile(r"\b(het|dat|wat|hij|zij|ze|er|dit|alles|leven|t|huis|thuis) es\b"), r"\1 is"),
    (re.compile(r"\bas (?=(?:ik|het|je|jij|ze|hij|we|dat|er|mijn|men)\b)"), "als "),
    (re.compile(r"\btis\b"), "het is"),
    # West-Flemish first person: "'k zin" = ik ben, "'k hè" = ik heb, "'k zien" = ik
    # zie, "'k en gin" = ik heb geen (not "'k en weet" = the old negation, which stays)
    (re.compile(r"(?<!heb )(?<!had )\bik zin\b(?! (?:in|om|op)\b)"), "ik ben"),
    (re.compile(r"\bik he\b"), "ik heb"),
    # "eur eigen" = haar eigen (but "180 eur" stays euro)
    (re.compile(r"\beur (?=(?:eigen|zelf|moeder|ma|vader|va|pa|lief|vriend|kamer)\b)"), "haar "),
    (re.compile(r"\bik (zie|ga|doe)n (?=(?:het|dat|niet|geen|er|hier|mijn|me|mij)\b)"), r"ik \1 "),
    (re.compile(r"\bik e (?=(?:geen|niks|niets|een|al|nog|honger|schrik|pijn)\b)"), "ik heb "),
    (re.compile(r"\bik en (?=(?:geen|niks|niets|honger|schrik|pijn)\b)"), "ik heb "),
)

# Whole-word spellings mapped to one form, so one pattern covers them all.
TOKENS: dict[str, str] = {
    # pronouns and possessives (standard, West-Flemish, chat)
    "k": "ik", "kik": "ik", "ikke": "ik", "ek": "ik",
    "t": "het",
    "mn": "mijn", "myn": "mijn", "mien": "mijn", "mjn": "mijn", "mijne": "mijn", "men": "mijn",
    "mne": "mijn", "mijn": "mijn",
    "mie": "mij", "mij": "mij",
    "zn": "zijn", "zyn": "zijn", "zen": "zijn",
    "hy": "hij", "ie": "hij", "em": "hem", "zy": "zij",
    "ge": "je", "gij": "jij", "gie": "jij", "gulder": "jullie", "ulder": "hun",
    "mezelve": "mezelf", "mijzelf": "mezelf", "mzelf": "mezelf", "mezelv": "mezelf",
    "mzlf": "mezelf", "mezlf": "mezelf", "zelve": "zelf",
    "oiders": "ouders", "ojders": "ouders", "ouwers": "ouders", "oujers": "ouders",
    # negation and small words
    "nie": "niet", "ni": "niet", "nt": "niet", "nit": "niet", "neit": "niet", "nieme": "niet meer",
    "nimmer": "niet meer", "mier": "meer", "mir": "meer", "mi": "meer", "nimi": "niet meer",
    "gin": "geen", "gn": "geen", "gene": "geen", "gien": "geen",
    "da": "dat", "wa": "wat", "der": "er", "ier": "hier", "e": "een", "nen": "een",
    "ne": "een", "an": "aan", "ol": "al", "olles": "alles", "oltied": "altijd", "oltijd": "altijd",
    "ip": "op", "uut": "uit", "veur": "voor", "voe": "voor", "vo": "voor", "vr": "voor",
    "gwn": "gewoon", "gewn": "gewoon", "gw": "gewoon", "egt": "echt", "ech": "echt",
    "iemd": "iemand", "iemant": "iemand", "imand": "iemand", "iemnd": "iemand",
    "niemd": "niemand", "niemant": "niemand",
    "snachts": "s nachts", "savonds": "s avonds", "smorgens": "s morgens",
    "vanavnd": "vanavond", "vnavond": "vanavond", "vnv": "vanavond", "vannavond": "vanavond",
    "vanacht": "vannacht", "vnacht": "vannacht",
    "thuus": "thuis", "tuis": "thuis", "uus": "huis", "huus": "huis", "ois": "huis",
    "ei": "heeft", "ee": "heeft", "hee": "heeft", "hebbe": "heb", "benne": "ben",
    "zitte": "zit", "voele": "voel", "peinze": "denk", "peins": "denk", "gepeinsd": "gedacht",
    "miskien": "misschien", "mss": "misschien", "wss": "waarschijnlijk",
    "bitje": "beetje", "bikje": "beetje", "bekke": "beetje", "ff": "even",
    "wrm": "waarom", "wrom": "waarom", "wnr": "wanneer", "nx": "niks", "nrml": "normaal",
    "normoal": "normaal", "elken": "elke", "elkn": "elke",
    # West-Flemish verb and word forms
    "goan": "gaan", "goa": "ga", "goat": "gaat", "moaken": "maken", "moake": "maken",
    "moak": "maak", "afmoaken": "afmaken", "kapotmoaken": "kapotmaken",
    "doar": "daar", "noar": "naar", "noa": "naar", "woar": "waar", "gevoar": "gevaar",
    "stoat": "staat", "loat": "laat", "sloat": "slaat", "sloan": "slaan", "kloat": "klopt",
    "mekoar": "mekaar", "elkoar": "elkaar", "ollemoale": "allemaal", "allemoal": "allemaal",
    "allemoale": "allemaal", "doagen": "dagen", "doag": "dag", "zoe": "zou",
    "zoen": "zouden", "wille": "wil", "worde": "word", "wor": "word", "wordt": "word",
    "sloapen": "slapen", "sloap": "slaap", "loatste": "laatste", "kier": "keer", "vele": "veel",
    "buutengesmeten": "buitengesmeten", "buten": "buiten", "buuten": "buiten", "buutn": "buiten",
    "durve": "durf", "ete": "eet", "eten": "eten", "ure": "uur", "joar": "jaar",
    "moa": "ma", "moatje": "mama", "moarke": "mama", "vadder": "vader",
    "eel": "heel", "eele": "hele", "eelen": "heel de", "den": "de", "olle": "alle",
    "ollemoal": "allemaal", "moar": "maar", "tons": "dan", "wuk": "wat", "wien": "wie",
    "smyt": "smijt", "smiet": "smijt", "smyten": "smijten", "smieten": "smijten",
    "gesmete": "gesmeten", "oavend": "avond", "oavond": "avond", "vanoavend": "vanavond",
    "vanoavond": "vanavond", "soavonds": "s avonds", "soavends": "s avonds",
    "noacht": "nacht", "vannoacht": "vannacht", "snoachts": "s nachts", "weke": "week",
    "kinders": "kinderen", "nievers": "nergens", "nieverans": "nergens", "nerges": "nergens",
    "plekke": "plek", "plekske": "plekje", "bedde": "bed", "drienkt": "drinkt",
    "drienken": "drinken", "zuupt": "zuipt", "zuupen": "zuipen", "sloapt": "slaapt",
    "sloapn": "slapen", "gedoan": "gedaan", "gedocht": "gedacht", "gezeid": "gezegd",
    "zeit": "zegt", "goe": "goed",
    # chat words
    "wlh": "wollah", "wallah": "wollah", "walla": "wollah", "sws": "sowieso",
    "plz": "pls", "plss": "pls", "please": "pls", "asb": "aub", "alsjeblieft": "aub",
    "alstublieft": "aub", "gister": "gisteren", "gistere": "gisteren", "morge": "morgen",
    "omda": "omdat", "wnt": "want", "nimeer": "niet meer", "niemeer": "niet meer",
    # English
    "u": "you", "ur": "your", "wanna": "want to", "gonna": "going to", "finna": "going to",
    "tryna": "trying to", "gotta": "got to", "rn": "right now", "imma": "im going to",
    "ima": "im going to", "tmrw": "tomorrow", "tmr": "tomorrow", "2nite": "tonight",
    "bc": "because", "cuz": "because", "coz": "because", "ppl": "people",
    # French chat
    "jveux": "je veux", "jvais": "je vais", "jsuis": "je suis", "chui": "je suis",
    "chuis": "je suis", "jpeux": "je peux", "jai": "je ai", "jme": "je me",
    "jsp": "je sais pas", "jpp": "je en peux plus", "tkt": "tinquiete", "pk": "pourquoi",
    "pcq": "parce que", "ptdr": "mdr",
    "jdors": "je dors", "jbois": "je bois", "jfume": "je fume", "jmange": "je mange",
    "tjrs": "toujours", "bcp": "beaucoup",
}  # fmt: skip

# Common words a run-together message is split into ("ikwilnietmeer" -> "ik wil niet
# meer"). Only a token made up entirely of these is split, so ordinary compounds stay.
LEXICON: frozenset[str] = frozenset(
    str.split(
        """
    ik je jij hij zij ze we wij het een de dat die dit er hier daar mijn me mij mezelf
    zijn haar hem ons jou wat wie waar hoe niet geen meer nooit echt gewoon wel al alles
    iets niks niemand iemand ben bent is was wil wou kan moet ga gaat gaan zie zit voel
    heb heeft had doe doet word weet denk mag zou leven dood weg thuis huis nu vandaag
    morgen vannacht vanavond help hulp pijn bang alleen zo te om op in aan van met naar
    voor uit over na bij en of maar als want dan ook nog weer steeds kapot moe beu klaar
    slaapt slaap eten sterven slaan pillen mes
    i you me my am are want to die dead kill myself not no help live anymore home im
    je me moi veux vais suis plus mourir vivre aide
    """
    )
)
_GLUED_MIN = 8  # shorter tokens are words or abbreviations, not run-together messages
_GLUED_MAX_WORD = 8


@functools.lru_cache(maxsize=8192)
def split_glued(token: str) -> str:
    """The token split into LEXICON words when it is nothing but those, else unchanged."""
    if len(token) < _GLUED_MIN or token in LEXICON or not token.isascii() or not token.isalpha():
        return token
    # best[i]: the fewest words that spell token[:i]
    best: list[list[str] | None] = [None] * (len(token) + 1)
    best[0] = []
    for end in range(1, len(token) + 1):
        for start in range(max(0, end - _GLUED_MAX_WORD), end):
            head = best[start]
            word = token[start:end]
            if head is None or word not in LEXICON or (len(word) < 2 and word != "i"):
                continue
            current = best[end]
            if current is None or len(head) + 1 < len(current):
                best[end] = [*head, word]
    words = best[len(token)]
    return " ".join(words) if words and len(words) >= 2 else token


def fold(text: str) -> str:
    """Casefold, strip accents, unify letters, resolve apostrophes and leet, mark clauses."""
    text = _EMOJI_RE.sub(lambda m: f" {_EMOJI[m.group()]} ", text)
    text = unicodedata.normalize("NFKC", text).translate(_APOSTROPHES)
    text = _base_fold(text.casefold().translate(_LIGATURES)).translate(_ARABIC)
    text = _LEET_WORD.sub(lambda m: m.group().translate(_LEET), text)
    for pattern, replacement in _CLITICS:
        text = pattern.sub(replacement, text)
    text = text.replace("'", "")
    text = _CLAUSE_END.sub(" . ", text)
    text = _NOT_WORD.sub(" ", text)
    text = _SPACES.sub(" ", text).strip()
    return _REPEATED_DOTS.sub(". ", text + " ").strip()


def plain(text: str) -> str:
    """Accents and letter variants resolved, case and everything else kept.

    For writing patterns in the languages' own spelling ("ölmek", "chcę", "أريد"): the
    pattern then matches what ``fold`` makes of a message.
    """
    text = text.translate(_LIGATURES).translate(_ARABIC)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def map_tokens(text: str) -> str:
    """Map dialect, chat and typo spellings to one form; split run-together words."""
    text = _K_VERB.sub(r"ik \1", text)
    text = " ".join(TOKENS.get(token) or split_glued(token) for token in text.split(" "))
    for pattern, replacement in _CONTEXT:
        text = pattern.sub(replacement, text)
    return text


def _cut_runs(folded: str, keep: int) -> str:
    return _RUN.sub(r"\1\1" if keep == 2 else r"\1", folded)


@functools.lru_cache(maxsize=4096)
def normalise(text: str) -> str:
    """The form patterns and models read: folded, letter runs cut to two, spellings mapped."""
    return map_tokens(_cut_runs(fold(text), 2))


@functools.lru_cache(maxsize=4096)
def variants(text: str) -> tuple[str, ...]:
    """Both ways to undo stretched letters: 'doooood' -> 'dood', 'helppp' -> 'help'."""
    folded = fold(text)
    two = map_tokens(_cut_runs(folded, 2))
    one = map_tokens(_cut_runs(folded, 1))
    return (two,) if one == two else (two, one)
