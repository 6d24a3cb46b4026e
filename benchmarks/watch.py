"""`tarikh build` with each stage reported as it starts and ends (seconds and memory), on stderr.

For builds too long to wait for: `--timings` prints its table only at the end, so a build
stopped after 15 minutes says nothing; this says where it was and how much memory it held.

    python -m benchmarks.watch --kb KB --out OUT
"""
from __future__ import annotations

import os
import sys
import time

from builder import site
from builder.cli import main

START = time.perf_counter()


def _rss_mb() -> str:
    with open("/proc/self/statm") as f:
        return f"{int(f.read().split()[1]) * os.sysconf('SC_PAGE_SIZE') / 2**20:.0f} MB"


def _say(text: str) -> None:
    print(f"[{time.perf_counter() - START:8.1f} s, {_rss_mb()}] {text}", file=sys.stderr, flush=True)


_stage = site.Timings.stage


def stage(self, name, fn, *args, **kwargs):
    """Timings.stage, announcing the stage as it starts and ends."""
    _say(f"{name} ...")
    result = _stage(self, name, fn, *args, **kwargs)
    _say(f"{name} done in {self.stages[-1][1]:.2f} s")
    return result


if __name__ == "__main__":
    site.Timings.stage = stage
    sys.exit(main(["build", "--timings", *sys.argv[1:]]))
