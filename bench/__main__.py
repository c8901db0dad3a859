"""Run the benchmarks: ``python -m bench [NAME ...] [--option ...]``.

Names are the ``bench/bench_*.py`` scripts without ``bench_`` (default: all); the
options after them go to each script. Each script prints its own table.
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    split = next((i for i, a in enumerate(argv) if a.startswith("-")), len(argv))
    names, options = argv[:split], argv[split:]
    available = sorted(p.stem.removeprefix("bench_") for p in HERE.glob("bench_*.py"))
    chosen = names or available
    unknown = set(chosen) - set(available)
    if unknown:
        print(f"unknown benchmarks {sorted(unknown)}; available: {available}", file=sys.stderr)
        return 2
    for name in chosen:
        print(f"\n=== bench_{name} ===", flush=True)
        saved, sys.argv = sys.argv, [f"bench_{name}", *options]
        try:
            runpy.run_module(f"bench.bench_{name}", run_name="__main__")
        finally:
            sys.argv = saved
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
