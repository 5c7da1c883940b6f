"""Tools for the Leading for Learning book: scoring, planning and workshop summaries.

The package is in layers, each importing only those below it::

    apps      ipywidgets apps (scorer, planner, dashboard, checklist)
    views     chart specs and HTML panels built from core results
    exports   Markdown, handouts and other documents
    core      team file, scoring, plans, summaries (pure Python: runs in Pyodide)
    content   data/ turned into typed, frozen objects
    base      errors, escaping, CSV, storage and the HTML templates (widgets/templates/)

``frames`` adapts the core to pandas for notebook users; ``research`` holds Part I's tables and
charts; ``book`` is build tooling. Names below load on first use (PEP 562), so ``import widgets``
costs almost nothing and a script that only checks a team file never loads ipywidgets or Altair.
"""

from __future__ import annotations

import importlib
from typing import Any

# Public name -> module that defines it.
_EXPORTS = {
    "ConversationPlan": "widgets.core.plans",
    "ConversationPlanner": "widgets.apps.planner",
    "FacilitatorDashboard": "widgets.apps.dashboard",
    "InputError": "widgets.base.errors",
    "LearningLeaderChecklist": "widgets.apps.checklist",
    "MemberForm": "widgets.apps.member_form",
    "Problem": "widgets.base.errors",
    "RelationshipScorer": "widgets.apps.scorer",
    "check_goal": "widgets.core.goal_hints",
    "checklist_summary": "widgets.apps.checklist",
    "enable_offline_charts": "widgets.altair_renderer",
    "group_summary": "widgets.core.summary",
    "investment_gradient": "widgets.frames",
    "item_profile_chart": "widgets.frames",
    "load_instrument": "widgets.content.instrument",
    "load_plans": "widgets.core.plans",
    "participant_summary": "widgets.frames",
    "plan_markdown": "widgets.core.markdown",
    "prompts_for": "widgets.content.prompts",
    "read_catalogue": "widgets.content.catalogue",
    "read_member_answers": "widgets.core.member_answers",
    "read_plans_csv": "widgets.core.plans",
    "read_summary": "widgets.core.summary",
    "read_team_csv": "widgets.frames",
    "resources_for": "widgets.content.catalogue",
    "save_plans": "widgets.core.plans",
    "score_team": "widgets.frames",
    "team_chart": "widgets.frames",
    "write_plans_csv": "widgets.core.plans",
    "write_team_csv": "widgets.frames",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'widgets' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
