"""One command's time and its whole process tree's peak memory, as the benchmark measures them.

For the sizes `make bench` takes hours over (100,000 events), by hand:

    python -m benchmarks.memory -- tarikh build --kb KB --out OUT --timings

Prints the command's own output, then its wall time and the largest single RSS, sum of RSS and
sum of PSS (shared pages split between the processes sharing them) of it and every process
under it (`benchmarks/run.py`'s TreeMemory). A command whose processes pass 85% of the machine's
memory is stopped there and reported so (`stopped_over_memory_mb`), before the kernel's
out-of-memory killer picks a process of its own choosing.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

from .run import TreeMemory, memory_cap_mb


def main(argv: list[str]) -> int:
    command = argv[1:] if argv[:1] == ["--"] else argv
    if not command:
        print(__doc__, file=sys.stderr)
        return 2
    start = time.perf_counter()
    proc = subprocess.Popen(command, start_new_session=True)  # its own group: the cap stops all of it
    memory = TreeMemory(proc.pid, cap_mb=memory_cap_mb())
    memory.start()
    try:
        rc = proc.wait()
    except KeyboardInterrupt:
        os.killpg(proc.pid, signal.SIGKILL)
        rc = proc.wait()
    memory.done.set()
    memory.join()
    over = {"stopped_over_memory_mb": round(memory.cap_mb)} if memory.over_cap else {}
    print(json.dumps({"command": command, "rc": rc, "wall_s": round(time.perf_counter() - start, 1), **over,
                      **{k: round(v, 1) for k, v in memory.peak.items()}}), file=sys.stderr)
    return rc


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
