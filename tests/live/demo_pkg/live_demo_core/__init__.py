"""A tiny pure-Python package that the live demo app imports in the browser.

It stands in for the book's own package: tests/live/conftest.py builds it into a wheel that
scripts/build_live.py serves from the site's Pyodide distribution.
"""

import csv
import io

__version__ = "0.1.0"

CADENCES = {"weekly": 13, "fortnightly": 6, "monthly": 3}


def hours_per_quarter(minutes: int, cadence: str) -> float:
    """Hours of one-to-one time a quarter at `minutes` a meeting."""
    return round(minutes * CADENCES[cadence] / 60, 2)


def chart_spec(minutes: int) -> dict:
    """A Vega-Lite bar chart of hours a quarter for each cadence."""
    values = [{"cadence": c, "hours": hours_per_quarter(minutes, c)} for c in CADENCES]
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "description": "Hours a quarter by cadence",
        "data": {"values": values},
        "mark": "bar",
        "encoding": {
            "x": {"field": "cadence", "type": "nominal", "sort": None},
            "y": {"field": "hours", "type": "quantitative"},
        },
        "width": 240,
        "height": 160,
    }


def parse_csv(text: str) -> list[dict]:
    """Rows of a CSV file with a header line."""
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def to_csv(rows: list[dict]) -> str:
    if not rows:
        return ""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()
