"""Small statistics helpers shared by the benchmarks (medians and percentiles in ms)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def ms(values: Sequence[float]) -> np.ndarray:
    return np.asarray(values, dtype=float) * 1000.0


def summary(values_s: Sequence[float]) -> dict[str, float]:
    """p50, p95, p99 and max of durations given in seconds, reported in ms."""
    a = ms(values_s)
    if a.size == 0:
        return {"p50": float("nan"), "p95": float("nan"), "p99": float("nan"), "max": float("nan")}
    return {
        "p50": float(np.percentile(a, 50)),
        "p95": float(np.percentile(a, 95)),
        "p99": float(np.percentile(a, 99)),
        "max": float(a.max()),
    }


def table(rows: list[tuple[str, dict[str, float]]], columns: Sequence[str]) -> str:
    width = max(len(name) for name, _ in rows) + 2
    head = "".join(f"{c:>10}" for c in columns)
    lines = [f"{'':<{width}}{head}"]
    for name, values in rows:
        cells = "".join(f"{values.get(c, float('nan')):>10.3f}" for c in columns)
        lines.append(f"{name:<{width}}{cells}")
    return "\n".join(lines)


def ratio_lines(rows: list[tuple[str, dict[str, float]]], baseline: str) -> str:
    """Each row after the first as p50 and p99 ratios to the first (``baseline`` names it)."""
    base = rows[0][1]
    return "\n".join(f"{name}: p50 {row['p50'] / base['p50']:.2f}x, "
                     f"p99 {row['p99'] / base['p99']:.2f}x {baseline}" for name, row in rows[1:])
