"""How old the catalog data behind an answer is, and when that is too old.

Microsoft changes the endpoint data about monthly and announces additions about 30 days before
they are used; a plan built on older data is wrong in ways nobody sees. Every deciding answer
says how old its snapshot is (the day it was retrieved from the web service), and warns when it
is older than a threshold: 35 days by default, ``0`` turns the warning off.

"Today" is the machine's date, or ``ROUTEPLAN_TODAY`` (``YYYY-MM-DD``) where a report must be
reproduced as of another day (and in tests, as a fixed clock).
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from typing import Any

from routeplan.errors import UsageError
from routeplan.model import Snapshot

DEFAULT_MAX_AGE_DAYS = 35
"""The default threshold: the web service's notice period for additions (about 30 days) plus
a few days to fetch and review the change."""

TODAY_ENV = "ROUTEPLAN_TODAY"


def today() -> dt.date:
    """The day answers are judged on: ``ROUTEPLAN_TODAY`` when set, else the machine's date.

    >>> import os; os.environ[TODAY_ENV] = "2026-01-05"; today()
    datetime.date(2026, 1, 5)
    >>> del os.environ[TODAY_ENV]
    """
    text = os.environ.get(TODAY_ENV, "").strip()
    if not text:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError(
            f"{TODAY_ENV}={text!r} is not a date", hint="give it as YYYY-MM-DD, or unset it"
        ) from None


@dataclass(frozen=True, slots=True)
class CatalogAge:
    """The age of one snapshot, judged on one day against one threshold."""

    instance: str
    version: str
    retrieved: dt.date
    as_of: dt.date
    max_days: int
    """Older than this many days is stale; 0 never is."""

    @property
    def days(self) -> int:
        """
        >>> CatalogAge("Worldwide", "x", dt.date(2025, 12, 1), dt.date(2026, 1, 5), 35).days
        35
        """
        return (self.as_of - self.retrieved).days

    @property
    def stale(self) -> bool:
        """
        >>> d = dt.date(2025, 12, 1)
        >>> [CatalogAge("W", "x", d, d + dt.timedelta(n), 35).stale for n in (35, 36)]
        [False, True]
        >>> CatalogAge("W", "x", d, d + dt.timedelta(400), 0).stale
        False
        """
        return self.max_days > 0 and self.days > self.max_days

    def warning(self) -> str | None:
        """What to tell the user when the data is stale, and what to do about it."""
        if not self.stale:
            return None
        return (
            f"the {self.instance} catalog data ({self.version}, retrieved "
            f"{self.retrieved.isoformat()}) is {self.days} days old, older than "
            f"{self.max_days} days: answers may miss Microsoft's newer changes. Run "
            "'routeplan catalog update' (or 'routeplan catalog import FILE' on an offline "
            "site); --max-catalog-age DAYS sets the threshold, 0 turns this warning off"
        )

    def record(self) -> dict[str, Any]:
        return {
            "retrieved": self.retrieved.isoformat(),
            "as_of": self.as_of.isoformat(),
            "age_days": self.days,
            "max_age_days": self.max_days,
            "stale": self.stale,
            "warning": self.warning(),
        }


def catalog_age(
    snapshot: Snapshot, max_days: int = DEFAULT_MAX_AGE_DAYS, as_of: dt.date | None = None
) -> CatalogAge:
    """The age of ``snapshot`` as of ``as_of`` (default :func:`today`)."""
    if max_days < 0:
        raise UsageError(f"the catalog age threshold must be 0 or more days, not {max_days}")
    return CatalogAge(
        snapshot.instance, snapshot.label, snapshot.retrieved, as_of or today(), max_days
    )


def age_text(age: CatalogAge | None) -> str | None:
    """One line for a report: how old the data is, and the warning when it is stale.

    >>> d = dt.date(2025, 12, 1)
    >>> age_text(CatalogAge("Worldwide", "2025-12-01", d, dt.date(2025, 12, 11), 35))
    'catalog data: retrieved 2025-12-01, 10 days old'
    """
    if age is None:
        return None
    text = f"catalog data: retrieved {age.retrieved.isoformat()}, {age.days} days old"
    if age.stale:
        text += f": STALE (over {age.max_days} days), run 'routeplan catalog update'"
    return text
