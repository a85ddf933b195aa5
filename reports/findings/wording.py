"""The findings report's own words, in plain Dutch (and English for partners who need it)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date

LANGUAGES = ("nl", "en")

MONTHS = {
    "nl": ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"],
    "en": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
}
LONG_MONTHS = {
    "nl": [
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ],
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
}

_TEXTS: dict[str, dict[str, str]] = {
    "title": {"nl": "Wat jongeren ons vertellen", "en": "What young people tell us"},
    "subtitle": {
        "nl": "Jeugdstem: samenvatting voor het lerend netwerk",
        "en": "Jeugdstem: summary for the learning network",
    },
    "period": {"nl": "Periode", "en": "Period"},
    "generated": {"nl": "Gemaakt op", "en": "Made on"},
    "sources_filter": {"nl": "Alleen via", "en": "Only through"},
    "no_data": {"nl": "geen antwoorden", "en": "no answers"},
    "toc": {"nl": "Inhoud", "en": "Contents"},
    # 1. Headline
    "headline": {"nl": "In het kort", "en": "At a glance"},
    "participants": {"nl": "jongeren deden mee", "en": "young people took part"},
    "finished": {"nl": "vulden alles in", "en": "finished the survey"},
    "answers": {"nl": "antwoorden", "en": "answers"},
    "own_words": {"nl": "in eigen woorden", "en": "in their own words"},
    "speakers": {
        "nl": "vertelden iets over wat hen tegenhoudt",
        "en": "told us something about what holds them back",
    },
    "sources": {"nl": "Wie bracht hen binnen", "en": "Who brought them in"},
    "source": {"nl": "Partner of campagne", "en": "Partner or campaign"},
    "no_source": {"nl": "zonder code (gewoon /start)", "en": "no code (plain /start)"},
    "young_people": {"nl": "jongeren", "en": "young people"},
    # 2. Ranking
    "ranking": {"nl": "Welke drempels noemen jongeren?", "en": "Which barriers do they name?"},
    "ranking_intro": {
        "nl": "Per drempel: hoeveel jongeren ze noemen, van de {speakers} jongeren die iets "
        "vertelden. Wie iets vaak zegt, telt één keer.",
        "en": "Per barrier: how many young people name it, out of the {speakers} who told us "
        "something. Saying it often still counts once.",
    },
    "ranking_chart": {"nl": "Drempels die jongeren noemen", "en": "Barriers young people name"},
    "theme": {"nl": "Drempel", "en": "Barrier"},
    "share": {"nl": "aandeel", "en": "share"},
    "share_of_speakers": {"nl": "% van wie iets vertelde", "en": "% of those who told us"},
    "no_barrier": {
        "nl": "{count} jongeren zeggen dat niets hen tegenhoudt.",
        "en": "{count} young people say nothing holds them back.",
    },
    # 3. For whom
    "for_whom": {"nl": "Voor wie?", "en": "For whom?"},
    "for_whom_intro": {
        "nl": "Per groep: welk deel van de jongeren in die groep de drempel noemt. Hoe donkerder, "
        "hoe meer. Grijs: minder dan {min_cell} jongeren, dus niet getoond.",
        "en": "Per group: which share of the young people in that group names the barrier. The "
        "darker, the more. Grey: fewer than {min_cell} young people, not shown.",
    },
    "age_band": {"nl": "Leeftijd", "en": "Age"},
    "area": {"nl": "Waar ze wonen", "en": "Where they live"},
    "by_age_band": {"nl": "Drempels per leeftijd", "en": "Barriers by age"},
    "by_area": {"nl": "Drempels per deelgemeente of wijk", "en": "Barriers by area"},
    "by_source": {"nl": "Drempels per partner of campagne", "en": "Barriers by partner"},
    "unknown": {"nl": "niet opgegeven", "en": "not given"},
    "small_groups": {"nl": "kleine groepen samen", "en": "small groups together"},
    "small_groups_note": {
        "nl": "Samengenomen omdat ze elk minder dan {min_cell} jongeren tellen: {groups}.",
        "en": "Taken together because each has fewer than {min_cell} young people: {groups}.",
    },
    "table": {"nl": "Tabel", "en": "Table"},
    # 4. Over time
    "over_time": {"nl": "Doorheen de tijd", "en": "Over time"},
    "over_time_intro": {
        "nl": "Per maand: welk deel van de jongeren die die maand iets vertelden, de drempel "
        "noemt.",
        "en": "Per month: which share of the young people who told us something that month "
        "names the barrier.",
    },
    "by_month": {"nl": "Drempels per maand", "en": "Barriers by month"},
    "month": {"nl": "Maand", "en": "Month"},
    "one_month": {
        "nl": "Alle antwoorden vallen in één maand; een verloop volgt zodra er meer maanden zijn.",
        "en": "All answers fall in one month; a trend follows once there are more months.",
    },
    # 5. Stories
    "stories": {"nl": "In hun eigen woorden", "en": "In their own words"},
    "stories_intro": {
        "nl": "Per drempel enkele antwoorden die zeggen wat velen zeggen, en zo verschillend "
        "mogelijk. Letterlijk overgenomen; persoonsgegevens zijn vervangen door bv. [naam]. "
        "Het nummer verwijst naar de kolom answer_id van de export.",
        "en": "Per barrier a few answers that say what many say, as different as possible. "
        "Verbatim; personal details are replaced by e.g. [naam]. The number refers to the "
        "answer_id column of the export.",
    },
    "named_by": {"nl": "genoemd door {count} jongeren", "en": "named by {count} young people"},
    "solutions": {"nl": "Wat zou helpen, volgens hen", "en": "What would help, they say"},
    "no_quotes": {"nl": "Geen citaten om te tonen.", "en": "No quotes to show."},
    "answer_ref": {"nl": "antwoord #{id}", "en": "answer #{id}"},
    # 6. Together
    "together": {"nl": "Drempels die samen gaan", "en": "Barriers that go together"},
    "together_intro": {
        "nl": "Lees per rij: van de jongeren die deze drempel noemen, welk deel noemt ook de "
        "drempel in de kolom.",
        "en": "Read per row: of the young people naming this barrier, which share also names "
        "the barrier in the column.",
    },
    "together_chart": {"nl": "Drempels die samen gaan", "en": "Barriers that go together"},
    "also_names": {"nl": "noemt ook…", "en": "also names…"},
    "who_names": {"nl": "Wie dit noemt…", "en": "Who names this…"},
    "top_pairs": {"nl": "Vaakst samen", "en": "Most often together"},
    "pair": {"nl": "{first} + {second}", "en": "{first} + {second}"},
    "both": {"nl": "jongeren noemen beide", "en": "young people name both"},
    "no_pairs": {
        "nl": "Geen paren met minstens {min_cell} jongeren.",
        "en": "No pairs with at least {min_cell} young people.",
    },
    # 7. Signals
    "signals": {"nl": "Nieuwe signalen", "en": "New signals"},
    "signals_intro": {
        "nl": "Antwoorden die in geen enkel thema passen (\u2018iets anders\u2019) of waarover "
        "de computer twijfelde, gegroepeerd op wat ze zeggen. Mogelijk drempels die we nog "
        "niet zien. Groepen van minder dan {min_cell} jongeren worden niet getoond.",
        "en": "Answers that fit no theme ('something else') or that the computer was unsure "
        "about, grouped by what they say. Possibly barriers we do not see yet. Groups of fewer "
        "than {min_cell} young people are not shown.",
    },
    "signal": {"nl": "Signaal {number}", "en": "Signal {number}"},
    "signal_size": {
        "nl": "{answers} antwoorden van {participants} jongeren",
        "en": "{answers} answers from {participants} young people",
    },
    "key_terms": {"nl": "Kernwoorden", "en": "Key terms"},
    "no_signals": {
        "nl": "Geen groepen van minstens {min_cell} jongeren gevonden.",
        "en": "No groups of at least {min_cell} young people found.",
    },
    "signal_rest": {
        "nl": "{count} andere antwoorden van dit soort vormen (nog) geen groep.",
        "en": "{count} other answers of this kind form no group (yet).",
    },
    # 8. Trust
    "trust": {"nl": "Hoeveel kunnen we hierop bouwen?", "en": "How much to trust this"},
    "text_answers": {
        "nl": "antwoorden in eigen woorden op de drempelvragen",
        "en": "answers in their own words to the barrier questions",
    },
    "confirmed": {
        "nl": "bevestigd of aangepast door de jongere zelf",
        "en": "confirmed or corrected by the young person",
    },
    "confirmed_agreed": {
        "nl": "van wat jongeren bevestigden, was de computer het helemaal eens",
        "en": "of what young people confirmed, the computer fully agreed",
    },
    "staff_labelled": {"nl": "nagelezen door medewerkers", "en": "reviewed by staff"},
    "staff_changed": {"nl": "door medewerkers verbeterd", "en": "corrected by staff"},
    "staff_agreed": {
        "nl": "van wat medewerkers nalazen, had de computer exact dezelfde thema's",
        "en": "of what staff reviewed, the computer had exactly the same themes",
    },
    "unclassified": {
        "nl": "nog niet ingedeeld (de computer was onbereikbaar; volgt later)",
        "en": "not classified yet (the computer was unavailable; follows later)",
    },
    "agreement_table": {
        "nl": "Per thema, vergeleken met medewerkers",
        "en": "Per theme, compared with staff",
    },
    "staff_answers": {"nl": "antwoorden (medewerkers)", "en": "answers (staff)"},
    "precision": {"nl": "juist als de computer het zegt", "en": "right when it says so"},
    "recall": {"nl": "door de computer gevonden", "en": "found by the computer"},
    "overall": {"nl": "alle thema's samen", "en": "all themes together"},
    "no_agreement": {
        "nl": "Nog te weinig antwoorden nagelezen door medewerkers om de computer te toetsen.",
        "en": "Too few answers reviewed by staff yet to check the computer.",
    },
    "distress": {"nl": "Zorgsignalen", "en": "Distress flags"},
    "distress_text": {
        "nl": "{answers} antwoorden van {participants} jongeren kregen een zorgsignaal (de "
        "jongere kreeg meteen hulplijnen). Uit deze jongeren citeren we niets.",
        "en": "{answers} answers from {participants} young people were flagged for distress "
        "(the young person got helplines at once). Nothing of theirs is quoted.",
    },
    "handovers": {
        "nl": "Gesprekken met een jeugdwerker",
        "en": "Conversations with a youth worker",
    },
    "handovers_text": {
        "nl": "{cases} keer vroeg een jongere om met een jeugdwerker te praten (na een alarm: "
        "{alarm}; na «Gaat het met je?»: {concern}; zelf gevraagd: {request}). Mediaan tot het "
        "eerste antwoord van een jeugdwerker: {median}. Beantwoord binnen de shift: {share}. "
        "Wat in die gesprekken gezegd werd, staat niet in dit rapport.",
        "en": "{cases} times a young person asked to talk to a youth worker (after an alarm: "
        "{alarm}; after “Are you okay?”: {concern}; asked themselves: {request}). "
        "Median time to a youth worker's first answer: {median}. Answered within the shift: "
        "{share}. Nothing said in those conversations is in this report.",
    },
    "handovers_none": {
        "nl": "In deze periode vroeg geen enkele jongere om met een jeugdwerker te praten.",
        "en": "No young person asked to talk to a youth worker in this period.",
    },
    "offers": {"nl": "Aanbod dat antwoordt op drempels", "en": "Offers that answer barriers"},
    "offers_lead": {
        "nl": "Wie een drempel bevestigde, kreeg in de chat tot drie aanbiedingen uit offers.yml "
        "die daarop antwoorden (naar leeftijd en woonplaats), elk één keer. Geteld in jongeren.",
        "en": "Young people who confirmed a barrier were shown up to three offers from offers.yml "
        "that answer it (by age and area), each once. Counted in young people.",
    },
    "offers_examples": {
        "nl": "offers.yml bevat nog de meegeleverde voorbeelden: vervang ze door het echte aanbod "
        "van het netwerk. De lijst hieronder telt de voorbeelden niet mee.",
        "en": "offers.yml still holds the shipped examples: replace them with the network's real "
        "offers. The list below does not count the examples.",
    },
    "offer": {"nl": "Aanbod", "en": "Offer"},
    "offer_shown": {"nl": "getoond aan", "en": "shown to"},
    "offer_tapped": {"nl": "«Interessant»", "en": "“Interesting”"},
    "offers_by_theme": {"nl": "Per drempel", "en": "By barrier"},
    "offers_none_shown": {
        "nl": "In deze periode werd nog geen aanbod getoond.",
        "en": "No offer was shown in this period.",
    },
    "offers_to_do": {
        "nl": "Vaak genoemd, maar nog geen aanbod: de to-do van het netwerk",
        "en": "Named often, with no offer yet: the network's to-do list",
    },
    "offers_to_do_none": {
        "nl": "Voor elke drempel die jongeren vaak noemden, loopt er een aanbod.",
        "en": "Every barrier young people often named has an offer running.",
    },
    "offers_tried": {
        "nl": "Of jongeren een aanbod ook probeerden en of het hielp, vragen de opvolgrondes; "
        "die cijfers komen hier zodra ze er zijn.",
        "en": "Whether young people tried an offer and whether it helped is for the follow-up "
        "rounds to ask; those figures will appear here.",
    },
    "voice": {"nl": "Wat gebeurde er met jullie stem?", "en": "What happened to your voice?"},
    "voice_lead": {
        "nl": "Per drempel: waar het netwerk staat (feedback.yml), wat het deed, hoeveel jongeren "
        "die de drempel noemden dat bericht kregen, en hoe ze reageerden.",
        "en": "Per barrier: where the network stands (feedback.yml), what it did, how many young "
        "people who named the barrier got that message, and how they reacted.",
    },
    "voice_examples": {
        "nl": "feedback.yml bevat nog de meegeleverde voorbeelden; die staan hier niet.",
        "en": "feedback.yml still holds the shipped examples; they are not shown here.",
    },
    "voice_none": {
        "nl": "Er staat nog geen eigen feedback in feedback.yml.",
        "en": "feedback.yml holds no feedback of the network's own yet.",
    },
    "voice_status": {"nl": "Stand", "en": "Status"},
    "voice_done": {"nl": "Wat het netwerk deed", "en": "What the network did"},
    "voice_reached": {"nl": "bericht gekregen", "en": "message received"},
    "voice_said_more": {"nl": "zeiden meer", "en": "said more"},
    "rounds": {"nl": "Rondes vergeleken", "en": "Rounds compared"},
    "rounds_lead": {
        "nl": "Het aandeel deelnemers van elke ronde dat een drempel noemde, in hun eigen woorden. "
        "Tussen haakjes: hoeveel jongeren aan de ronde deelnamen.",
        "en": "The share of each round's participants who named a barrier, in their own words. "
        "In brackets: how many young people took part in the round.",
    },
    "rounds_change": {"nl": "verschil", "en": "change"},
    "rounds_too_small": {
        "nl": "Een verschil tussen rondes tonen we pas als beide rondes minstens {min_round} "
        "deelnemers hebben: bij minder zegt een verschil vooral iets over toeval.",
        "en": "A change between rounds is shown only once both rounds have at least {min_round} "
        "participants: with fewer, a change mostly says something about chance.",
    },
    "minutes": {"nl": "{minutes} min", "en": "{minutes} min"},
    "not_shown": {"nl": "niet getoond", "en": "not shown"},
    "method": {"nl": "Hoe kwamen deze cijfers tot stand?", "en": "How these figures were made"},
    "method_note": {
        "nl": "Jongeren beantwoordden de vragen van Jeugdstem in een chat, anoniem. Een "
        "computerprogramma deelt elk antwoord in bij een of meer drempels. Als de jongere zelf "
        "zei welke drempels klopten, telt dat; als een medewerker het nalas, telt dat het "
        "zwaarst. We tellen jongeren, geen antwoorden: wie iets drie keer zegt, telt één keer. "
        "Elk getal onder {min_cell} tonen we niet (\u2018< {min_cell}\u2019), en soms ook een "
        "getal ernaast, zodat je het niet kan terugrekenen. De jongeren die meededen, kozen "
        "zelf om mee te doen: dit is geen steekproef van alle jongeren in Kortrijk.",
        "en": "Young people answered Jeugdstem's questions in a chat, anonymously. A computer "
        "program assigns every answer to one or more barriers. When the young person said which "
        "barriers were right, that counts; when a staff member reviewed it, that counts most. "
        "We count young people, not answers: saying something three times counts once. No "
        "number under {min_cell} is shown ('< {min_cell}'), and sometimes a neighbouring number "
        "is hidden too, so it cannot be worked out. Those who took part chose to: this is not a "
        "sample of all young people in Kortrijk.",
    },
    "suppressed": {"nl": "< {min_cell}", "en": "< {min_cell}"},
    "part": {"nl": "{part} van {whole} ({share})", "en": "{part} of {whole} ({share})"},
    "hidden_themes": {
        "nl": "Door minder dan {min_cell} jongeren genoemd: {themes}.",
        "en": "Named by fewer than {min_cell} young people: {themes}.",
    },
}


class Wording(Mapping[str, str]):
    """The report's texts in one language; ``wording["title"]`` or ``wording.say(key, ...)``."""

    def __init__(self, language: str) -> None:
        if language not in LANGUAGES:
            raise ValueError(f"the report speaks {', '.join(LANGUAGES)}, not {language!r}")
        self.language = language

    def __getitem__(self, key: str) -> str:
        return _TEXTS[key][self.language]

    def __iter__(self) -> Iterator[str]:
        return iter(_TEXTS)

    def __len__(self) -> int:
        return len(_TEXTS)

    def say(self, key: str, **values: object) -> str:
        """A text with its ``{placeholders}`` filled in."""
        return self[key].format(**values)

    def month(self, year: int, month: int) -> str:
        """A month as a short label: "mrt 2027"."""
        return f"{MONTHS[self.language][month - 1]} {year}"

    def day(self, day: date) -> str:
        """A date in words: "3 maart 2027"."""
        return f"{day.day} {LONG_MONTHS[self.language][day.month - 1]} {day.year}"
