"""A plan with what was checked against it: the advertisement lint and the route check
(``routeplan plan``); rendered by :mod:`routeplan.report.plan`."""

from __future__ import annotations

from dataclasses import dataclass

from routeplan.advertise import AdvFinding, Announced
from routeplan.diff import DiffResult
from routeplan.model import Severity, worst_of
from routeplan.plan import Plan


@dataclass(frozen=True, slots=True)
class PlanOutcome:
    plan: Plan
    sessions: tuple[Announced, ...] = ()
    """The ``--advertise`` files (one BGP session each)."""
    advertisement: tuple[AdvFinding, ...] | None = None
    """The lint's findings; None when nothing was announced."""
    check: DiffResult | None = None
    """The route tables against the plan; None without ``--routes``."""

    def severities(self) -> list[Severity]:
        out = [f.severity for f in self.advertisement or ()]
        if self.check is not None:
            out += [f.severity for f in self.check.findings]
        return out

    def worst(self) -> Severity | None:
        return worst_of(self.severities())
