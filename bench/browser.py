"""The slider, measured in a real browser: from moving it to the new score on screen.

Chromium (through Playwright) opens an opportunity's scoring page on the server under
test and moves sliders many times. Timestamps are taken inside the page with
``performance.now()``, so Playwright's own round trips are not counted:

* ``input``: the slider's ``input`` event (the moment the user moves it);
* ``sent``: ``htmx:beforeRequest``, when htmx sends the score. A move here is what a key
  press or letting go of a slider does (``input`` then ``change``), which the panel saves
  at once; only a drag in progress waits for the slider to rest;
* ``settled``: ``htmx:afterSettle`` of ``#score-summary``, when the new total, coverage and
  must-have state are in the page.
"""

from __future__ import annotations

from dataclasses import dataclass

from playwright.sync_api import sync_playwright

from bench.loadgen import percentile
from tests.browser.chromium import CHROMIUM_ARGS

INSTRUMENT = """
() => {
  const bench = (window.__bench = { moves: [], errors: 0 });
  let move = null;
  document.addEventListener("input", (event) => {
    if (event.target.matches && event.target.matches("[data-score-range]")) {
      move = { input: performance.now(), sent: null, settled: null, score: null };
    }
  }, true);
  document.addEventListener("htmx:beforeRequest", () => {
    if (move && move.sent === null) move.sent = performance.now();
  });
  document.addEventListener("htmx:afterSettle", (event) => {
    if (!move || move.sent === null || event.target.id !== "score-summary") return;
    move.settled = performance.now();
    move.score = event.target.querySelector("[data-testid=decision-score]").textContent.trim();
    bench.moves.push(move);
    move = null;
  });
  const failed = () => { bench.errors += 1; };
  document.addEventListener("htmx:responseError", failed);
  document.addEventListener("htmx:sendError", failed);
}
"""


@dataclass(frozen=True, slots=True)
class Move:
    input: float
    sent: float
    settled: float
    score: str

    @property
    def end_to_end(self) -> float:
        return self.settled - self.input

    @property
    def to_request(self) -> float:
        return self.sent - self.input

    @property
    def request_to_settled(self) -> float:
        return self.settled - self.sent


@dataclass(frozen=True, slots=True)
class SliderRun:
    moves: tuple[Move, ...]
    errors: int
    console_errors: tuple[str, ...]
    chromium: str

    def summary_ms(self, attribute: str) -> dict[str, float]:
        ordered = sorted(getattr(move, attribute) for move in self.moves)
        return {
            "median": percentile(ordered, 0.5),
            "p95": percentile(ordered, 0.95),
            "max": ordered[-1],
        }


def measure_slider(
    base_url: str,
    *,
    username: str,
    password: str,
    opportunity: int,
    moves: int,
    chromium: str,
    pause_ms: int = 60,
) -> SliderRun:
    """Move the sliders of one opportunity ``moves`` times, one move at a time (each waits
    for its score to settle, then the page idles ``pause_ms`` like a person would)."""
    console_errors: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on(
                "console", lambda m: console_errors.append(m.text) if m.type == "error" else None
            )
            page.on("pageerror", lambda exc: console_errors.append(str(exc)))
            page.goto(f"{base_url}/accounts/login/")
            page.get_by_label("Username").fill(username)
            page.get_by_label("Password").fill(password)
            page.get_by_role("button", name="Log in").click()
            page.wait_for_url(f"{base_url}/")
            page.goto(f"{base_url}/opportunities/{opportunity}/")
            page.evaluate(INSTRUMENT)
            sliders = page.locator("[data-score-range]")
            count = sliders.count()
            if count == 0:
                raise RuntimeError(f"Opportunity {opportunity} has no sliders to move.")
            for number in range(moves):
                slider = sliders.nth(number % count)
                value = (int(slider.input_value()) + 3) % 11  # Always a different value.
                slider.fill(str(value))
                page.wait_for_function(
                    "done => window.__bench.moves.length >= done", arg=number + 1, timeout=10_000
                )
                page.wait_for_timeout(pause_ms)
            measured = page.evaluate("window.__bench")
            version = browser.version
        finally:
            browser.close()
    recorded = [
        Move(input=m["input"], sent=m["sent"], settled=m["settled"], score=m["score"])
        for m in measured["moves"]
    ]
    return SliderRun(
        moves=tuple(recorded),
        errors=measured["errors"],
        console_errors=tuple(console_errors),
        chromium=version,
    )
