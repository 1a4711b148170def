"""Median and spread of repeated measurements."""

import statistics
from typing import Any


def summary(values: list[float]) -> dict[str, Any]:
    """Median, min, max and spread ((max - min) / median) of the repetitions."""
    if not values:
        return {"median": None, "min": None, "max": None, "spread": None, "runs": []}
    median = statistics.median(values)
    spread = (max(values) - min(values)) / median if median else 0.0
    return {"median": median, "min": min(values), "max": max(values), "spread": spread, "runs": values}


def percentile(sorted_values: list[float], q: float) -> float:
    """Nearest-rank percentile of already sorted values (q in 0..100)."""
    if not sorted_values:
        return float("nan")
    rank = max(0, min(len(sorted_values) - 1, round(q / 100 * len(sorted_values) + 0.5) - 1))
    return sorted_values[rank]
