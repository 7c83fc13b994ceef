"""Reading NetBox's objects as they are (no Django): tags, statuses, slugs, custom fields,
and the comma-separated lists users type into script variables. Shared by the prefix and
device checks (:mod:`routeplan.netbox`) and the topology (:mod:`routeplan.netbox.topology`)."""

from __future__ import annotations

from typing import Any


def tags_of(obj: Any) -> set[str]:
    """Tag slugs and names of an object: NetBox's tag manager, or a plain list.

    >>> class Tag:
    ...     def __init__(self, slug, name): self.slug, self.name = slug, name
    >>> sorted(tags_of(type("P", (), {"tags": [Tag("expressroute-nat", "ExpressRoute NAT")]})))
    ['ExpressRoute NAT', 'expressroute-nat']
    """
    tags = getattr(obj, "tags", None)
    if tags is None:
        return set()
    if hasattr(tags, "all"):
        tags = tags.all()
    out: set[str] = set()
    for tag in tags:
        if isinstance(tag, str):
            out.add(tag)
            continue
        for attr in ("slug", "name"):
            value = getattr(tag, attr, None)
            if value:
                out.add(str(value))
    return out


def status_of(obj: Any) -> str | None:
    """A NetBox status (a plain value, or a choice with ``.value``), lower case."""
    status = getattr(obj, "status", None)
    if status is None:
        return None
    value = getattr(status, "value", status)
    return str(value).lower()


def slug_of(value: Any) -> str | None:
    """A NetBox object's slug (else its name), a plain string, or None.

    >>> class Site: slug, name = "ams1", "AMS1"
    >>> slug_of(Site()), slug_of("europe-west"), slug_of(None)
    ('ams1', 'europe-west', None)
    """
    if value is None:
        return None
    for attr in ("slug", "name"):
        found = getattr(value, attr, None)
        if found:
            return str(found)
    return str(value) if isinstance(value, str) and value else None


def custom_field(obj: Any, name: str) -> Any:
    """A custom field's value (None when the object has no such field)."""
    data = getattr(obj, "custom_field_data", None) or {}
    return data.get(name) if isinstance(data, dict) else None


def communities_of(text: str | None) -> list[str]:
    """The communities a user typed, comma- or space-separated, each stripped.

    >>> communities_of("12076:5010, 12076:5030 ,12076:5100")
    ['12076:5010', '12076:5030', '12076:5100']
    >>> communities_of("")
    []
    """
    return [w for w in (text or "").replace(",", " ").split() if w]
