"""The naive baseline: a keyword list per theme, as someone in the network would write it.

It exists to show what the machine-learned classifier (``nlu/builtin.py``)
buys; the bot never uses it. The lists below were written by hand from the
theme descriptions in config.yml and everyday words (Dutch, some West-Flemish,
French and English), not learned from or tuned on the training data.

Matching: the text is folded (lower case, accents dropped) and split into
words. A keyword matches a whole word, ``word*`` any word starting with it,
and ``several words`` that phrase. A theme scores 1.0 when one of its keywords
occurs and 0.0 otherwise; the themes are ordered by how many of their keywords
matched (then in config order). No keyword: no theme, like noise.

Figures (against the built-in classifier, same held-out split): docs/nlu.md.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence

from nlu.classifier import Prediction
from nlu.data import Example
from survey.text import fold_words

# fmt: off
KEYWORDS: dict[str, tuple[str, ...]] = {
    "cost": (
        "geld", "duur", "dure", "betal*", "betoal*", "kost*", "lidgeld", "prijs*", "euro",
        "€", "centen", "budget", "uitpas", "kansentarief", "korting", "zakgeld", "sparen",
        "onbetaalbaar", "cher", "argent", "money", "expensive", "afford", "cash",
    ),
    "transport": (
        "ver", "verre", "bus", "fiets*", "velo", "auto", "oto", "rijbewijs", "vervoer",
        "de lijn", "trein", "brengen", "voeren", "geraak*", "afstand", "halte", "loin",
        "voiture", "far", "bike", "car",
    ),
    "time": (
        "tijd", "tyd", "tied", "huiswerk", "examen*", "studeren", "studie*", "blok",
        "blokken", "job", "studentenjob", "werk", "werken", "uren", "agenda", "rooster",
        "stage", "druk", "temps", "devoirs", "time", "homework", "busy",
    ),
    "information": (
        "info*", "weet niet", "wist niet", "weet nie", "wist nie", "gehoord", "website",
        "site", "facebook", "insta", "instagram", "affiche*", "folder*", "reclame",
        "onduidelijk", "bestaat", "sais pas", "know what", "never heard",
    ),
    "registration": (
        "inschrij*", "wachtlijst*", "volzet", "vol", "formulier*", "aanmeld*", "online",
        "regels", "reglement", "verplicht*", "lid worden", "complet", "inscription*",
        "waiting list", "sign up", "signup",
    ),
    "social": (
        "vrienden", "vriend", "vriendin", "maten", "moaten", "niemand", "alleen", "alleene",
        "kliek*", "groepje*", "eentje", "solo", "friends", "amis", "potes", "personne",
        "anyone", "alone",
    ),
    "belonging": (
        "welkom", "erbij", "ertussen", "thuis voelen", "mensen zoals", "raar bekeken",
        "rijke", "codes", "rituelen", "doop*", "sfeer", "vibe", "bienvenu*", "welcome",
        "belong", "fit in",
    ),
    "discrimination": (
        "racis*", "racist*", "discrimin*", "hoofddoek", "hijab", "huidskleur", "kleur",
        "afkomst", "moslim*", "geloof", "religie", "homo", "gay", "lesbi*", "trans",
        "queer", "buitenlander", "zwart", "anders behandeld", "voile", "couleur", "sexist*",
    ),
    "language": (
        "nederlands", "taal", "talen", "dialect", "versta*", "verstoa*", "frans", "engels",
        "arabisch", "okan", "accent", "uitspraak", "vlams", "spreek*", "spreken", "dutch",
        "neerlandais", "flamand", "langue", "language",
    ),
    "family": (
        "ouders", "mama", "papa", "ma", "pa", "moeder", "vader", "thuis", "familie",
        "mag niet", "mag nie", "mag ni", "streng", "broertje*", "zusje*", "parents",
        "mere", "pere", "famille", "mom", "dad",
    ),
    "interest": (
        "saai", "interes*", "boeit", "boring", "kinderachtig", "competitie*", "competitief",
        "prestatie*", "leuk", "geen zin", "goesting", "aanbod", "verveel*", "te oud",
        "nul", "competitive", "childish",
    ),
    "confidence": (
        "durf*", "bang", "schrik", "verlegen", "onzeker*", "zelfvertrouwen", "faalangst",
        "stress", "angst*", "nerveus", "beschaamd", "paniek*", "niet goed genoeg",
        "depressie", "shy", "timide", "anxious", "anxiety", "scared", "peur",
    ),
    "accessibility": (
        "rolstoel", "rolwagen", "autisme", "autist*", "adhd", "prikkel*", "beperking",
        "handicap*", "gehandicapt", "doof", "slechthorend", "blind", "slechtziend*", "lift",
        "trap", "trappen", "aangepast*", "toegankelijk*", "dyslexie", "epilepsie",
        "wheelchair", "fauteuil",
    ),
    "safety": (
        "veilig*", "onveilig", "gevaarlijk", "gevoarlijk", "pest*", "gepest", "donker",
        "eng", "vecht*", "lastiggevallen", "bende", "drugs", "gedeald", "agressief",
        "bedreigd", "safe", "dangerous", "bully*", "bullied", "harcel*",
    ),
    "space": (
        "plek*", "hangplek", "pleintje", "plein", "speelplein", "park", "skatepark",
        "politie", "flikken", "buren", "weggestuurd", "wegjagen", "veld*", "dicht",
        "gesloten", "lokaal", "chillen", "endroit", "nowhere",
    ),
    "none": (
        "niets houdt", "niks houdt", "geen drempel*", "geen probleem", "geen problemen",
        "alles goed", "tevreden", "geen klachten", "niemendalle", "nothing", "rien",
    ),
    "other": (
        "allergie*", "allergisch", "ramadan", "ziek*", "gebroken", "blessure", "operatie",
        "verhuiz*", "hond", "kat", "huisdier*", "vegetarisch", "vegan", "halal", "astma",
        "hooikoorts",
    ),
}
# fmt: on


def _pattern(keywords: Sequence[str]) -> re.Pattern[str]:
    """One regex per theme; each alternative a whole word, a word prefix or a phrase."""
    alternatives = []
    for keyword in keywords:
        prefix = keyword.endswith("*")
        body = re.escape(fold_words(keyword.rstrip("*")))
        alternatives.append(body + (r"\w*" if prefix else ""))
    return re.compile(r"(?<!\S)(?:" + "|".join(alternatives) + r")(?!\S)")


class KeywordClassifier:
    """Keyword hits as themes; same interface as the built-in classifier."""

    def __init__(
        self, themes: Sequence[str], keywords: Mapping[str, Sequence[str]] = KEYWORDS
    ) -> None:
        self._themes = list(themes)
        self._patterns = {
            theme: _pattern(keywords[theme]) for theme in self._themes if keywords.get(theme)
        }
        digest = hashlib.sha256(
            json.dumps({t: list(keywords[t]) for t in self._patterns}, sort_keys=True).encode()
        ).hexdigest()
        self.version = f"keywords-{digest[:12]}"

    @classmethod
    def train(cls, examples: Sequence[Example], themes: Sequence[str]) -> KeywordClassifier:
        """Nothing is learned: the examples are ignored (kept for a common interface)."""
        del examples
        return cls(themes)

    def predict(self, text: str) -> Prediction:
        """1.0 for every theme with a keyword in the text, 0.0 for the rest."""
        folded = fold_words(text)
        hits = {theme: len(p.findall(folded)) for theme, p in self._patterns.items()}
        chosen = sorted((t for t in self._themes if hits.get(t)), key=lambda t: -hits[t])
        scores = {theme: 1.0 if hits.get(theme) else 0.0 for theme in self._themes}
        return Prediction(tuple(chosen), scores, self.version)

    def predict_many(self, texts: Sequence[str]) -> list[Prediction]:
        """One :meth:`predict` per text."""
        return [self.predict(text) for text in texts]
