"""The report in a real browser: headless Chromium, driven over the DevTools protocol.

One browser session for every check (Chromium starts slowly on two cores).
Every request the page makes is recorded through the protocol's Network
domain; a control page that does load an outside image shows the recording
works, so "no external requests" cannot pass by not looking.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import itertools
import json
import shutil
import subprocess
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from storage import Database
from tests.support.cli import run_jeugdstem
from tests.support.findings import SECTIONS
from tests.support.seeding import DISTRESS_TEXT, EMAIL, PHONE, seed_meeting

CHROMIUM = shutil.which("chromium")
START_TIMEOUT = 120.0
STEP_TIMEOUT = 60.0


@pytest.fixture(autouse=True)
def _chromium_is_installed() -> None:
    """`make test` installs Chromium; a missing browser is a failure, never a quiet skip."""
    if CHROMIUM is None:
        pytest.fail("chromium is not installed: run scripts/ensure-chromium.sh (make test does)")


@dataclass
class DevTools:
    """A page target over the DevTools websocket: commands, and the events they cause."""

    socket: aiohttp.ClientWebSocketResponse
    ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    requests: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    loaded: asyncio.Event = field(default_factory=asyncio.Event)

    async def send(self, method: str, **params: Any) -> dict[str, Any]:
        """One command; events that arrive meanwhile are recorded."""
        number = next(self.ids)
        await self.socket.send_json({"id": number, "method": method, "params": params})
        async with asyncio.timeout(STEP_TIMEOUT):
            while True:
                message = json.loads((await self.socket.receive()).data)
                if message.get("id") == number:
                    assert "error" not in message, message["error"]
                    result: dict[str, Any] = message["result"]
                    return result
                self._event(message)

    def _event(self, message: dict[str, Any]) -> None:
        method = message.get("method")
        if method == "Network.requestWillBeSent":
            self.requests.append(message["params"]["request"]["url"])
        elif method == "Page.loadEventFired":
            self.loaded.set()
        elif method == "Log.entryAdded":
            self.console.append(message["params"]["entry"].get("text", ""))

    async def open(self, url: str) -> None:
        """Navigate and wait for the load event (recording every request on the way)."""
        self.loaded.clear()
        self.requests.clear()
        await self.send("Page.navigate", url=url)
        async with asyncio.timeout(STEP_TIMEOUT):
            while not self.loaded.is_set():
                self._event(json.loads((await self.socket.receive()).data))
        await asyncio.sleep(0.5)  # late requests (images after load) still get recorded
        await self.send("Runtime.evaluate", expression="1")

    async def value(self, expression: str) -> Any:
        """The JSON value of a JavaScript expression in the page."""
        result = await self.send(
            "Runtime.evaluate", expression=f"JSON.stringify({expression})", returnByValue=True
        )
        return json.loads(result["result"]["value"])


@contextlib.asynccontextmanager
async def chromium(profile: Path) -> AsyncIterator[DevTools]:
    """Headless Chromium on a free loopback port; no name resolves except loopback."""
    assert CHROMIUM is not None
    process = await asyncio.create_subprocess_exec(
        *[
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--hide-scrollbars",
            "--remote-debugging-port=0",
            "--remote-allow-origins=*",
            f"--user-data-dir={profile}",
            # Even if a request went out, it would reach nothing (and no test needs the net).
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        port_file = profile / "DevToolsActivePort"
        async with asyncio.timeout(START_TIMEOUT):
            # Chromium writes the port it chose into this file; there is nothing to await.
            while not port_file.exists() or not port_file.read_text().strip():  # noqa: ASYNC110
                await asyncio.sleep(0.2)
        port = int(port_file.read_text().split()[0])
        async with aiohttp.ClientSession() as http:
            async with http.get(f"http://127.0.0.1:{port}/json/list") as response:
                targets = await response.json()
            page = next(t for t in targets if t["type"] == "page")
            async with http.ws_connect(page["webSocketDebuggerUrl"], max_msg_size=0) as socket:
                tools = DevTools(socket)
                for domain in ("Page", "Network", "Runtime", "Log"):
                    await tools.send(f"{domain}.enable")
                await tools.send(
                    "Emulation.setDeviceMetricsOverride",
                    width=1000,
                    height=1414,
                    deviceScaleFactor=1,
                    mobile=False,
                )
                yield tools
    finally:
        process.terminate()
        try:
            async with asyncio.timeout(30):
                await process.wait()
        except TimeoutError:
            process.kill()
            await process.wait()


@pytest.fixture
def report(tmp_path: Path) -> Path:
    """``jeugdstem report`` on seeded data in a temporary SQLite database."""
    url = f"sqlite:///{tmp_path / 'jeugdstem.db'}"
    database = Database(url)
    database.migrate()
    seed_meeting(database)
    database.dispose()
    output = tmp_path / "report.html"
    result = run_jeugdstem(url, "report", "-o", str(output))
    assert result.returncode == 0, result.stderr
    return output


async def test_the_report_in_chromium(report: Path, tmp_path: Path) -> None:
    profile = tmp_path / "profile"
    profile.mkdir()
    async with chromium(profile) as page:
        # The control: a page with an outside image makes a request we see.
        control = '<img src="http://images.example.invalid/x.png">'
        await page.open("data:text/html," + control)
        assert any("images.example.invalid" in url for url in page.requests)

        await page.open(report.as_uri())
        outside = [
            url for url in page.requests if url != report.as_uri() and not url.startswith("data:")
        ]
        assert outside == []
        assert not [line for line in page.console if "Content Security Policy" in line]

        sections = await page.value("[...document.querySelectorAll('section')].map(s => s.id)")
        assert sections == list(SECTIONS)
        titles = await page.value("[...document.querySelectorAll('h2')].map(h => h.innerText)")
        assert titles[1] == "2. Welke drempels noemen jongeren?"
        charts = await page.value(
            "[...document.images].map(i => [i.src.slice(0, 26), i.naturalWidth > 0])"
        )
        assert len(charts) >= 5
        assert all(src == "data:image/svg+xml;base64," and shown for src, shown in charts)
        # Every resource reference in the DOM is a data: URI or an anchor.
        references = await page.value(
            "[...document.querySelectorAll('[src],[href]')]"
            ".map(e => e.getAttribute('src') || e.getAttribute('href'))"
        )
        assert all(ref.startswith(("data:", "#")) for ref in references)

        counts = await page.value(
            "[...document.querySelectorAll('td.count')].map(td => td.textContent)"
        )
        numbers = [int(text.replace(".", "")) for text in counts if text[0].isdigit()]
        assert numbers and min(numbers) >= 5
        assert "< 5" in counts
        merged = await page.value("document.querySelector('#by-area .note').innerText")
        assert "Kooigem" in merged

        text = await page.value("document.body.innerText")
        assert PHONE not in text and EMAIL not in text
        assert "[telefoon]" in text or "[e-mail]" in text
        assert DISTRESS_TEXT not in text
        assert "antwoord #" in text

        shot = await page.send("Page.captureScreenshot", format="png")
        screenshot = tmp_path / "report-first-page.png"
        screenshot.write_bytes(base64.b64decode(shot["data"]))
        assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert screenshot.stat().st_size > 20_000
