"""The synthetic plan the planner tests share (a fictional member; dates in 2027)."""

BASE = {
    "member": "Sam Synthetic",
    "activity": "Negotiation fundamentals (e-learning)",
    "goal": "Lead the supplier renewal call on my own by the end of March",
    "application": "The April supplier renewal",
    "before_date": "2027-03-01",
    "activity_start": "2027-03-08",
    "activity_end": "2027-03-10",
    "after_date": "2027-03-12",
}
