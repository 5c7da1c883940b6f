"""Tools for the Leading for Learning book: scoring, planning and workshop summaries.

Pure functions do the work; the ipywidgets apps only wire inputs to them. Importing the package
also switches Altair to a renderer that needs no internet (see :mod:`widgets.chart_setup`).
"""

from __future__ import annotations

from .chart_setup import enable_offline_charts
from .errors import InputError, Problem

enable_offline_charts()

__all__ = [
    "InputError",
    "Problem",
    "enable_offline_charts",
]
