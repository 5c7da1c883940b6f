"""A team member as a plain, typed record: the manager's answers, investment, their own view.

An answer of ``None`` means "not answered yet": a person added in the app starts that way, and no
total, band or flag is shown for them until every item is answered.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from ..content.instrument import Instrument


@dataclass(frozen=True)
class Member:
    """One person on the team, in the instrument's item order."""

    name: str
    answers: tuple[int | None, ...]
    investment: Mapping[str, str | int | None] = field(default_factory=dict)
    their_answers: tuple[int | None, ...] = ()

    @property
    def complete(self) -> bool:
        """Every item has the manager's answer, so a total and band can be shown."""
        return bool(self.answers) and all(a is not None for a in self.answers)

    @property
    def answered(self) -> int:
        return sum(a is not None for a in self.answers)

    @property
    def has_their_view(self) -> bool:
        """The member's own answers are all present (they are all or nothing)."""
        return bool(self.their_answers) and all(a is not None for a in self.their_answers)

    def answer(self, instrument: Instrument, item_id: str) -> int | None:
        return self.answers[instrument.item_ids.index(item_id)]

    def with_answer(self, instrument: Instrument, item_id: str, value: int | None) -> Member:
        """A copy with one answer changed (``item_id`` like ``q3``, or ``m_q3`` for theirs)."""
        if item_id in instrument.member_item_ids:
            theirs = list(self.their_answers or [None] * len(instrument.items))
            theirs[instrument.member_item_ids.index(item_id)] = value
            return replace(self, their_answers=tuple(theirs))
        answers = list(self.answers)
        answers[instrument.item_ids.index(item_id)] = value
        return replace(self, answers=tuple(answers))

    def with_investment(self, field_id: str, value: str | int | None) -> Member:
        return replace(self, investment={**self.investment, field_id: value})

    def to_record(self, instrument: Instrument) -> dict[str, Any]:
        """The member as a dict in the team-CSV shape (JSON-ready; blanks are None)."""
        record: dict[str, Any] = {"member": self.name}
        record.update(zip(instrument.item_ids, self.answers, strict=True))
        record.update({f: self.investment.get(f) for f in instrument.field_ids})
        theirs = self.their_answers or (None,) * len(instrument.items)
        record.update(zip(instrument.member_item_ids, theirs, strict=True))
        return record


def new_member(name: str, instrument: Instrument) -> Member:
    """A person with no answers and nothing recorded yet (nothing is assumed for them)."""
    blank = (None,) * len(instrument.items)
    return Member(name, blank, {f: None for f in instrument.field_ids}, blank)


def members_from_records(records: Iterable[Mapping[str, Any]], inst: Instrument) -> list[Member]:
    """Records already checked by the team-file reader, as :class:`Member` objects."""
    out = []
    for r in records:
        theirs = tuple(r.get(m) for m in inst.member_item_ids)
        out.append(
            Member(
                name=r["member"],
                answers=tuple(r.get(i) for i in inst.item_ids),
                investment={f: r.get(f) for f in inst.field_ids},
                their_answers=theirs,
            )
        )
    return out
