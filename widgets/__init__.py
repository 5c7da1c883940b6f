"""Tools for the Leading for Learning book: scoring, planning and workshop summaries.

Pure functions do the work; the ipywidgets apps only wire inputs to them. Importing the package
also switches Altair to a renderer that needs no internet (see :mod:`widgets.chart_setup`).
"""

from __future__ import annotations

from .catalogue import read_catalogue, resources_for
from .chart_setup import enable_offline_charts
from .charts import item_profile_chart, team_chart
from .checklist import LearningLeaderChecklist, checklist_summary
from .dashboard import FacilitatorDashboard
from .errors import InputError, Problem
from .goal_hints import check_goal
from .instrument import load_instrument
from .planner_app import ConversationPlanner
from .plans import ConversationPlan, load_plans, read_plans_csv, save_plans, write_plans_csv
from .prompts import prompts_for
from .scorer_app import RelationshipScorer
from .scoring import investment_gradient, score_team
from .summary import group_summary, participant_summary, read_summary
from .teamfile import read_team_csv, write_team_csv

enable_offline_charts()

__all__ = [
    "ConversationPlan",
    "ConversationPlanner",
    "FacilitatorDashboard",
    "InputError",
    "LearningLeaderChecklist",
    "Problem",
    "RelationshipScorer",
    "check_goal",
    "checklist_summary",
    "enable_offline_charts",
    "group_summary",
    "investment_gradient",
    "item_profile_chart",
    "load_instrument",
    "load_plans",
    "participant_summary",
    "prompts_for",
    "read_catalogue",
    "read_plans_csv",
    "read_summary",
    "read_team_csv",
    "resources_for",
    "save_plans",
    "score_team",
    "team_chart",
    "write_plans_csv",
    "write_team_csv",
]
