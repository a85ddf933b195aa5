"""What the bot says when a message shows distress: helplines, or first a kind question.

Two tiers (nlu.risk.DistressLevel), because a false concern costs one kind question
and a miss costs far more:

```mermaid
flowchart LR
    msg[message] -->|alarm| lines[helplines at once + staff alert] --> paused[questions paused]
    msg -->|concern| check[Gaat het met je?]
    check -->|Ik wil met iemand praten| lines
    check -->|Het gaat wel, verder| next[next question]
    paused -->|Verder doen| next
```

The helplines come from config.yml (survey.helplines): the lines for this risk that
are open now first, always one open day and night, and 112. Someone writing in a
language the bot does not speak gets 112 first and the lines in simple Dutch and
English: we do not ship crisis texts nobody of the network could check.
"""

from __future__ import annotations

from datetime import datetime

from bot.engine.buttons import ButtonKind
from bot.engine.events import Reply
from bot.engine.prompts import Prompts
from nlu.risk import Distress, RiskKind
from survey.config import Survey
from survey.helplines import Helpline, choose_helplines
from survey.text import fold_words

# The opening words of the reply, by the most urgent kind: harm done by others is
# "not your fault", a friend's trouble gets advice on helping; the rest a general word.
_INTRO_BY_KIND = {
    RiskKind.THREATS: "distress_threat",
    RiskKind.DOMESTIC_VIOLENCE: "distress_not_your_fault",
    RiskKind.ABUSE: "distress_not_your_fault",
    RiskKind.EXPLOITATION: "distress_not_your_fault",
    RiskKind.FORCED_MARRIAGE: "distress_not_your_fault",
    RiskKind.NEGLECT: "distress_not_your_fault",
    RiskKind.FRIEND: "distress_friend",
}
_GENERAL_INTRO = "distress_alarm"
# The languages the fallback reply is written in, for someone writing in another one.
_FALLBACK_LANGUAGES = ("nl", "en")


class Safeguarding:
    """Builds the helpline replies and the check-in of the two distress tiers."""

    def __init__(self, survey: Survey, prompts: Prompts) -> None:
        self.survey = survey
        self.prompts = prompts
        # The talk button's label in every language, as someone might type it.
        self._talk = {fold_words(label) for label in survey.messages["button_talk"].values()}

    def asks_to_talk(self, text: str) -> bool:
        """Whether a typed message is the talk button's words ("ik wil met iemand praten")."""
        return fold_words(text) in self._talk

    def helplines(
        self, kinds: tuple[RiskKind, ...], language: str, moment: datetime, *, foreign: bool
    ) -> Reply:
        """The helpline reply: a warm word, then the lines that fit, open ones first."""
        intro = _INTRO_BY_KIND.get(kinds[0], _GENERAL_INTRO) if kinds else _GENERAL_INTRO
        lines = choose_helplines(
            self.survey.helplines,
            [kind.value for kind in kinds],
            language,
            moment,
            emergency_first=foreign,
        )
        languages = _FALLBACK_LANGUAGES if foreign else (language,)
        blocks = [
            "\n".join(
                [
                    self.survey.text(intro, lang),
                    *(self.line(line, lang, moment) for line in lines),
                ]
            )
            for lang in languages
        ]
        return Reply("\n\n".join(blocks))

    def line(self, line: Helpline, language: str, moment: datetime) -> str:
        """One bullet: the name and how to reach it; a closed line says when it opens."""
        contact = line.contact.get(language) or next(iter(line.contact.values()))
        bullet = f"• {line.name}: {contact}"
        if line.open_at(moment):
            return bullet
        hours = line.hours_text.get(language) or next(iter(line.hours_text.values()), "")
        return bullet + " " + self.survey.text("helpline_closed", language, hours=hours)

    def after_alarm(self, language: str, *, active: bool) -> Reply:
        """The questions stop here: a button to go on later, or /start before consent."""
        if not active:
            return Reply(self.survey.text("distress_later", language))
        resume = self.prompts.button("button_resume", language, ButtonKind.RESUME)
        return Reply(self.survey.text("distress_paused", language), ((resume,),))

    def check_in(self, distress: Distress, language: str, *, active: bool) -> Reply:
        """Gaat het met je? with "talk to someone" and, in the survey, "go on"."""
        kind = distress.kinds[0].value if distress.kinds else "-"
        talk = self.prompts.button("button_talk", language, ButtonKind.TALK, kind)
        row = [talk]
        if active:
            row.append(self.prompts.button("button_go_on", language, ButtonKind.RESUME))
        return Reply(self.survey.text("distress_check_in", language), tuple((b,) for b in row))
