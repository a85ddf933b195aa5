"""The one PII redactor: every text staff see goes through ``redact``.

Exports, reports, staff alerts and ``jeugdstem privacy redact`` call it. Each
hit becomes a typed placeholder (``[telefoon]``, ``[naam]`` ...), so a reader
still sees *that* someone left a number or named a trainer, never the value.
It never logs or stores the text, and imports nothing from ``bot/`` or
``storage/``.

Why each technique:

- Phone numbers: Google's libphonenumber (``phonenumbers``) finds numbers in
  every written form (``0470/12.34.56``, ``+32 (0)56 ...``, ``0032...``) and
  knows each country's lengths, which hand-written patterns get wrong. It runs
  with POSSIBLE leniency, so made-up but well-formed numbers count too, and a
  match must start with ``+``, ``00`` or ``0``: that keeps years, prices,
  times and dotted dates out. Numbers written back to back, which the matcher
  reads as one too-long number, are split where a new one starts. Digits
  written as words ("nul vier achtenzeventig 23 45 67") count when the run
  starts with zero and holds nine or ten digits, as a Belgian number does.
- E-mail: a regular expression, plus the spelled-out forms ("lisa at gmail
  dot com", "(at)", "[dot]") when they end in a common top-level domain.
- IBAN: a pattern for the start (two letters, two digits), the length of the
  country's IBAN, then the ISO 13616 mod-97 check in plain integers. A
  library such as schwifty would add a dependency for these few lines. What
  is written the way IBANs are counts even when its check digits are wrong
  (a mistyped account number is still someone's account number): "BE", two
  digits and twelve digits, in groups of at least three (any grouping after
  a capital "BE"); a foreign IBAN of its country's length, in one piece or
  in groups of four, with at most four letters after the check digits.
  Other groupings need the check.
- Rijksregisternummer: eleven digits in the usual groupings, for people born
  before 2000 or (with a leading 2) from 2000 on. The groups may be joined by
  dots, spaces, dashes (also Unicode ones, with spaces around them) as on the
  eID card ("05.03.14-123.97"), and a letter may stand right before it
  ("nr.05..."), since people copy it from the card as it is. The shape
  decides, not the check digits, whenever it is unmistakable: the card's own
  form (dotted date, a dash) always, and a number with the serial and the
  check digits set apart ("05 03 14 123 45", "050314-123-45") when its
  birth date is plausible. Written together ("05031412345", "05.03.14-12345"),
  eleven digits could be anything, so there the mod-97 check must match,
  unless the answer itself calls it a rijksregisternummer ("mijn rrn is ...",
  "registre national"): then any grouping and any check digits count.
- Addresses: a street word (a Dutch street suffix such as -straat, -stroatje,
  -steenweg, -laan, -markt; a French "rue/avenue ..."; an English "...
  Street") followed by a house number, or a capitalised street after "ik woon
  in/op", with an optional "bus 2". A comma and a word for the number may
  stand between them ("Kapucijnenstraat, nummer 33", "nr 33", "op huisnummer
  5"). A number followed by a unit ("3 keer",
  "19u", "5 euro") is not a house number; a street without number stays.
- Accounts: an ``@handle`` (not "@ 8u" or "@19u30"), or a handle after a
  platform cue (snap, insta, tiktok, "snapchatnaam" ...) when a separator
  (":", "=", "mijn snap is", "mijn tiktok heet") or the handle's shape (a dot,
  underscore or digit: "insta is noor.vdb") says it is one. In an answer that
  names a platform, any word with an inner dot or underscore that is no
  abbreviation, domain or file name is a handle ("noor.vdb op insta"); without
  a platform, only one built on a first name ("stuur naar noor.vdb").
- Names: no statistical model, only cues, because staff need a redactor that
  behaves predictably on very short, lowercase, multilingual answers. A first
  name from a lexicon (``privacy/data/pii/first_names.txt``) followed by
  capitalised surname words and particles (De, Van der, El, Ben, D'Hondt); or
  a role, relation or kinship title before a name (trainer, juf, mevrouw,
  mijn kleine zus, tante ...); or an introduction ("ik ben", "ik heet", "je
  m'appelle", "my name is"). A lone first name without such a cue is kept.
  Capitalised places, clubs, months and languages are on a protected list.
  The lexicon has a hand-kept part and a part generated from the Faker
  package's per-country name lists (scripts/make_first_names.py), because
  many young people in Kortrijk have Moroccan, Turkish, Slavic, Romanian or
  West-African names. Names that are also ordinary words ("Said", "Can",
  "Grace", marked "~") count only capitalised and right after a cue; after a
  weak cue such as "ik ben", a lowercase name counts only from the hand-kept
  part ("ik ben sara", not "ik ben oke"). One cue covers a list ("mijn neven
  Bilal en Ayoub") and a name in apposition ("de monitor, jens, was ...",
  which must end at a comma so "mijn vader, elke zaterdag" stays).
- Public figures: an athlete, artist, writer or politician on a curated list
  (``privacy/data/pii/public_figures.txt``) stays, since naming them says
  nothing about a private person, and a private namesake mentioned without
  any cue is as hard to identify as the name is common. A private cue right
  before the name ("mijn trainer ...", "ik ben ...") still wins.

Overlaps are settled by a fixed priority (e-mail, IBAN, rijksregisternummer,
phone, account, address, name), so an IBAN's digits never become a phone.

Figures (recall, false hits, speed), the misses found so far and the gaps still
open: docs/redaction.md.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Final

import phonenumbers

from survey.text import fold

PLACEHOLDERS: Final[dict[str, str]] = {
    "phone": "[telefoon]",
    "email": "[e-mail]",
    "iban": "[iban]",
    "national_id": "[rijksregisternummer]",
    "address": "[adres]",
    "handle": "[account]",
    "name": "[naam]",
}

# On overlap the kind that comes first wins.
_PRIORITY: Final = ("email", "iban", "national_id", "phone", "handle", "address", "name")

FIRST_NAMES_FILE: Final = Path(__file__).parent / "data" / "pii" / "first_names.txt"

Span = tuple[int, int, str]


def _words(text: str) -> frozenset[str]:
    """The whitespace-separated words of a word list."""
    return frozenset(text.split())


@dataclass(frozen=True)
class Redaction:
    """A redacted text and the kinds of PII found, in order of appearance."""

    text: str
    found: tuple[str, ...]


def redact(text: str) -> str:
    """The text with every PII hit replaced by its placeholder."""
    return redact_details(text).text


def redact_details(text: str) -> Redaction:
    """The redacted text and the kinds found, in order of appearance."""
    # A replacement can create a new word boundary ("...34 56snap lisa.vdb" becomes
    # "...[telefoon]snap lisa.vdb"), so redact again until nothing changes: that makes
    # redact(redact(x)) == redact(x). Lines without PII take one pass.
    found: list[tuple[int, str]] = []  # (position in the current text, kind)
    for _ in range(_MAX_PASSES):
        spans = _find(text)
        if not spans:
            break
        text, found = _replace(text, spans, found)
    return Redaction(text, tuple(kind for _, kind in sorted(found)))


_MAX_PASSES: Final = 4
_DIGIT: Final = re.compile(r"\d")


def _find(text: str) -> list[Span]:
    """The non-overlapping PII spans of one text, in text order."""
    if not text:
        return []
    strong = [*_emails(text), *_ibans(text), *_national_ids(text)]
    return _resolve(
        [
            *strong,
            *_phones(_masked(text, strong)),
            *_handles(text),
            *_named_handles(text),
            *_addresses(text),
            *_names(text),
        ]
    )


def _replace(
    text: str, spans: list[Span], found: list[tuple[int, str]]
) -> tuple[str, list[tuple[int, str]]]:
    """The text with ``spans`` replaced, and ``found`` moved to positions in the new text."""
    parts: list[str] = []
    shifts: list[tuple[int, int]] = []  # (old end of a span, growth of the text up to it)
    placed: list[tuple[int, str]] = []
    position = growth = 0
    for start, end, kind in spans:
        parts.append(text[position:start])
        placed.append((start + growth, kind))
        placeholder = PLACEHOLDERS[kind]
        parts.append(placeholder)
        growth += len(placeholder) - (end - start)
        shifts.append((end, growth))
        position = end
    parts.append(text[position:])
    moved = []
    for old, kind in found:
        delta = 0
        for end, total in shifts:
            if end <= old:
                delta = total
        moved.append((old + delta, kind))
    return "".join(parts), moved + placed


def _masked(text: str, spans: Iterable[Span]) -> str:
    """The text with the spans overwritten by "|", so their digits cannot join a phone number."""
    chars = list(text)
    for start, end, _ in spans:
        chars[start:end] = "|" * (end - start)
    return "".join(chars)


def _resolve(spans: Iterable[Span]) -> list[Span]:
    """Non-overlapping spans in text order: same-kind overlaps merge, then priority decides."""
    by_kind: dict[str, list[Span]] = {}
    for span in spans:
        by_kind.setdefault(span[2], []).append(span)
    accepted: list[Span] = []
    for kind in _PRIORITY:
        merged: list[list[int]] = []
        for start, end, _ in sorted(by_kind.get(kind, ())):
            if merged and start < merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        for start, end in merged:
            if all(end <= a or start >= b for a, b, _ in accepted):
                accepted.append((start, end, kind))
    return sorted(accepted)


# --------------------------------------------------------------------------- e-mail

_EMAIL = re.compile(
    r"(?<![\w.+@-])[\w.+-]+@"
    r"(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}"
    r"|(?:gmail|hotmail|outlook|live|yahoo|icloud|telenet|skynet|proximus)\b)"
    r"(?![\w-])"
)
_AT = r"(?:\s*[(\[{]\s*(?:at|@)\s*[)\]}]\s*|\s+(?:at|apenstaartje|arobase)\s+)"
_DOT = r"(?:\s*[(\[{]\s*(?:dot|punt|point)\s*[)\]}]\s*|\s+(?:dot|punt|point)\s+|\.)"
_EMAIL_SPELLED = re.compile(
    rf"(?<![\w.+-])[\w.+-]+(?:{_DOT}[\w+-]+)*?{_AT}[A-Za-z0-9-]+(?:{_DOT}[A-Za-z0-9-]+)*?{_DOT}"
    r"(?:com|be|nl|fr|net|org|eu|de|uk|ma|tr|info|io|me)\b",
    re.IGNORECASE,
)


def _emails(text: str) -> Iterator[Span]:
    lowered = text.casefold()
    if "@" not in text and "at" not in lowered and "apenstaartje" not in lowered:
        return
    for pattern in (_EMAIL, _EMAIL_SPELLED):
        for match in pattern.finditer(text):
            yield match.start(), match.end(), "email"


# --------------------------------------------------------------------------- IBAN

# ISO 13616 registry: total IBAN length per country.
_IBAN_LENGTHS: Final = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22,
    "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "DO": 28,
    "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23,
    "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26,
    "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20,
    "LV": 21, "LY": 25, "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MR": 27, "MT": 31, "MU": 30,
    "NL": 18, "NO": 15, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22,
    "SA": 24, "SC": 31, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "ST": 25, "SV": 28, "TL": 23,
    "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20,
}  # fmt: skip
_IBAN_START = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2} ?\d{2}(?=[ -]?[A-Za-z0-9])")


def _is_ascii_alnum(char: str) -> bool:
    return char.isascii() and char.isalnum()


def _ibans(text: str) -> Iterator[Span]:
    for match in _IBAN_START.finditer(text):
        length = _IBAN_LENGTHS.get(match.group()[:2].upper())
        if length is None:
            continue
        chars = [match.group().replace(" ", "").upper()]
        groups = [0]  # the lengths of the groups of the account part, as written
        needed, position, end = length - 4, match.end(), match.end()
        while needed and position < len(text):
            char = text[position]
            if _is_ascii_alnum(char):
                chars.append(char.upper())
                groups[-1] += 1
                needed -= 1
                position += 1
                end = position
            elif (
                char in " -"
                and _is_ascii_alnum(text[position - 1])
                and position + 1 < len(text)
                and _is_ascii_alnum(text[position + 1])
            ):
                groups.append(0)
                position += 1
            else:
                break
        if needed or (end < len(text) and _is_ascii_alnum(text[end])):
            continue
        iban = "".join(chars)
        capitals = match.group()[:2].isupper()
        if _iban_checksum_ok(iban) or _iban_shaped(iban, groups, capitals=capitals):
            yield match.start(), end, "iban"


def _iban_shaped(iban: str, groups: list[int], *, capitals: bool) -> bool:
    """Written the way IBANs are, so personal data even when the check digits are wrong.

    ``groups`` are the lengths of the account part's groups as written: ``[0, 4, 4, 4]``
    for "BE68 5390 0754 7034" (the empty first group: a separator right after the check
    digits), ``[12]`` for "BE68539007547034". A Belgian account part is twelve digits, in
    any grouping after a capital "BE", else in groups of at least three. A foreign one is
    in one piece or in groups of four, the last one shorter, with at most four letters (a
    bank code as in "NL91 ABNA ...", "GB29 NWBK ..."). So "be 10 12 14 16 18 20 22" and
    "DE 12 JONG EREN ..." are no IBAN.
    """
    account = iban[4:]
    if iban.startswith("BE"):
        return account.isdigit() and (capitals or min(g for g in groups if g) >= 3)
    standard = len(groups) == 1 or (
        groups[0] == 0 and all(g == 4 for g in groups[1:-1]) and groups[-1] <= 4
    )
    return standard and sum(char.isalpha() for char in account) <= 4


def _iban_checksum_ok(iban: str) -> bool:
    rearranged = iban[4:] + iban[:4]
    return int("".join(str(int(char, 36)) for char in rearranged)) % 97 == 1


# --------------------------------------------------------------------------- rijksregisternummer

# A dash between the groups, also typed with spaces around it or as a Unicode hyphen or dash.
_ID_DASH = r"[-\u2010\u2011\u2012\u2013\u2014]"
_ID_SEP = rf"(?:[ \t]?{_ID_DASH}[ \t]?|[ .])?"
# "85.07.30-033.28" as printed on the eID card, "85073003328", "85 07 30 033 28",
# "85-07-30-033-28". A letter may come right before it ("nr.85.07.30-033.28"), a digit not.
_NATIONAL_ID = re.compile(
    rf"(?<![\d+,/-])(?<!\d[.,])(?<!{_ID_DASH})"
    rf"(\d{{2}})([. ]?|{_ID_DASH})(\d{{2}})\2(\d{{2}})({_ID_SEP})(\d{{3}})({_ID_SEP})(\d{{2}})"
    r"(?![\d])(?![.,/-]\d)"
)
_ID_HAS_DASH = re.compile(_ID_DASH)


# A number the answer itself calls a national register number counts in any grouping and
# with any check digits: "mijn rrn is 06041221845", "0 9 0 7 1 4 2 6 8 5 3".
_ID_CUE = re.compile(
    r"(?<![\w])(?:rijksregister\w*|rrn|insz|registre[ \t]+national|num[ée]ro[ \t]+national"
    r"|national[ \t]+(?:register[ \t]+|id[ \t]+|identification[ \t]+)?number|kids-?id|e-?id"
    r"|register[ \t]+number"
    r"|identiteitskaart|carte[ \t]+d'identit[ée]|id[ \t]+card)(?![\w])",
    re.IGNORECASE,
)
_DIGIT_RUN = re.compile(rf"(?<![\w+.,/-])\d(?:(?:[ .]|[ \t]?{_ID_DASH}[ \t]?)?\d)*(?![\w])")


def _national_ids(text: str) -> Iterator[Span]:
    if _ID_CUE.search(text):
        for run in _DIGIT_RUN.finditer(text):
            digits = re.sub(r"\D", "", run.group())
            if len(digits) != 11:
                continue
            month, day = int(digits[2:4]), int(digits[4:6])
            if month % 20 <= 12 and month <= 52 and day <= 31:
                yield run.start(), run.end(), "national_id"
    for match in _NATIONAL_ID.finditer(text):
        month, day = int(match[3]), int(match[4])
        date_sep, before_serial, before_check = match[2], match[5], match[7]
        # The eID card's own form "05.03.14-123.45" is nothing else: taken as it stands.
        if date_sep == "." and _ID_HAS_DASH.search(before_serial) and before_check:
            yield match.start(), match.end(), "national_id"
            continue
        if month % 20 > 12 or month > 52 or day > 31:  # +20 / +40: bis numbers
            continue
        # Serial number and check digits set apart ("05 03 14 123 45", "050314-123-45",
        # "05-03-14-123-45"): the shape says what it is, so a mistyped digit or wrong check
        # digits still count. Not after a dotted date and a space ("op 15.10.05 950 36").
        if before_serial and before_check and not (date_sep == "." and before_serial == " "):
            yield match.start(), match.end(), "national_id"
            continue
        # Run together ("05031412345", "05.03.14-12345"), it could be any number: only
        # with valid check digits.
        base = match[1] + match[3] + match[4] + match[6]
        check = int(match[8])
        if check in (97 - int(base) % 97, 97 - int("2" + base) % 97):
            yield match.start(), match.end(), "national_id"


# --------------------------------------------------------------------------- phone

_PHONE_START = re.compile(r"\(?\s*(?:\+|0)")
_DATE_LIKE = re.compile(r"\d{1,2}[./-]\d{1,2}[./-]\d{2,4}")
_PHONE_RESTART = re.compile(r"(?<=[\s/|,;])\(?(?:\+|0)")
_PHONE_RUN = re.compile(r"\+?\(?\d[\d \t\u00a0./()-]{6,}\d")
_PHONE_PIECE = re.compile(r"(?<=\s)(?=\(?[+0])")


# Digits written as words, alone or between digit groups: "nul vier zes acht 51 09 77",
# "nul vier achtenzeventig 23 45 67". Only a run that starts with zero, as every Belgian
# number does, and holds nine or ten digits; so "twee of drie keer" never counts.
_DIGIT_WORDS: Final = {
    "nul": "0", "zero": "0", "zéro": "0", "een": "1", "één": "1", "eén": "1", "twee": "2",
    "drie": "3", "vier": "4", "vijf": "5", "zes": "6", "zeven": "7", "acht": "8", "negen": "9",
    "tien": "10", "elf": "11", "twaalf": "12", "dertien": "13", "veertien": "14",
    "vijftien": "15", "zestien": "16", "zeventien": "17", "achttien": "18", "negentien": "19",
    "un": "1", "deux": "2", "trois": "3", "quatre": "4", "cinq": "5", "six": "6", "sept": "7",
    "huit": "8", "neuf": "9", "dix": "10", "one": "1", "two": "2", "three": "3", "four": "4",
    "five": "5", "seven": "7", "eight": "8", "nine": "9", "ten": "10",
}  # fmt: skip
_TENS: Final = {
    "twintig": "2", "dertig": "3", "veertig": "4", "vijftig": "5", "zestig": "6",
    "zeventig": "7", "tachtig": "8", "negentig": "9",
}  # fmt: skip
# "achtenzeventig": a Dutch unit word, "en", then the tens.
_UNITS_BEFORE_TENS: Final = {
    word: _DIGIT_WORDS[word]
    for word in ("een", "één", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen")
}
_COMPOUND = re.compile(
    rf"({'|'.join(_UNITS_BEFORE_TENS)})[eë]n({'|'.join(_TENS)})|({'|'.join(_TENS)})"
)
_NUMBER_TOKEN = re.compile(r"\d+|[^\W\d_]+")
_NUMBER_GAP = re.compile(r"[ \t\u00a0]*[./-]?[ \t\u00a0]*")
_STARTS_SPELLED: Final = frozenset({"nul", "zero", "zéro"})


def _spelled_digits(token: str) -> str | None:
    """The digits a token stands for ("vier" 4, "achtenzeventig" 78, "51"), else None."""
    if token.isdigit():
        return token
    lowered = token.casefold()
    if lowered in _DIGIT_WORDS:
        return _DIGIT_WORDS[lowered]
    compound = _COMPOUND.fullmatch(lowered)
    if compound is None:
        return None
    if compound[3]:
        return _TENS[compound[3]] + "0"
    return _TENS[compound[2]] + _UNITS_BEFORE_TENS[compound[1]]


def _spelled_phones(text: str) -> Iterator[Span]:
    lowered = text.casefold()
    if not any(word in lowered for word in _STARTS_SPELLED):
        return
    tokens = list(_NUMBER_TOKEN.finditer(text))
    index = 0
    while index < len(tokens):
        if tokens[index].group().casefold() not in _STARTS_SPELLED:
            index += 1
            continue
        digits, end = "", index
        while end < len(tokens):
            if end > index and not _NUMBER_GAP.fullmatch(
                text, tokens[end - 1].end(), tokens[end].start()
            ):
                break
            value = _spelled_digits(tokens[end].group())
            if value is None:
                break
            digits += value
            end += 1
        if 9 <= len(digits) <= 10:
            yield tokens[index].start(), tokens[end - 1].end(), "phone"
        index = max(end, index + 1)


def _phones(text: str) -> list[Span]:
    spelled = list(_spelled_phones(text))
    # Prefilters use C-level scans: exports redact every answer, 100,000 at a time.
    if len(_DIGIT.findall(text)) < 7:
        return spelled
    found = [*spelled, *_matched_phones(text)]
    # Numbers written back to back ("0470 12 34 56 0486 11 22 33") defeat the matcher: look
    # again at what it left of each run of phone characters, one piece per number start, as
    # long as every piece so far was a number.
    for run in _PHONE_RUN.finditer(text):
        covered = sorted((a, b) for a, b, _ in found if a < run.end() and b > run.start())
        position = run.start()
        for start, end in [*covered, (run.end(), run.end())]:
            gap = text[position:start]
            if start > position and sum(char.isdigit() for char in gap) >= 7:
                pieces = [0, *(m.start() for m in _PHONE_PIECE.finditer(gap)), len(gap)]
                for left, right in itertools.pairwise(pieces):
                    numbers = list(_matched_phones(gap[left:right], position + left))
                    if not numbers:  # only numbers in a row: "nr 5390 0754 7034" is none
                        break
                    found.extend(numbers)
            position = max(position, end)
    return found


def _matched_phones(text: str, offset: int = 0, depth: int = 0) -> Iterator[Span]:
    if sum(char.isdigit() for char in text) < 7:
        return
    matcher = phonenumbers.PhoneNumberMatcher(text, "BE", leniency=phonenumbers.Leniency.POSSIBLE)
    for match in matcher:
        raw = match.raw_string
        if ":" in raw or _DATE_LIKE.fullmatch(raw):
            continue
        if not _PHONE_START.match(raw):
            # "huisnummer 88 0494/11.22.33": the matcher glued a number in front; look again
            # from the next "0" or "+" that starts a group.
            restart = _PHONE_RESTART.search(raw)
            if restart and depth < 3:
                start = match.start + restart.start()
                yield from _matched_phones(text[start : match.end], offset + start, depth + 1)
            continue
        start = match.start
        if raw.startswith("(") and ")" not in raw:  # "(0497 88 77 66)": keep the bracket
            start += len(raw) - len(raw[1:].lstrip())
        yield offset + start, offset + match.end, "phone"


# --------------------------------------------------------------------------- account

_HANDLE = r"[A-Za-z0-9_](?:[A-Za-z0-9_.]*[A-Za-z0-9_])?(?:#\d{4})?(?![\w@])"
_PLATFORM = (
    r"(?:snap(?:chat)?|sc|insta(?:gram)?|ig|tik[ ]?tok|discord|twitch|twitter|threads|bereal"
    r"|youtube|yt|telegram|gamertag|psn|xbox|steam|pseudo|username|gebruikersnaam"
    # games and the chat abbreviation of TikTok ("mijn tt is ...")
    r"|tt|roblox|fortnite|epic|minecraft|valorant|riot|playstation|ps[45]|facebook|fb)"
    # "snapchatnaam", "insta-naam", "insta account"
    r"(?:[ \t-]?(?:naam|name|account|acc|handle|id))?(?![A-Za-z])"
)
# Filler words between "is" and the handle: "insta is dus noor.vdb".
_FILLER = r"(?:[ \t]+(?:dus|trouwens|btw|wel|gewoon|nu|ook|nog|altijd|still|just|juste)(?![\w.]))*+"
_AT_HANDLE = re.compile(rf"(?<![\w@.+-])@({_HANDLE})")
# "snap: lisa.vdb", "insta = x", "gamertag - y"
_HANDLE_SEPARATOR = re.compile(
    rf"(?<![\w@]){_PLATFORM}(?:[ \t]*(?::|=|->|→)|[ \t]+[-–][ \t]+)[ \t]*@?({_HANDLE})",
    re.IGNORECASE,
)
# "mijn snap is jonasxd", "ma snap c'est lea.dbs", "my snap is jakeyy05"
_HANDLE_IS = re.compile(
    rf"(?<![\w@])(?:mijn|m'n|mn|me|my|mon|ma|zijn|haar|his|her)[ \t]+{_PLATFORM}[ \t]*:?[ \t]+"
    rf"(?:is|heet|noemt|c'est|c’est|c|est|s'appelle|s’appelle|=|is[ \t]+called|is[ \t]+named)"
    rf"{_FILLER}[ \t]*:?[ \t]+@?({_HANDLE})",
    re.IGNORECASE,
)
# "op Xbox heet ik SilentKebab99", "sur Fortnite je suis Zyx_77", "on Roblox I'm LunaStar"
_HANDLE_ON = re.compile(
    rf"(?<![\w@])(?:op|on|in|sur)[ \t]+{_PLATFORM}[ \t]*,?[ \t]+(?:heet[ \t]+ik|ben[ \t]+ik"
    rf"|noem[ \t]+ik[ \t]+(?:me|mij)|i'm|i[ \t]+am|je[ \t]+suis|c'est|my[ \t]+name[ \t]+is)"
    rf"{_FILLER}[ \t]*:?[ \t]+@?({_HANDLE})",
    re.IGNORECASE,
)
# "ik speel Roblox onder de naam xXLunaStarXx" (only in a text that names a platform)
_HANDLE_NAMED = re.compile(
    rf"(?<![\w@])(?:onder[ \t]+de[ \t]+naam|under[ \t]+the[ \t]+name|sous[ \t]+le[ \t]+(?:nom"
    rf"|pseudo))[ \t]*:?[ \t]+@?({_HANDLE})",
    re.IGNORECASE,
)
# "insta is noor.vdb", "snap is trouwens lisa_x": without "mijn" only a handle-shaped word counts.
_HANDLE_IS_BARE = re.compile(
    rf"(?<![\w@]){_PLATFORM}[ \t]*:?[ \t]+(?:is|was|c'est|c’est|c|est|=|->|→|dan|then)"
    rf"{_FILLER}[ \t]*:?[ \t]+@?({_HANDLE})",
    re.IGNORECASE,
)
# A profile link: "instagram.com/noor.vdb", "www.tiktok.com/@lisa", "snapchat.com/add/jonas".
_HANDLE_URL = re.compile(
    rf"(?<![\w.])(?:(?i:instagram|tiktok|snapchat|twitter|threads|youtube|twitch|facebook|x)"
    rf"\.(?i:com|net)|(?i:twitch)\.(?i:tv))/"
    rf"(?:@|(?i:add)/)?({_HANDLE})"
)
# Pages of those sites that are no profile.
_URL_PAGES: Final = _words(
    """
    explore watch reel reels p stories channel c user shorts results feed live tv accounts
    direct about help legal privacy login signup home trending discover tag tags hashtag music
    embed search for_you foryou
    """
)
# Any word with an inner dot or underscore, in a text that names a platform: "noor.vdb op insta".
_PLATFORM_WORD = re.compile(rf"(?<![\w@]){_PLATFORM}", re.IGNORECASE)
_DOTTED = re.compile(r"(?<![\w@.#/:-])([A-Za-z0-9_]+(?:[._][A-Za-z0-9_]+)+)(?![\w@/]|[.]\w)")
# Ends of domain names and file names: "kortrijk.be", "foto.jpg" are no handles.
_NOT_HANDLE_ENDS: Final = _words(
    """
    com be nl fr net org eu de uk io me tv app gg ly co info html htm php jpg jpeg png gif pdf
    doc docx xls xlsx ppt pptx txt mp3 mp4 mov zip exe
    """
)
# "add me op snap jonasxd", "volg me op insta lisavdb"
_HANDLE_FOLLOW = re.compile(
    rf"(?<![\w@])(?:add|adde|volg|follow|stuur|zoek)(?:[ \t]+[\w']+){{0,2}}?[ \t]+"
    rf"(?:op|on|sur|via)[ \t]+{_PLATFORM}[ \t]*:?[ \t]+@?({_HANDLE})",
    re.IGNORECASE,
)
# "insta lisa_2009", "snap (emmaa.dc)": without a separator only a handle-shaped word counts.
_HANDLE_BARE = re.compile(rf"(?<![\w@]){_PLATFORM}[ \t]*\(?[ \t]*@?({_HANDLE})", re.IGNORECASE)
_TIME_LIKE = re.compile(r"\d{1,2}(?:[:.uh]\d{0,2})?(?:u|h|uur|pm|am)?", re.IGNORECASE)
_UNIT_LIKE = re.compile(r"\d+[a-z]{0,4}", re.IGNORECASE)
_NOT_A_HANDLE: Final = _words(
    """
    privé prive private privée public publiek openbaar kapot weg leeg gehackt gehacked hacked
    geblokkeerd blocked verwijderd deleted gedeletet gedeleted supprimé bloqué nieuw oud stom saai
    leuk tof cool plat dood down offline online niet nie ni geen gin da dat het de een ook al te
    zo echt mega super heel vol pas nog toch bezet gesloten open the a an not gone dead broken
    closed my mijn van voor met en of maar als om op in aan bij naar me mij je ze hem haar ons
    nul fermé pour avec et ou mais le la les un une des du sur dans est pas plus via and or but
    to on at for with is are was here hier daar there ik jij hij zij we wij jullie zijn hun
    wat wie waar wanneer hoe waarom welke elke iedereen niemand alles niks niets vanaf tot
    account acount profiel profile naam name nope nee neen ja yes no non oui none niks idk
    weet stuk raar vreemd traag beter slecht goed mooi lelijk klein groot actief inactief vast
    fake gratis verslavend toxic belangrijk handig nodig veel weinig meer minder altijd nooit
    soms gewoon vooral ofzo enzo ok oké okay lol haha dus trouwens btw wel nu still just juste
    hetzelfde zelfde zoals anders gelijk net precies ongeveer bijna zoiets iets same like comme
    """
)
_HANDLE_AT_EXEMPT: Final = frozenset(
    {"home", "school", "work", "werk", "thuis", "the", "de", "everyone", "here", "all", "iedereen"}
)


# A capital inside a word, as gamertags have them: "xXLunaStarXx", "SilentKebab".
_CAMEL_CASE = re.compile(r"[a-z][A-Z]")


def _handle_shaped(handle: str) -> bool:
    """Contains a dot, underscore or digit next to at least two letters, and is no unit."""
    letters = sum(char.isalpha() for char in handle)
    return (
        letters >= 2
        and any(char in "._#" or char.isdigit() for char in handle)
        and not _UNIT_LIKE.fullmatch(handle)
    )


def _plausible_word_handle(handle: str) -> bool:
    """A handle after an explicit cue: not a common word, a participle or a number."""
    lowered = handle.casefold()
    if lowered in _NOT_A_HANDLE or sum(char.isalpha() for char in handle) < 2:
        return False
    if _UNIT_LIKE.fullmatch(handle):
        return False
    participle = lowered.startswith("ge") and lowered.endswith(("t", "d")) and len(lowered) > 4
    return not participle


def _handles(text: str) -> Iterator[Span]:
    if "@" in text:
        for match in _AT_HANDLE.finditer(text):
            handle = match[1]
            if _TIME_LIKE.fullmatch(handle) or handle.casefold() in _HANDLE_AT_EXEMPT:
                continue
            if handle.casefold() in _protected():
                continue
            yield match.start(), match.end(1), "handle"
    if _PLATFORM_HINT.search(text.casefold()) is None:
        return
    for pattern in (_HANDLE_SEPARATOR, _HANDLE_IS, _HANDLE_FOLLOW):
        for match in pattern.finditer(text):
            if _is_domain(match[1]):
                continue
            if _plausible_word_handle(match[1]) or _handle_shaped(match[1]):
                yield _handle_span(text, match)
    for match in _HANDLE_URL.finditer(text):
        handle = match[1]
        if sum(char.isalpha() for char in handle) >= 2 and handle.casefold() not in _URL_PAGES:
            yield _handle_span(text, match)
    # "in Fortnite ben ik best goed": after these cues only a gamertag-shaped word counts.
    for pattern in (_HANDLE_ON, _HANDLE_NAMED):
        for match in pattern.finditer(text):
            if _handle_shaped(match[1]) or _CAMEL_CASE.search(match[1]):
                yield _handle_span(text, match)
    for pattern in (_HANDLE_BARE, _HANDLE_IS_BARE):
        for match in pattern.finditer(text):
            if _handle_shaped(match[1]) and not _is_domain(match[1]):
                yield _handle_span(text, match)
    if _PLATFORM_WORD.search(text):
        for match in _DOTTED.finditer(text):
            if _dotted_handle(match[1]):
                yield _handle_span(text, match)


def _is_domain(word: str) -> bool:
    """Ends like a domain or file name: "instagram.com", "kortrijk.be", "foto.jpg"."""
    return "." in word and word.rsplit(".", 1)[1].casefold() in _NOT_HANDLE_ENDS


def _dotted_handle(word: str) -> bool:
    """A word with an inner dot or underscore that is no abbreviation, domain or file name."""
    parts = re.split(r"[._]", word.casefold())
    if parts[-1] in _NOT_HANDLE_ENDS or parts[0] == "www":
        return False
    if any(part in _stopwords() for part in parts):
        return False  # a missing space: "op insta.het is leuk"
    letters = sum(char.isalpha() for char in word)
    return letters >= 4 and max(sum(char.isalpha() for char in part) for part in parts) >= 3


def _named_handles(text: str) -> Iterator[Span]:
    """A dotted handle built on a first name, without a platform: "noor.vdb", "vdb_lisa"."""
    if "." not in text and "_" not in text:
        return
    for match in _DOTTED.finditer(text):
        word = match[1]
        if not _dotted_handle(word):
            continue
        parts = [part for part in re.split(r"[._]", word.casefold()) if part]
        if any(part in _protected() for part in parts):
            continue
        if any(_is_plain_first_name(part) and len(part) >= 3 for part in parts):
            yield _handle_span(text, match)


_PLATFORM_HINTS: Final = (
    "snap", "sc", "insta", "ig", "tik", "discord", "twitch", "twitter", "threads", "bereal",
    "youtube", "yt", "telegram", "gamertag", "psn", "xbox", "steam", "pseudo", "username",
    "gebruikersnaam", "tt", "roblox", "fortnite", "epic", "minecraft", "valorant", "riot",
    "playstation", "ps4", "ps5", "facebook", "fb",
)  # fmt: skip
# The same test as "any hint is a substring", in one C-level scan.
_PLATFORM_HINT: Final = re.compile("|".join(map(re.escape, _PLATFORM_HINTS)))


def _handle_span(text: str, match: re.Match[str]) -> Span:
    start = match.start(1)
    if start > 0 and text[start - 1] == "@":
        start -= 1
    return start, match.end(1), "handle"


# --------------------------------------------------------------------------- address

_STRONG_SUFFIXES: Final = (
    "straat", "straatje", "stroat", "stroate", "stroatje", "strotje", "strate", "steenweg", "stwg",
    "laan", "dreef", "kaai", "singel", "gracht", "wegel", "dijk",
)  # fmt: skip
_CAPITAL_SUFFIXES: Final = (
    "weg", "plein", "markt", "lei", "hof", "dries", "baan", "ring", "kouter", "pad", "vest",
    "dam", "poort", "berg", "heide", "hoek", "kerkhof", "meers", "akker",
)  # fmt: skip
_UNITS: Final = (
    r"keer|keren|kear|x|maal|euro|euros|eur|€|%|procent|jaar|jaren|joar|j|jr|u|uur|uren|ure"
    r"|oere|h|min|minuten|minuutjes|sec|seconden|km|kilometer|m|meter|dagen|dag|weken|week"
    r"|maanden|maand|vrienden|mensen|kinderen|jongeren|personen|pers|leden|lessen|trainingen"
    r"|matchen|matches|stuks|punten|goals|ploegen|teams|spelers|straten|huizen|deuren|minuten"
    r"|fois|ans|heures|times|years|hours|people"
)
# Between a street and its number: "Kapucijnenstraat 33", "Kapucijnenstraat, nummer 33",
# "Kapucijnenstraat nr 33", "Kapucijnenstraat op huisnummer 5".
_HOUSE_NUMBER_WORD = (
    r"(?:(?:op|aan|at|au)[ \t\u00a0]+)?(?:huisnummer|huisnr\.?|nummer|nummero|numéro|numero"
    r"|number|num\.?|nr\.?|n°|no\.?|#)"
)
_STREET_TO_NUMBER = (
    rf"(?:[ \t\u00a0]*,?[ \t\u00a0]*{_HOUSE_NUMBER_WORD}[ \t\u00a0]*|[ \t\u00a0]*,?[ \t\u00a0]+)"
)
_WORD_NUMBER = re.compile(
    rf"(?<![\w'’-])([^\W\d_][\w'’-]*){_STREET_TO_NUMBER}(\d{{1,3}})(?!\d)",
    re.IGNORECASE,
)
_NUMBER_TAIL = re.compile(
    r"(?:[ \t]?(?P<letter>[A-Da-d])(?![\w]))?"
    r"(?P<box>[ \t]*(?:/|-)[ \t]*\d{1,4}[A-Za-z]?(?!\d)"
    r"|[ \t]*,?[ \t]*(?:bus|bte|boîte|box|b)\.?[ \t]*\d{1,4}[A-Za-z]?(?!\d))?"
)
_AFTER_NUMBER_BAD = re.compile(
    rf"(?:[.,:]\d|[^\W\d_]|[ \t\u00a0]*(?:{_UNITS})(?![\w]))", re.IGNORECASE
)
_STREET_TYPE_FIRST = re.compile(
    r"(?<![\w'’-])(?i:rue|avenue|av\.|boulevard|bd\.?|chaussée|chaussee|place|quai|chemin|allée"
    r"|allee|impasse|drève|square|sentier|clos)[ \t]+"
    r"(?:(?i:de|du|des|la|le|van|der|den)[ \t]+|(?i:l'|d'|l’|d’))*"
    r"[A-ZÀ-Ý][\w'’-]*(?:[ \t]+(?:[A-ZÀ-Ý][\w'’-]*|(?:de|du|des|la|le|d'|l')))*?"
    r"[ \t]*,?[ \t]+(\d{1,3})(?!\d)"
)
_NUMBER_FIRST = re.compile(
    r"(?<![\w.,/-])\d{1,4}(?:[ \t]?(?:bis|ter|[A-Da-d]))?,?[ \t]+"
    r"(?:(?i:rue|avenue|boulevard|chaussée|place|quai|chemin|allée|impasse|drève|square)[ \t]+"
    r"(?:(?i:de|du|des|la|le)[ \t]+|(?i:l'|d'|l’|d’))*"
    r"[A-ZÀ-Ý][\w'’-]*(?:[ \t]+[A-ZÀ-Ý][\w'’-]*){0,2}"
    r"|(?:[A-Z][\w'’-]*[ \t]+){1,3}(?:Street|St\.|Road|Rd\.|Avenue|Ave\.|Lane|Drive|Way|Close"
    r"|Square|Crescent|Gardens|Terrace|Court)(?![\w]))"
)
_LIVE_CUE = re.compile(
    r"(?<![\w'’])(?i:woon|woont|wonen|woonde|woonden|wone|woonachtig|verblijf|verblijven"
    r"|adres|adresse|address|habite|live|lives|living)(?![\w])[ \t]*:?"
    r"(?:[ \t]+(?i:in|op|aan|te|at|on|à|au|de|het|'t|’t|den|the|la|le|der))*[ \t]+"
    rf"((?:[A-ZÀ-Ý][\w'’-]*[ \t]+){{0,2}}[A-ZÀ-Ý][\w'’-]*){_STREET_TO_NUMBER}(\d{{1,3}})(?!\d)"
)
_CUE_TAIL_OK = re.compile(
    r"[ \t]*(?:$|[,.;:!?)\]\n]|(?:in|te|en|and|à|et|met|with|bij|maar|mais|but|sinds|since"
    r"|depuis)(?![\w])|\d{4}(?!\d))",
    re.IGNORECASE,
)


def _number_tail(text: str, position: int) -> int | None:
    """End of a house number's letter / box part from ``position``, or None if no house number."""
    tail = _NUMBER_TAIL.match(text, position)
    end = tail.end() if tail else position
    if _AFTER_NUMBER_BAD.match(text, end):
        return None
    return end


def _street_word(word: str) -> str | None:
    """'strong' or 'capital' when the word ends in a street suffix, 'bare' if it is one."""
    lowered = word.casefold()
    if lowered.rstrip(".") in _BARE_STREET_WORDS:
        return "bare"  # "Gentse stwg 88", "de Brugse Steenweg 230"
    for suffix in _STRONG_SUFFIXES:
        if lowered.endswith(suffix) and len(lowered.rstrip("-")) - len(suffix) >= 3:
            return "strong"
    # "sint-jansplein 7": a hyphenated name is a street even when typed lowercase.
    if word[0].isupper() or "-" in word:
        for suffix in _CAPITAL_SUFFIXES:
            if lowered.endswith(suffix):
                prefix = lowered[: -len(suffix)].rstrip("-")
                if len(prefix) >= 2:
                    return "capital"
                if not prefix:
                    return "bare"
    return None


_BARE_STREET_WORDS: Final = frozenset(
    {"straat", "steenweg", "stwg", "stw", "laan", "dreef", "weg", "plein", "markt", "baan"}
)
# A town's adjective before a bare street word: "Gentse", "kortrijkse", "Brugsche".
_TOWN_ADJECTIVE = re.compile(r"(?<![\w'’-])[^\W\d_]{2,}(?:se|sche)[ \t\u00a0]+\Z", re.IGNORECASE)


def _capitalised_words_before(text: str, start: int, limit: int = 3) -> int:
    """Start of the capitalised words (and inner particles) right before ``start``.

    "Koning Albertstraat 3", "Pieter de Coninckplein 2": stopwords, places and clubs stop it.
    """
    for _ in range(limit):
        match = _PREVIOUS_WORD.search(text, max(0, start - 80), start)
        if not match:
            break
        word = match[1]
        if word in _STREET_PARTICLES:
            before = _PREVIOUS_WORD.search(text, max(0, match.start(1) - 80), match.start(1))
            if (
                before
                and _is_capitalised(before[1])
                and before[1].casefold() not in _common_words()
            ):
                start = before.start(1)
                continue
            break
        if not _is_capitalised(word) or word.casefold() in _common_words():
            break
        start = match.start(1)
    return start


_STREET_PARTICLES: Final = frozenset({"de", "van", "der", "den", "ter", "ten", "la", "le"})
_PREVIOUS_WORD = re.compile(r"(?<![\w'’-])([^\W\d_][\w'’-]*)[ \t\u00a0]+\Z")


def _addresses(text: str) -> Iterator[Span]:
    if _DIGIT.search(text) is None:
        return
    for match in _WORD_NUMBER.finditer(text):
        kind = _street_word(match[1])
        if kind is None:
            continue
        end = _number_tail(text, match.end(2))
        if end is None:
            continue
        start = match.start(1)
        if kind == "bare":
            adjective = _TOWN_ADJECTIVE.search(text, max(0, start - 40), start)
            before = adjective.start() if adjective else _capitalised_words_before(text, start, 1)
            if before == start:
                continue
            start = before
        start = _capitalised_words_before(text, start)
        yield start, end, "address"
    for match in _STREET_TYPE_FIRST.finditer(text):
        end = _number_tail(text, match.end(1))
        if end is not None:
            yield match.start(), end, "address"
    for match in _NUMBER_FIRST.finditer(text):
        yield match.start(), match.end(), "address"
    for match in _LIVE_CUE.finditer(text):
        words = match[1].split()
        lowered = [word.casefold() for word in words]
        if all(word in _protected() or word in _stopwords() for word in lowered):
            continue
        end = _number_tail(text, match.end(2))
        if end is None or not _CUE_TAIL_OK.match(text, end):
            continue
        yield match.start(1), end, "address"


# --------------------------------------------------------------------------- name

_TOKEN = re.compile(r"[^\W\d_](?:[\w'’-]*[^\W_])?")
_GAP = re.compile(r"[ \t\u00a0]{1,3}")
_PARTICLES: Final = _words(
    """
    de den der van vanden vander vande ver le la du des el al ben bin ibn abou abu ait aït ou da
    di dos do del della von ten ter mac
    """
)
# Particles that, lowercase between a first name and a word, make it a surname ("ben" and
# "de" are also ordinary words).
_LOWERCASE_PARTICLES: Final = frozenset({"el", "al", "bou", "ait", "aït", "abou", "abu"})
_PARTICLE_WORD = re.compile(rf"(?<![\w'’-])(?:{'|'.join(sorted(_LOWERCASE_PARTICLES))})(?![\w'’-])")
# A surname (or any name after a cue) never ends like an institution or a street.
_NON_NAME_SUFFIXES: Final = (
    "college", "school", "instituut", "atheneum", "lyceum", "abdij", "stadion", "centrum",
    "straat", "steenweg", "laan", "plein", "markt", "park", "feest", "festival", "torens",
    "huis", "hal", "zaal",
)  # fmt: skip
# Lowercase words that are in the lexicon but also ordinary words; they need a capital.
_LOWERCASE_AMBIGUOUS: Final = _words(
    """
    an ben bo lou max lies fien roos iris amber jade fleur noor els ward stan vic joke jean frans
    toon staf lut ine sien saar liv ion ana aya rim hind lama rama hala reem sena awa hawa ava amy
    lore mona cas jan will may mark ali tim nick elke
    dima
    """
)

# Names that are also nouns or adjectives (rather than verbs or function words): they count
# lowercase right after a relation word or "ik heet" ("mijn zus noor", "my girlfriend jade").
_NOUN_NAMES: Final = _words(
    """
    noor roos iris amber jade fleur fien els ine lies liv sien saar lore mona sena aya hind
    lama rim reem hala rama awa hawa ava amy lou lut toon staf frans jean joke elke vic
    grace hope
    """
)
# "sara haar broer", "Arne ze zuster", "yara haar nummer": the name of the one it belongs to.
_POSSESSOR_WORDS = r"haar|heur|eur|zijn|zn|z'n|ze|zen|his|her"
_TITLE_AFTER = re.compile(
    r"(?<![\w'’])([^\W\d_][\w'’-]*)[ \t]+(?:abi|abla|teyze|amca|hoca|hocam|kanka|bey|hanım"
    r"|hanim|dayı|dayi|yenge|enişte|enishte)(?![\w'’])"
)
_STRONG_INTRO = (
    r"ik[ \t]+heet|'k[ \t]*heet|k[ \t]*heet|ik[ \t]+noem|'k[ \t]*noem|mijn[ \t]+naam[ \t]+is"
    r"|m'n[ \t]+naam[ \t]+is|me[ \t]+naam[ \t]+is|my[ \t]+name[ \t]+is|my[ \t]+name's"
    r"|(?:mijn|m'n|mn|me)[ \t]+(?:echte|volledige|officiële|officiele)[ \t]+naam[ \t]+is"
    r"|my[ \t]+(?:real|full)[ \t]+name[ \t]+is|mon[ \t]+vrai[ \t]+(?:nom|prénom)[ \t]+(?:est|c'est)"
    r"|je[ \t]+m'appelle|je[ \t]+m’appelle|je[ \t]+mappelle|j[ \t]*m'appelle|mon[ \t]+nom[ \t]+est"
    r"|mon[ \t]+prénom[ \t]+est|i[ \t]+am[ \t]+called|they[ \t]+call[ \t]+me"
    # West-Flemish "'k eete" (ik heet)
    r"|ik[ \t]+eete|'k[ \t]*eete|’k[ \t]*eete|k[ \t]*eete|'k[ \t]*hete|k[ \t]*hete"
    r"|'k[ \t]*heete|k[ \t]*heete|ik[ \t]+heete"
)
_WEAK_INTRO = (
    r"ik[ \t]+ben|ikke[ \t]+ben|'k[ \t]*ben|k[ \t]*ben|'k[ \t]*zin|k[ \t]*zin|'k[ \t]*zijn|i'm|i’m"
    r"|i[ \t]+am|(?-i:im)"
    r"|je[ \t]+suis|moi[ \t]+c'est|moi[ \t]+c’est|c'est|c’est|dit[ \t]+is|this[ \t]+is"
    r"|hier[ \t]+is|'k[ \t]*zyn|k[ \t]*zyn|ik[ \t]+zyn|'k[ \t]*ete|ik[ \t]+ete"
    r"|wij[ \t]+zijn|we[ \t]+zijn|we're|we[ \t]+are|nous[ \t]+sommes|on[ \t]+est"
    # someone else's name or a nickname: "mijn vriendin heet Jana", "iedereen noemt me Emeka"
    r"|heet|heette|heten|noemt[ \t]+me|noemen[ \t]+me|noemt[ \t]+mij|noemen[ \t]+mij"
    r"|call[ \t]+me|calls[ \t]+me|is[ \t]+called|on[ \t]+m'appelle|on[ \t]+m’appelle"
    r"|s'appelle|s’appelle|appelle-moi"
)
# A nickname after these is a name whatever it is: "aka momo", "mijn bijnaam is Jojo".
_NICKNAME = (
    r"aka|a\.k\.a\.?|alias|bijnaam[ \t]+is|(?:mijn|m'n|mn|me|my|mon)[ \t]+(?:bijnaam|nickname"
    r"|surnom|roepnaam)(?:[ \t]+(?:is|c'est|c’est|est))?|nickname[ \t]+is|surnom[ \t]+c'est"
)
_ROLES = (
    r"trainer|trainster|coach|leider|leidster|leiding|monitor|monitrice|animator|animatrice"
    r"|begeleider|begeleidster|jeugdwerker|juf|juffrouw|meester|mevrouw|mevr\.?|mw\.?|meneer"
    r"|mijnheer|menier|dhr\.?|mr\.?|mrs\.?|ms\.?|miss|mister|madame|mme\.?|monsieur|mademoiselle"
    r"|mlle\.?|prof\.?|professor|leerkracht|leraar|lerares|directeur|directrice|teacher|sir"
    r"|dokter|dr\.?|huisarts|psycholoog|psychologe|titularis|opvoeder|opvoedster|hoca|hocam"
    r"|youth[ \t]+leader|youth[ \t]+worker|leader|instructor|instructeur|instructrice"
    r"|entraîneur|entraineur|entraîneuse|entraineuse|animateur|éducateur|éducatrice|educateur"
    r"|educatrice|educator|babysit|babysitter"
    # "my friend" and "brother" in Darija and Turkish, used as a title: "Sahbi Anouar"
    r"|sahbi|sahbe|khoya|khouya|khti|okhti|kanka|kardeşim|kardesim"
    # Turkish kinship words that carry their own "my": "annem Hülya", "ablam Merve"
    r"|annem|babam|ablam|abim|kuzenim|teyzem|halam|amcam|dayım|dayim|dedem|anneannem"
    r"|babaannem"
    # compounds: "onze scoutsleider Jasper", "de jeugdconsulent, Pieter-Jan", "kapitein Ward"
    r"|[^\W\d_]*leider|[^\W\d_]*leidster|[^\W\d_]*consulent|[^\W\d_]*chauffeur|kapitein"
    r"|captain|capitaine"
    # kinship words used as a title: "tante Naima", "nonkel Mehmet", "oma Fatima"
    r"|tante|tantetje|nonkel|oom|oma|opa|bomma|bompa|moemoe|tata|tonton|tatie|teyze|amca|dayı"
    r"|dayi|abla|abi|khalti|khalto|3ammi|ammi|babcia|dziadek|ciocia|wujek|bunica|bunicul"
)
_POSSESSIVES = (
    r"mijn|m'n|mn|me|mien|my|mon|ma|mes|onze|ons|our|zijn|z'n|zen|haar|eur|under|ulder|hun"
    r"|his|her|their|ton|ta|tes|son|sa|ses|notre|nos|mi|mis"
)
# "een vriend moussa traoré", "'k è e lief, Nore", "'k è twi broers, Jasper en Milan"
_ARTICLES = r"de|den|het|'t|la|le|the|De|La|Le|The"
# Before these, a relation word that is also a plain noun ("a man", "een vrouw") is none.
_INDEFINITES = r"een|e|ne|'n|twee|twi|drie|a|an|un|une|deux|two|three|Een|Ne|A|An|Un|Une|Two"
_PLAIN_NOUNS = r"(?:man|vrouw|boy|girl|husband|wife|mari|schat)(?![\w'’])"
_KIN_ADJECTIVES = (
    r"beste|best|bestie|lieve|meilleur|meilleure|kleine|klein|grote|groot|oudere|jongere"
    r"|oudste|jongste|ex|nieuwe|vorige|eerste|petit|petite|grand|grande|little|big|older"
    r"|younger|old|new"
)
_RELATION_WORDS = (
    r"(?:vriend|vriendin|vriendje|vriendinnetje|lief|liefje|maat|maatje|ex|crush|partner"
    r"|kozijn|kozijntje|nichtje|neefje|schoonzus|schoonbroer|stiefbroer|stiefzus|halfbroer"
    r"|halfzus|tweelingbroer|tweelingzus|peter|meter|petekind|kameraad|klasgenote|klasgenoten"
    r"|teamgenoot|teamgenote|ploegmaat|ploeggenoot|buur|buurmeisje|buurjongen|mentor|baas"
    r"|chef|trainer|trainster|coach|juf|meester|leerkracht|leraar|lerares|titularis|psycholoog"
    r"|dokter|huisarts|grootmoeder|grootvader|overgrootmoeder|overgrootvader|dochter|zoon"
    r"|makker|pote|bff|broer|broertje|zus|zusje|zuster|neef|nicht|nonkel|tante|oom|bompa|bomma"
    r"|opa|oma|papa|mama|pa|ma|vader|moeder|stiefvader|stiefmoeder|plusmama|pluspapa|buurman"
    r"|buurvrouw|klasgenoot|collega|copain|copine|ami|amie|frère|sœur|soeur|cousin|cousine"
    r"|friend|boyfriend|girlfriend|brother|sister|mate|bro|mum|mom|dad|mère|mere|père|pere|maman"
    # plurals, for a list of names: "mijn neven Bilal en Ayoub"
    r"|vrienden|vriendinnen|vriendjes|maten|makkers|neven|nichten|nichtjes|neefjes|broers"
    r"|zussen|zusjes|kozijns|kozijnen|friends|cousins|brothers|sisters|amis|amies|copains"
    r"|copines|potes|cousines|frères|sœurs|soeurs"
    # West-Flemish and chat: "me broere yusuf", "me moatje kacper", "mn bff noor"
    r"|broere|zustere|zuste|nichte|neve|kozyn|kozine|kozinne|moatje|moate|moaten"
    r"|vriendinne|gebuur|gebuurvrouwe|gebuurman|buurvrouwe|meme|memee|pepe"
    r"|moeke|vake|stiefpa|stiefma|schatje|schat|besty|bestie|pleegmoeder|pleegvader"
    r"|pleegbroer|pleegzus|babysit|babysitter|man|vrouw|husband|wife|mari"
    # Darija and Turkish kinship words in Dutch sentences: "mijn khoya Bilal", "mijn kanka Burak"
    r"|khoya|khouya|khay|khti|okhti|kanka|sahbi|sahbe|khalti|khali"
    r"|aunt|auntie|uncle|grandma|grandpa|granny|nan|gran|stepdad|stepmom|stepmum|stepbrother"
    r"|stepsister|neighbour|neighbor|niece|nephew|oncle|voisin|voisine|mamie|papy|papi"
    r"|grand-mère|grand-père|beau-père|belle-mère|demi-frère|demi-sœur|demi-soeur"
    r"|va|vava|moat|moatn|pete|kozyntje|stiefzuster|schoonzuster|kuzen|kuzin|bros|babe|bae"
    r"|bf|gf"
    # West-Flemish and chat spellings, slang and Spanish: "me kozze Brent", "me zustre Fien",
    # "my sis Imane", "mijn homie Mamadou", "mi hermano Mateo"
    r"|kozze|kozzen|zustre|zustres|kameroad|kameroat|kameroaden|gebuurs|gebuur|sis|sista|homie"
    r"|homies|boy|girl|hermano|hermana|primo|prima|amigo|amiga|novio|novia)"
)
_RELATIONS = (
    rf"(?:(?:{_POSSESSIVES}|(?-i:{_ARTICLES}))[ \t]+"
    r"|(?-i:l'|l’|L'|L’)[ \t]*)"
    rf"(?:(?:{_KIN_ADJECTIVES})[ \t-]+)?{_RELATION_WORDS}"
    rf"|(?-i:{_INDEFINITES})[ \t]+(?:(?:{_KIN_ADJECTIVES})[ \t-]+)?(?!{_PLAIN_NOUNS})"
    rf"{_RELATION_WORDS}"
)
_POSSESSOR = re.compile(
    rf"(?<![\w'’@])([^\W\d_][\w'’-]*)[ \t]+(?:{_POSSESSOR_WORDS})[ \t]+"
    rf"(?:{_RELATION_WORDS}|nummer|gsm|number|adres|adresse|address)(?![\w'’])",
    re.IGNORECASE,
)
_NAME_CUE = re.compile(
    rf"(?<![\w'’])(?:(?P<strong>{_STRONG_INTRO})|(?P<weak>{_WEAK_INTRO})"
    rf"|(?:[lL]['’][ \t]*)?(?P<role>{_ROLES})|(?P<relation>{_RELATIONS})"
    rf"|(?P<nickname>{_NICKNAME}))"
    r"(?![\w])[ \t\u00a0]*(?P<colon>[:,])?[ \t\u00a0]*(?P<article>(?-i:de|den)[ \t]+)?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class _Lexicon:
    """The first-name lexicon, casefolded.

    ``names`` holds every name; ``curated`` the hand-kept part above the generated one;
    ``words`` the names marked "~", that are also ordinary words ("Can", "Said", "Grace"):
    those count only when capitalised and after a cue.
    """

    names: frozenset[str]
    curated: frozenset[str]
    words: frozenset[str]


_GENERATED_MARKER: Final = "# === generated by scripts/make_first_names.py"


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    """The first-name lexicon; read once."""
    names: set[str] = set()
    curated: set[str] = set()
    words: set[str] = set()
    generated = False
    for raw in FIRST_NAMES_FILE.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith(_GENERATED_MARKER):
            generated = True
        if not line or line.startswith("#"):
            continue
        name = line.lstrip("~").casefold()
        names.add(name)
        if line.startswith("~"):
            words.add(name)
        elif not generated:
            curated.add(name)
    return _Lexicon(frozenset(names), frozenset(curated), frozenset(words))


def _first_names() -> frozenset[str]:
    """Every first name of the lexicon, casefolded."""
    return _lexicon().names


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    """Function words and everyday words that are capitalised only at a sentence start."""
    return _words(
        """
        ik je jij u gij ge hij zij ze we wij jullie het de een en of maar want dus is was zijn
        bent heeft had hebben in op aan met van voor naar bij om tot uit over die dat deze
        dit wat wie waar wanneer hoe waarom niet nie ni geen ook al nog dan toen als zo heel
        echt mijn m'n jouw zijn haar ons onze hun hier daar er men iemand iedereen niemand alles
        niks niets sinds tijdens na zonder tegen door via per bv ok oké okay ja nee neen jep
        yes no hey hoi hallo dag yo hello hi salut bonjour merci dank bedankt sorry pardon
        the a an and or but are i you he she they it my your his her our their this that these
        those what who when where why how not also too very just le la les un une et ou mais
        est je tu il elle nous vous ils elles mon ma mes ton ta tes son sa ses ce cette ça pas
        plus très oui non moi toi lui avec pour dans sur chez mijnheer meneer mevrouw juf
        i'm i've i'll i'd it's that's don't can't won't didn't doesn't isn't
        meester trainer coach leider leiding vriend vriendin mama papa ma pa
        """
    )


@lru_cache(maxsize=1)
def _protected() -> frozenset[str]:
    """Capitalised words that are places, clubs, calendar words, languages or brands."""
    return _words(
        """
        kortrijk heule marke bissegem aalbeke bellegem kooigem rollegem lauwe rekkem kuurne
        harelbeke zwevegem wevelgem menen waregem deerlijk anzegem lendelede moorsele gullegem
        roeselare brugge gent brussel bruxelles antwerpen leuven ieper moeskroen mouscron lille
        rijsel tourcoing roubaix doornik tournai oudenaarde izegem ingelmunster wervik avelgem
        spiere helkijn belgië belgie belgique frankrijk france nederland marokko maroc turkije
        polen roemenië oekraïne syrië afghanistan europa londen london parijs paris leie
        groeninge chiro ksa ksv kv sv scouts scouting bolwerk stroate stroom quindo ajko intro
        uitpas budapark groeningeabdij xpo kinepolis lago decathlon delhaize colruyt lidl aldi
        action primark kreun weide jeugdhuis jeugddienst stad station sporthal sint kortrijkse
        vlaanderen vlaams vlaamse clb az lijn nmbs broeltorens begijnhof begijnhofpark
        maandag dinsdag woensdag donderdag vrijdag zaterdag zondag januari februari maart april
        mei juni juli augustus september oktober november december lundi mardi mercredi jeudi
        vendredi samedi dimanche janvier février mars avril mai juin juillet août septembre
        octobre novembre décembre monday tuesday wednesday thursday friday saturday sunday
        january february march june july august october
        nederlands frans engels duits spaans italiaans arabisch turks pools roemeens russisch
        oekraïens berbers tamazight koerdisch dari pasjtoe latijn grieks wiskunde geschiedenis
        aardrijkskunde biologie chemie fysica informatica economie muziek godsdienst islam
        zedenleer turnen lo français anglais néerlandais english french dutch maths math
        ramadan kerstmis kerst pasen nieuwjaar suikerfeest offerfeest carnaval halloween
        snapchat instagram insta tiktok whatsapp netflix spotify youtube discord fortnite fifa
        minecraft roblox playstation xbox telegram google apple samsung iphone god allah
        """
    )


@lru_cache(maxsize=1)
def _common_words() -> frozenset[str]:
    """Stopwords and protected words together."""
    return _stopwords() | _protected()


def _is_capitalised(token: str) -> bool:
    return token[0].isupper() and (len(token) == 1 or any(char.islower() for char in token[1:]))


def _in_lexicon(token: str, lexicon: frozenset[str]) -> bool:
    lowered = token.casefold()
    if lowered in lexicon:
        return True
    parts = lowered.split("-")
    return len(parts) > 1 and all(part in lexicon for part in parts)


def _is_first_name(token: str) -> bool:
    """In the lexicon, "~" names included: right after a cue, when capitalised."""
    return _in_lexicon(token, _first_names())


def _is_plain_first_name(token: str) -> bool:
    """In the lexicon and no ordinary word: a name even without a cue."""
    lexicon = _lexicon()
    return _in_lexicon(token, lexicon.names) and not _in_lexicon(token, lexicon.words)


def _lowercase_name(token: str, *, curated_only: bool, after_kin: bool = False) -> bool:
    """A lowercase first name that counts after a cue ("mijn vriendin lisa").

    Right after a relation word, names that are also nouns count too: "mn zus noor".
    """
    if not token.islower():
        return False
    if after_kin and token in _NOUN_NAMES and _is_first_name(token):
        return True
    if token in _LOWERCASE_AMBIGUOUS or not _is_plain_first_name(token):
        return False
    return not curated_only or _in_lexicon(token, _lexicon().curated)


def _is_name_word(token: str) -> bool:
    """A capitalised word that can be (part of) a person's name."""
    lowered = token.casefold().replace("’", "'")
    if not _is_capitalised(token) or len(token) < 2:
        return False
    if lowered in _stopwords() or lowered in _protected():
        return False
    if lowered.split("-")[0] in {"sint", "saint", "sainte"}:
        return False
    return not lowered.endswith(_NON_NAME_SUFFIXES)


class _Tokens:
    """The word tokens of one text, with adjacency tests."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.spans = [(m.start(), m.end()) for m in _TOKEN.finditer(text)]
        self.words = [text[start:end] for start, end in self.spans]
        self.by_start = {start: index for index, (start, _) in enumerate(self.spans)}

    def adjacent(self, left: int, right: int) -> bool:
        """True when only a few spaces separate the two tokens."""
        if right >= len(self.spans):
            return False
        return _GAP.fullmatch(self.text, self.spans[left][1], self.spans[right][0]) is not None

    def name_end(self, index: int, *, first_name: bool) -> int | None:
        """Index after the name at ``index``: a first name and any surname after it, or
        (``first_name`` false) a run of surname words; None when there is none."""
        if first_name:
            surname = self.surname_end(index + 1) if self.adjacent(index, index + 1) else None
            return surname or index + 1
        return self.surname_end(index)

    def surname_end(self, index: int, limit: int = 3) -> int | None:
        """Index after the surname starting at ``index``, or None when there is none."""
        words, position, parts = self.words, index, 0
        while position < len(words) and parts < limit:
            if position > index and not self.adjacent(position - 1, position):
                break
            run = position
            while (
                run < len(words)
                and run - position < 3
                and words[run].casefold() in _PARTICLES
                and self.adjacent(run, run + 1)
            ):
                run += 1
            if run < len(words) and _is_name_word(words[run]):
                position, parts = run + 1, parts + 1
                continue
            break
        return position if parts else None


def _names(text: str) -> Iterator[Span]:
    signature = _SIGNATURE.match(text)
    # text.lower() differs from text exactly when something in it is upper- or titlecase.
    if (
        text.lower() == text
        and not _NAME_CUE.search(text)
        and not _PARTICLE_WORD.search(text)
        and not _POSSESSOR.search(text)
        and not _TITLE_AFTER.search(text)
        and signature is None
    ):
        return
    tokens = _Tokens(text)
    words = tokens.words
    # A lexicon first name followed by a surname: "Lisa De Smet", "Fatima Zahra Bennani".
    for index, word in enumerate(words):
        if not (_is_capitalised(word) and _is_plain_first_name(word)):
            continue
        if word.casefold() in _stopwords() or not tokens.adjacent(index, index + 1):
            continue
        end = tokens.surname_end(index + 1)
        if end is None:
            continue
        span = tokens.spans[index][0], tokens.spans[end - 1][1]
        if not _is_public_figure(text[span[0] : span[1]]):
            yield span[0], span[1], "name"
    # All lowercase, a first name and an Arabic or Berber particle: "amina el idrissi".
    for index, word in enumerate(words[:-2]):
        if (
            words[index + 1] in _LOWERCASE_PARTICLES
            and _lowercase_name(word, curated_only=False)
            and tokens.adjacent(index, index + 1)
            and tokens.adjacent(index + 1, index + 2)
            and words[index + 2].islower()
            and words[index + 2] not in _common_words()
        ):
            yield tokens.spans[index][0], tokens.spans[index + 2][1], "name"
    # A message that opens with its writer's full name, lowercase: "noor vandamme hier 👋",
    # "wout vanneste 16 jaar", "valentina rojas, 14, ...".
    if (
        signature
        and signature[1].islower()
        and signature[2].islower()
        and _is_plain_first_name(signature[1])
        and signature[1] not in _stopwords()
        # "ana" is also Darija for "I"; "noor vandamme" is a name
        and (signature[1] not in _LOWERCASE_AMBIGUOUS or signature[1] in _NOUN_NAMES)
        and signature[2] not in _common_words()
        and not _is_first_name(signature[2])
        and not _is_public_figure(text[signature.start(1) : signature.end(2)])
    ):
        yield signature.start(1), signature.end(2), "name"
    # A name before the person it belongs to ("sara haar broer", "Arne ze zuster") or before
    # a Turkish title ("Emre abi", "Fatima teyze").
    for match in _POSSESSOR.finditer(text):
        word = match[1]
        if word.casefold() in _stopwords() or word.casefold() in _protected():
            continue
        if _is_first_name(word) and (
            not word.islower() or _lowercase_name(word, curated_only=False, after_kin=True)
        ):
            yield match.start(1), match.end(1), "name"
    for match in _TITLE_AFTER.finditer(text):
        word = match[1]
        if _is_name_word(word) or _lowercase_name(word, curated_only=False):
            yield match.start(1), match.end(1), "name"
    # A cue, then a name: "mevrouw Claeys", "mijn vriendin lisa", "ik ben de Jonas".
    for cue in _NAME_CUE.finditer(text):
        # "ik ben de Jonas": a West-Flemish article before a first name stays; "mevrouw de Vos":
        # after a title or "ik heet" it is part of the surname.
        keeps_article = cue["role"] is not None or cue["strong"] is not None
        start = cue.start("article") if keeps_article and cue["article"] else cue.end()
        first = tokens.by_start.get(start)
        if first is None:
            continue
        end = _cued_name_end(tokens, cue, first)
        if end is None:
            continue
        span = tokens.spans[first][0], tokens.spans[end - 1][1]
        if (
            cue["colon"] == ","
            and not _APPOSITION_END.match(text, span[1])
            and not _names_listed_after(tokens, end)
        ):
            continue  # "mijn vader, elke zaterdag": a name in apposition ends at a comma
        if cue["weak"] and _is_public_figure(text[span[0] : span[1]]):
            continue  # "ik ben fan van ..." is no introduction; "mijn trainer X" always counts
        yield span[0], span[1], "name"
        yield from _listed_names(tokens, end)


def _weak_cue_words(cue: re.Match[str]) -> str:
    """The weak cue as typed, casefolded with single spaces: "Noemt  me" -> "noemt me"."""
    return " ".join(cue["weak"].casefold().split())


def _cued_name_end(tokens: _Tokens, cue: re.Match[str], first: int) -> int | None:
    """Index after the name a cue introduces at token ``first``; None when there is none."""
    word = tokens.words[first]
    if cue["nickname"] is not None:
        # "aka momo", "mijn bijnaam is Jojo": whatever follows, unless an everyday word.
        if len(word) < 2 or word.casefold() in _common_words():
            return None
        return first + 1 if word.islower() else tokens.name_end(first, first_name=True)
    weak = cue["weak"] is not None
    if weak and _names_a_thing(tokens.text, cue):
        return None  # "mijn kat heet Luna", "het jeugdhuis heet Noor"
    if word.islower() and (weak or _is_first_name(word)):
        # after "ik ben" only a hand-checked name: "ik ben sara", not "ik ben oke"
        after_kin = any(cue[group] is not None for group in ("relation", "strong", "role"))
        curated_only = weak and _weak_cue_words(cue) not in _CALLS_ME
        if not _lowercase_name(word, curated_only=curated_only, after_kin=after_kin):
            return None
        lexicon_first = True
    else:
        # also a first name that is a stopword too: "juf An", "coach Ben"
        lexicon_first = (
            _is_capitalised(word) and _is_first_name(word) and word.casefold() not in _protected()
        )
        if weak and not lexicon_first and not _unlisted_name_after(tokens, cue, first):
            return None
    if cue["colon"] == "," and not lexicon_first:
        return None  # "mijn broer, die ...": after a comma only a known first name
    return tokens.name_end(first, first_name=lexicon_first)


# Weak cues after which a capitalised name outside the lexicon still counts: the speaker's
# nickname ("iedereen noemt me Mimi"), or a self-introduction where the name stands alone
# ("Ik ben Chidera, ik ben 16", "I'm Zhenya from Kharkiv").
_CALLS_ME: Final = frozenset(
    {"noemt me", "noemen me", "noemt mij", "noemen mij", "call me", "calls me", "on m'appelle",
     "on m’appelle", "appelle-moi"}
)  # fmt: skip
_SELF_INTRO: Final = frozenset(
    {"ik ben", "ikke ben", "'k ben", "k ben", "'k zyn", "k zyn", "ik zyn", "'k zijn", "'k zin",
     "k zin", "i'm", "i’m", "im", "i am", "je suis", "moi c'est", "moi c’est"}
)  # fmt: skip
# After a self-introduction the name ends the clause: "ik ben Chidera, ...", "... from ...".
_INTRO_NAME_END = re.compile(
    r"[ \t]*(?:$|[^\w\s'’-]|(?:from|uit|van|aus|de|du|hier|here|en|and|et|und)(?![\w'’]))",
    re.IGNORECASE,
)
# Capitalised words that follow "ik ben" and are no name: where one is from, what one believes.
_DEMONYMS: Final = _words(
    """
    belg belgische belgian belge vlaming vlaamse fleming waal waalse brusselaar kortrijkzaan
    nederlander nederlandse hollander fransman franse française français french marokkaan
    marokkaanse moroccan marocain marocaine turk turkse turkish turc turque syriër syrische
    syrian syrien syrienne afghaan afghaanse afghan afghane oekraïner oekraïense ukrainian
    ukrainien ukrainienne pool poolse polish polonais polonaise roemeen roemeense romanian
    roumain roumaine rus russin russische russian russe koerd koerdische kurdish kurde
    berber amazigh eritreeër eritrese eritrean somaliër somalische somali congolees congolese
    congolais congolaise guineeër guinees kameroener algerijn algerijnse tunesiër tunesische
    iraniër iraanse iraaki irakees iraakse palestijn palestijnse albanees albanese bulgaar
    bulgaarse spanjaard spaanse italiaan italiaanse portugees portugese braziliaan duitser
    duitse engelsman britse brit european europeaan afrikaan afrikaanse arabier arab arabe
    moslim moslima muslim musulman musulmane christen christian chrétien chrétienne katholiek
    catholic catholique protestant jood joodse jewish juif juive hindoe hindu boeddhist
    atheïst atheist athée vegan veganist vegetariër
    """
)


# "Kortrijkzaan", "Gentenaar", "Vlaming", "Italiaan", "Marokkaans", "Congolees", "Belgisch"
_DEMONYM_ENDS: Final = (
    "zaan", "zoan", "enaar", "ling", "iaan", "aans", "aanse", "ees", "ese", "isch", "ische",
)  # fmt: skip


def _unlisted_name_after(tokens: _Tokens, cue: re.Match[str], first: int) -> bool:
    """A capitalised name outside the lexicon after a weak cue that surely names a person."""
    word = tokens.words[first]
    if not (_is_name_word(word) and word[1:2].islower()):
        return False
    lowered = word.casefold()
    if lowered in _DEMONYMS or lowered.endswith(_DEMONYM_ENDS):
        return False
    if any(part in _common_words() for part in lowered.split("-")):
        return False
    said = _weak_cue_words(cue)
    if said in _CALLS_ME:
        return True
    if said not in _SELF_INTRO:
        return False
    end = tokens.surname_end(first)
    return (
        end is not None and _INTRO_NAME_END.match(tokens.text, tokens.spans[end - 1][1]) is not None
    )


_SIGNATURE = re.compile(
    r"[ \t]*(?:(?:hey|hoi|hallo|hello|hi|yo|salut|salam|coucou|dag|hiya)[ \t,!]+)?"
    r"([^\W\d_]{2,})[ \t]+([^\W\d_]{3,})(?![\w'’-])"
    r"(?=[ \t]*(?:,|$|\d|(?:hier|here|ici)(?![\w'’])|[^\w\s'’-]))",
    re.IGNORECASE,
)
_APPOSITION_END = re.compile(r"[ \t]*(?:[,.!?;:)]|$)")
# What a name after "heet" belongs to when it is no person: a pet, a place, a thing.
_THINGS: Final = _words(
    """
    kat katje poes poesje kater hond hondje puppy kitten konijn cavia hamster muis rat paard
    pony ezel geit kip vis vogel parkiet kanarie schildpad slang hagedis huisdier dier beest
    jeugdhuis club ploeg team zaal lokaal app game spel film serie boek liedje nummer album
    band groep project winkel zaak café frituur school klas straat plein park wijk stad dorp
    pet dog cat chat chien lapin cheval
    """
)
_WORD_BEFORE = re.compile(r"([^\W\d_]+)[ \t]+\Z")
_NAMING = frozenset({"heet", "heette", "heten", "s'appelle", "s’appelle", "is called"})


def _names_a_thing(text: str, cue: re.Match[str]) -> bool:
    """True for "<pet or place> heet ...": the name that follows is no person's."""
    if _weak_cue_words(cue) not in _NAMING:
        return False
    before = _WORD_BEFORE.search(text, max(0, cue.start() - 40), cue.start())
    return before is not None and before[1].casefold() in _THINGS


# Between the names of a list: "Noor, Lina en Febe", "Bilal and Ayoub", "Karim et Nabil".
_LIST_GAP = re.compile(r"[ \t]*(?:,[ \t]*(?:(?:en|and|et|&)[ \t]+)?|[ \t]+(?:en|and|et|&)[ \t]+)")


def _names_listed_after(tokens: _Tokens, index: int) -> bool:
    """Whether a known first name follows in a list: "me gebuurs, Jef en Mia"."""
    gap = _LIST_GAP.match(tokens.text, tokens.spans[index - 1][1])
    following = tokens.by_start.get(gap.end()) if gap else None
    if following is None:
        return False
    word = tokens.words[following]
    return _is_capitalised(word) and _is_plain_first_name(word)


def _listed_names(tokens: _Tokens, index: int) -> Iterator[Span]:
    """The names listed after a cued one ("mijn vriendinnen Noor, Lina en Febe")."""
    words = tokens.words
    while index < len(words):
        gap = _LIST_GAP.match(tokens.text, tokens.spans[index - 1][1])
        if gap is None or gap.end() not in tokens.by_start:
            return
        index = tokens.by_start[gap.end()]
        word = words[index]
        if word.islower():
            found = index + 1 if _lowercase_name(word, curated_only=False) else None
        elif word.casefold() in _common_words():
            found = None
        else:
            # a capitalised word in the middle of a list of names is one too: "en Febe"
            first_name = _is_capitalised(word) and _is_first_name(word)
            found = tokens.name_end(index, first_name=first_name)
        if found is None:
            return
        yield tokens.spans[index][0], tokens.spans[found - 1][1], "name"
        index = found


PUBLIC_FIGURES_FILE: Final = FIRST_NAMES_FILE.parent / "public_figures.txt"


def _folded(text: str) -> str:
    """Casefolded, without diacritics, one space between words: for comparing names."""
    return fold(text.replace("’", "'"))


@lru_cache(maxsize=1)
def _public_figures() -> frozenset[str]:
    """The listed public figures, folded; read once."""
    return frozenset(
        _folded(line)
        for line in PUBLIC_FIGURES_FILE.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    )


def _is_public_figure(name: str) -> bool:
    """A listed public figure: kept unless a private cue stands right before the name."""
    return _folded(name) in _public_figures()
