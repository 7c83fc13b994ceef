"""Matching host names against the catalog's URL patterns.

Patterns come as published: exact names (``outlook.office365.com``), leading wildcards
(``*.office.com``), inner wildcards (``autodiscover.*.onmicrosoft.com``, ``*-my.sharepoint.com``)
and the ``<tenant>`` placeholder, which stands for one DNS label. A ``*`` stands for one or
more characters, dots included, as in proxy PAC files.
"""

from __future__ import annotations

import functools
import re


@functools.lru_cache(maxsize=4096)
def _compile(pattern: str) -> re.Pattern[str]:
    out = []
    for token in re.split(r"(\*|<[^>]+>)", pattern.lower()):
        if token == "*":
            out.append(r".+")
        elif token.startswith("<") and token.endswith(">"):
            out.append(r"[^.]+")
        else:
            out.append(re.escape(token))
    return re.compile("".join(out))


def normalise(name: str) -> str:
    """Lower-case, no trailing dot, no scheme or port.

    >>> normalise("HTTPS://Outlook.Office365.com:443/owa")
    'outlook.office365.com'
    """
    text = name.strip().lower()
    if "://" in text:
        text = text.split("://", 1)[1]
    text = text.split("/", 1)[0]
    if text.count(":") == 1:
        text = text.split(":", 1)[0]
    return text.rstrip(".")


def is_pattern(pattern: str) -> bool:
    return "*" in pattern or "<" in pattern


def matches(pattern: str, name: str) -> bool:
    """Does a published URL pattern match a host name?

    >>> matches("*.office.com", "portal.office.com"), matches("*.office.com", "office.com")
    (True, False)
    >>> matches("autodiscover.*.onmicrosoft.com", "autodiscover.contoso.onmicrosoft.com")
    True
    >>> matches("<tenant>.onmicrosoft.com", "a.b.onmicrosoft.com")
    False
    """
    return _compile(normalise(pattern)).fullmatch(normalise(name)) is not None


def specificity(pattern: str) -> tuple[int, int, int, int]:
    """A sort key: larger is more specific. Exact names beat any wildcard; among wildcards,
    more literal characters win, then fewer ``*`` (a ``<tenant>`` label is narrower than ``*``).

    >>> specificity("outlook.office365.com") > specificity("*.office365.com")
    True
    >>> specificity("*.protection.outlook.com") > specificity("*.outlook.com")
    True
    >>> specificity("<tenant>.onmicrosoft.com") > specificity("*.onmicrosoft.com")
    True
    """
    text = normalise(pattern)
    stars = text.count("*")
    labels = len(re.findall(r"<[^>]+>", text))
    literal = len(re.sub(r"\*|<[^>]+>", "", text))
    return (0 if stars or labels else 1, literal, -stars, -labels)
