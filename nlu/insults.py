"""Insults aimed at the bot: answered calmly instead of being stored as an answer.

Only messages that are *about the bot* count ("stomme bot", "fuck you",
"ta gueule"). Swearing about a club, a trainer or life ("die trainer is een
klootzak", "kutschool") is an answer like any other and is kept.
"""

from __future__ import annotations

import re

from survey.text import fold

_INSULT = (
    r"(stom+e?|dom+e?|kut|kanker|tyf(us)?|klote|debiele?|achterlijke?|waardeloze?|nutteloze?|"
    r"shit|stupid|dumb|useless|fucking|idiot|con+e?|nul+e?|debile|pourrie?|merdique)"
)
_PATTERNS = [
    # "stomme bot", "kutbot", "useless bot", "bot de merde", "sale bot"
    rf"\b{_INSULT}\s*-?\s*(bot|robot|chatbot|ding)\b",
    r"\b(bot|robot|chatbot)\s+(de\s+merde|van\s+niks|pourri|debile)\b",
    r"\bsale\s+(bot|robot)\b",
    # "jij bent dom", "je bent een idioot", "you suck", "t'es nul"
    r"\b(jij|je|ge|gij)\s+(bent|zijt|zyt|zyn)\s+(een\s+)?"
    r"(dom|stom|debiel|achterlijk|idioot|nutteloos|waardeloos|lelijk|mongool)\b",
    r"\byou\s+(suck|are\s+(stupid|dumb|useless|an\s+idiot))\b",
    r"\byou'?re\s+(stupid|dumb|useless|an\s+idiot)\b",
    r"\bt'?es\s+(nul|con|debile|bete)\b",
    # whole-message insults
    r"^(fuck\s*(you|u|off)|stfu|shut\s+up|ta\s+gueule|ferme[\s-]la|nique\s+ta\s+mere|"
    r"rot\s+op|flikker\s+op|hou\s+je\s+(bek|kop|smoel)|zwijg|loser|idioot|kuttebot)[\s!.?]*$",
]
_COMPILED = re.compile("|".join(f"(?:{p})" for p in _PATTERNS))


def is_insult_to_bot(text: str) -> bool:
    """Whether a message insults the bot itself (not a club, a person or life)."""
    return _COMPILED.search(fold(text)) is not None
