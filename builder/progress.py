"""A progress line for commands that take a while (`tarikh build`, `tarikh import`): the stage
running, how many of the stages are done, and the time so far, redrawn in place on a terminal.

It appears only when the command has run for more than a second, only when standard error is a
terminal, and never for `TERM=dumb`: piped into a file or run by CI, a command prints exactly what
it printed before. The line is erased when the command ends, so the summary that follows stands
alone.
"""
from __future__ import annotations

import os
import sys
import threading
import time

BUILD_STAGES = ("inputs", "load", "index", "dates", "extract", "views", "check", "dumps", "exports", "queries", "client",
                "feeds", "render+write", "search")


class Progress:
    """Stages reported by start()/done(), drawn by a thread every quarter second once `delay` has passed."""

    def __init__(self, label: str, stages: tuple[str, ...] = (), stream=None, delay: float = 1.0,
                 enabled: bool | None = None, interval: float = 0.25):
        self.stream = stream if stream is not None else sys.stderr
        if enabled is None:
            isatty = getattr(self.stream, "isatty", lambda: False)
            enabled = bool(isatty()) and os.environ.get("TERM", "") != "dumb"
        self.enabled, self.label, self.stages = enabled, label, stages
        self.delay, self.interval = delay, interval
        self.current, self.finished = "", 0
        self.began = time.monotonic()
        self.drawn = 0
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, daemon=True) if enabled else None

    def __enter__(self) -> Progress:
        if self._thread is not None:
            self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def start(self, name: str) -> None:
        with self._lock:
            self.current = name

    def done(self, name: str) -> None:
        with self._lock:
            self.finished += 1
            if self.current == name:
                self.current = ""

    def step(self, name: str) -> None:
        """The stage running ends and `name` begins (for steps in a row)."""
        with self._lock:
            if self.current:
                self.finished += 1
            self.current = name

    def line(self) -> str:
        """The text of the progress line now."""
        elapsed = time.monotonic() - self.began
        total = len(self.stages)
        if total:
            filled = min(20, round(20 * self.finished / total))
            bar = f"[{'#' * filled}{'-' * (20 - filled)}] {min(self.finished + 1, total)}/{total} "
        else:
            bar = ""
        return f"{self.label}: {bar}{self.current or '…'} {elapsed:5.1f} s"

    def _run(self) -> None:
        if self._stop.wait(self.delay):
            return
        while not self._stop.is_set():
            self._draw()
            self._stop.wait(self.interval)

    def _draw(self) -> None:
        with self._lock:
            text = self.line()
        try:
            self.stream.write("\r" + text.ljust(self.drawn))
            self.stream.flush()
        except (OSError, ValueError):
            self._stop.set()
            return
        self.drawn = max(self.drawn, len(text))

    def close(self) -> None:
        """Stop drawing and erase the line."""
        if self._thread is None:
            return
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()
        if self.drawn:
            try:
                self.stream.write("\r" + " " * self.drawn + "\r")
                self.stream.flush()
            except (OSError, ValueError):
                pass
        self._thread = None
