"""Console adapter: the same survey in a terminal, with numbered choices for buttons."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from bot.engine import Button, Command, Event, Incoming, Press, Reply, Response, Start, Text
from bot.runtime import Runtime

QUIT = ("/quit", "/exit")


class ConsoleChat:
    """Reads lines, sends them to the engine as events and prints the replies."""

    def __init__(
        self,
        runtime: Runtime,
        user: str,
        read_line: Callable[[str], str] = input,
        write: Callable[[str], None] = print,
    ) -> None:
        self.runtime = runtime
        self.pseudonym = runtime.pseudonymizer.console(user)
        self.read_line = read_line
        self.write = write
        self.buttons: list[Button] = []

    async def run(self) -> None:
        """Chat until end of input or /quit."""
        self.write("Jeugdstem in de terminal. Typ een nummer voor een knop, /quit om te stoppen.\n")
        await self.send(Start())
        while True:
            try:
                line = await asyncio.to_thread(self.read_line, "> ")
            except (EOFError, KeyboardInterrupt):
                self.write("")
                return
            line = line.strip()
            if line.lower() in QUIT:
                return
            event = self.parse(line)
            if event is not None:
                await self.send(event)

    def parse(self, line: str) -> Event | None:
        """A number picks a button, /x is a command, anything else is an answer."""
        if not line:
            return None
        if line.isdigit() and 1 <= int(line) <= len(self.buttons):
            return Press(self.buttons[int(line) - 1].data)
        if line.startswith("/"):
            name, _, rest = line[1:].partition(" ")
            if name.lower() == "start":
                return Start(rest.strip() or None)
            return Command(name.lower())
        return Text(line)

    async def send(self, event: Event) -> None:
        response = await self.runtime.engine.handle(Incoming(self.pseudonym, event))
        self.show(response)

    def show(self, response: Response) -> None:
        """Print notices and replies; number the buttons of the newest message that has any."""
        if response.notice:
            self.write(f"  ({response.notice})")
        if response.origin is not None and response.origin.buttons:
            # A button press changed its own message (ticked options): show it again.
            self.print_reply(response.origin)
        for reply in response.replies:
            self.print_reply(reply)
        if response.replies and not any(r.buttons for r in response.replies):
            self.buttons = []

    def print_reply(self, reply: Reply) -> None:
        self.write(f"\n{reply.text}")
        if not reply.buttons:
            return
        self.buttons = []
        for row in reply.buttons:
            cells = []
            for button in row:
                self.buttons.append(button)
                cells.append(f"[{len(self.buttons)}] {button.label}")
            self.write("  " + "   ".join(cells))
