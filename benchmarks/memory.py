"""One command's time and its whole process tree's peak memory, as the benchmark measures them.

For the sizes `make bench` takes hours over (100,000 events), by hand:

    python -m benchmarks.memory -- tarikh build --kb KB --out OUT --timings

Prints the command's own output, then its wall time and the largest single RSS, sum of RSS and
sum of PSS (shared pages split between the processes sharing them) of it and every process
under it (`benchmarks/run.py`'s TreeMemory).
"""
from __future__ import annotations

import json
import subprocess
import sys
import time

from .run import TreeMemory


def main(argv: list[str]) -> int:
    command = argv[1:] if argv[:1] == ["--"] else argv
    if not command:
        print(__doc__, file=sys.stderr)
        return 2
    start = time.perf_counter()
    proc = subprocess.Popen(command)
    memory = TreeMemory(proc.pid)
    memory.start()
    rc = proc.wait()
    memory.done.set()
    memory.join()
    print(json.dumps({"command": command, "rc": rc, "wall_s": round(time.perf_counter() - start, 1),
                      **{k: round(v, 1) for k, v in memory.peak.items()}}), file=sys.stderr)
    return rc


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
