"""Importers for Microsoft's published articles (Markdown) into catalog records.

- the 16-row *additional endpoints* table in Microsoft Learn's ``:::row:::`` layout (columns
  Row, Purpose/Destination, ExpressRoute BGP communities, CIDR address, Port);
- the newer versions of that article, plain pipe tables with columns Row, Purpose,
  Destination, Type;
- the *ExpressRoute routing requirements* article's BGP community tables.

Each importer reads the text as published and returns model objects; where the text leaves a
fact open (a protocol not named, a blank column), the record says so rather than guessing.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

from routeplan.errors import InputError
from routeplan.model import (
    Cidr,
    CidrKind,
    Community,
    CommunityInfo,
    CommunityTable,
    Direction,
    PortRule,
    PortSet,
    Prefix,
    Provenance,
    RangeSetRef,
    Row,
    RowTable,
    TrafficSource,
    parse_community,
    parse_prefix,
)

_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_HOSTNAME = re.compile(
    r"^(?:\*\.|<[a-z_]+>\.|\*-)?(?:[a-z0-9*<>_-]+\.)+[a-z][a-z0-9-]*$", re.IGNORECASE
)
_IPV4_OR_PREFIX = re.compile(r"(?<![\w.:])(\d{1,3}(?:\.\d{1,3}){3}(?:/\d{1,2})?)(?![\w.])")
_IPV6_PREFIX = re.compile(r"(?<![\w:])([0-9a-f]{1,4}(?::[0-9a-f]{0,4}){2,7}/\d{1,3})", re.I)


def clean_markdown(text: str) -> str:
    """Markdown cell text to plain text: links to their words, escapes and entities undone.

    >>> clean_markdown(r"**Required:** [portal](https://x) \\*.office365.com &lt;tenant&gt;")
    'Required: portal *.office365.com <tenant>'
    """
    text = _LINK.sub(r"\1", text)
    text = re.sub(r"<span>(.*?)</span>", r"\1", text)
    text = re.sub(r"<(?:br|BR|p)\s*/?>", "\n", text)
    text = text.replace("**", "").replace("`", "")
    text = re.sub(r"\\([*\-_<>|.#\[\]()])", r"\1", text)
    return html.unescape(text).strip()


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _is_hostname(token: str) -> bool:
    return bool(_HOSTNAME.match(token)) and not _IPV4_OR_PREFIX.fullmatch(token)


# ---------------------------------------------------------------------------------------------
# The 16-row table (:::row::: layout)


def _row_blocks(text: str, source: str) -> Iterator[tuple[int, list[str]]]:
    """Yield (line number, cells) for every ``:::row:::`` block."""
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        if lines[i].strip() == ":::row:::":
            start = i + 1
            cells: list[str] = []
            current: list[str] | None = None
            i += 1
            while i < len(lines) and lines[i].strip() != ":::row-end:::":
                marker = lines[i].strip()
                if marker == ":::column:::":
                    current = []
                elif marker == ":::column-end:::":
                    if current is None:
                        raise InputError(
                            "column end without a column start",
                            source=source,
                            line=i + 1,
                            text=lines[i],
                        )
                    cells.append("\n".join(current))
                    current = None
                elif current is not None:
                    current.append(lines[i])
                i += 1
            if i >= len(lines):
                raise InputError("row without ':::row-end:::'", source=source, line=start)
            yield start, cells
        i += 1


def parse_ports(text: str) -> tuple[PortRule, ...]:
    """Read the Port column of the 16-row table into structured rules.

    >>> [(r.protocol, str(r.ports)) for r in parse_ports("TCP 80 and 443")]
    [('tcp', '80,443')]
    >>> text = "80, 443, 25, POP3 on 110, 995, or Custom, IMAP4 on 143, 993, or Custom"
    >>> rules = parse_ports(text)
    >>> [(r.application, str(r.ports), r.custom_allowed) for r in rules]
    [(None, '25,80,443', False), ('POP3', '110,995', True), ('IMAP4', '143,993', True)]
    >>> r = parse_ports("customer configurable. Typically TCP 443")[0]
    >>> r.protocol, str(r.ports), r.customer_configurable, r.typical
    ('tcp', '443', True, True)
    """
    plain = _one_line(text)
    lowered = plain.lower()
    configurable = "customer configurable" in lowered
    typical = "typically" in lowered
    body = re.sub(r"customer configurable\.?|typically", "", plain, flags=re.IGNORECASE)
    rules: list[dict[str, object]] = []
    current: dict[str, object] | None = None
    for raw in re.split(r",|\band\b", body):
        token = raw.strip().rstrip(".").strip()
        if not token:
            continue
        if token.lower() == "or custom":
            if current is None:
                raise InputError(f"'or Custom' before any port in {text!r}")
            current["custom"] = True
            continue
        m = re.fullmatch(r"(?:(TCP|UDP)\s+)?(?:(\w+)\s+on\s+)?(\d+(?:-\d+)?)", token, re.I)
        if not m:
            raise InputError(f"cannot read port statement {token!r} in {text!r}")
        proto = m.group(1).lower() if m.group(1) else None
        app = m.group(2)
        if current is None or app or (proto and proto != current["protocol"]):
            current = {"protocol": proto, "app": app, "ports": [], "custom": False}
            rules.append(current)
        lo, _, hi = m.group(3).partition("-")
        ports = current["ports"]
        assert isinstance(ports, list)
        ports.append((int(lo), int(hi or lo)))
    return tuple(
        PortRule(
            protocol=r["protocol"] if isinstance(r["protocol"], str) else None,
            ports=PortSet.of(r["ports"] if isinstance(r["ports"], list) else []),
            application=r["app"] if isinstance(r["app"], str) else None,
            custom_allowed=bool(r["custom"]),
            customer_configurable=configurable,
            typical=typical,
        )
        for r in rules
    )


def parse_cidr(cell: str, *, source: str, line: int) -> Cidr:
    """Read the CIDR column: named range sets (with qualifiers), literal prefixes, customer
    ranges, N/A or blank."""
    text = _one_line(clean_markdown(cell))
    if not text:
        return Cidr(CidrKind.BLANK, text="")
    if text.upper() == "N/A":
        return Cidr(CidrKind.NOT_APPLICABLE, text=text)
    if text.lower() == "customer ip ranges":
        return Cidr(CidrKind.CUSTOMER, text=text)
    tokens = text.split()
    if all("/" in t for t in tokens):
        prefixes = tuple(parse_prefix(t, source=source, line=line) for t in tokens)
        return Cidr(CidrKind.PREFIXES, prefixes=prefixes, text=text)
    refs = []
    flat = " ".join(cell.split())
    for m in _LINK.finditer(flat):
        after = flat[m.end() :]
        nxt = _LINK.search(after)
        tail = clean_markdown(after[: nxt.start()] if nxt else after)
        qualifier = None
        qm = re.match(r"^\s*-\s*([^.]+?)\.?\s*$", tail)
        if qm:
            qualifier = qm.group(1).strip()
        refs.append(RangeSetRef(m.group(1).strip(), qualifier))
    if not refs:
        raise InputError(f"cannot read CIDR column {text!r}", source=source, line=line)
    return Cidr(CidrKind.RANGE_SETS, range_sets=tuple(refs), text=text)


def _sources(text: str) -> tuple[TrafficSource, ...]:
    out = []
    for m in re.finditer(r"([a-z0-9.-]+\.[a-z]{2,})\s*\((\d{1,3}(?:\.\d{1,3}){3})\)", text, re.I):
        out.append(TrafficSource(m.group(1), parse_prefix(m.group(2), allow_host=True)))
    return tuple(out)


def parse_seed_table(
    text: str, *, source: str, label: str, title: str, provenance: Provenance
) -> RowTable:
    """Import the 16-row table from Microsoft Learn's ``:::row:::`` layout."""
    rows: list[Row] = []
    blocks = list(_row_blocks(text, source))
    if not blocks:
        raise InputError(
            "no ':::row:::' blocks found",
            source=source,
            hint="is this the 16-row additional-endpoints table?",
        )
    header, *body = blocks
    if len(header[1]) != 5 or "row" not in clean_markdown(header[1][0]).lower():
        raise InputError(
            "the first row is not the expected 5-column header", source=source, line=header[0]
        )
    for line, cells in body:
        if len(cells) != 5:
            raise InputError(f"expected 5 columns, found {len(cells)}", source=source, line=line)
        number_text = clean_markdown(cells[0])
        if not (number_text.isascii() and number_text.isdigit()):
            raise InputError(
                f"row number {number_text!r} is not a number", source=source, line=line
            )
        purpose_cell = clean_markdown(cells[1])
        m = re.match(r"^(Required|Optional):\s*", purpose_cell)
        requirement = m.group(1).lower() if m else None
        rest = purpose_cell[m.end() :] if m else purpose_cell
        purpose_part, _, destination_part = rest.partition("Destination:")
        sources: tuple[TrafficSource, ...] = ()
        source_part = ""
        if "Source of network requests:" in purpose_part:
            purpose_part, _, source_part = purpose_part.partition("Source of network requests:")
            sources = tuple(TrafficSource(n) for n in source_part.split())
        elif re.search(r"\bSource:", purpose_part):
            purpose_part, _, source_part = re.split(r"(\bSource:)", purpose_part, maxsplit=1)
            sources = _sources(source_part)
        notes = None
        if "Note:" in purpose_part:
            purpose_part, _, note = purpose_part.partition("Note:")
            notes = _one_line(note)
        purpose_lines = [ln.strip().lstrip("-").strip() for ln in purpose_part.splitlines()]
        purpose = "; ".join(p for p in (" ".join(x.split()) for x in purpose_lines) if p)
        purpose = re.sub(r":\s*;\s*", ": ", purpose)
        dest_tokens = destination_part.split()
        destinations: tuple[str, ...] = ()
        destination_text = None
        if dest_tokens and all(_is_hostname(t) for t in dest_tokens):
            destinations = tuple(dest_tokens)
        elif dest_tokens:
            destination_text = _one_line(destination_part)
        er_text = clean_markdown(cells[2])
        er = {"yes": True, "no": False, "": None}.get(er_text.lower())
        if er_text and er is None:
            raise InputError(
                f"BGP communities column must be Yes, No or blank, got {er_text!r}",
                source=source,
                line=line,
            )
        ports_text = _one_line(clean_markdown(cells[4]))
        try:
            ports = parse_ports(ports_text) if ports_text else ()
        except InputError as exc:
            raise exc.at(source=source, line=line) from None
        direction = Direction.INBOUND if sources else Direction.OUTBOUND
        rows.append(
            Row(
                number=int(number_text),
                purpose=purpose,
                requirement=requirement,
                destinations=destinations,
                destination_text=destination_text,
                er_communities=er,
                cidr=parse_cidr(cells[3], source=source, line=line),
                ports=ports,
                ports_text=ports_text,
                direction=direction,
                sources=sources,
                notes=notes,
            )
        )
    return RowTable(label, title, provenance, tuple(rows))


# ---------------------------------------------------------------------------------------------
# Newer versions: Row | Purpose | Destination | Type


def _split_pipes(line: str) -> list[str]:
    cells, current, i = [], [], 0
    body = line.strip()
    body = body[1:] if body.startswith("|") else body
    body = body[:-1] if body.endswith("|") and not body.endswith("\\|") else body
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body) and body[i + 1] == "|":
            current.append("|")
            i += 2
            continue
        if ch == "|":
            cells.append("".join(current))
            current = []
        else:
            current.append(ch)
        i += 1
    cells.append("".join(current))
    return [c.strip() for c in cells]


def _addresses(text: str, *, source: str, line: int) -> tuple[Prefix, ...]:
    found: list[Prefix] = []
    for m in _IPV4_OR_PREFIX.finditer(text):
        found.append(parse_prefix(m.group(1), source=source, line=line, allow_host=True))
    for m in _IPV6_PREFIX.finditer(text):
        found.append(parse_prefix(m.group(1), source=source, line=line, allow_host=True))
    unique = dict.fromkeys(found)
    return tuple(unique)


def parse_scenario_table(
    text: str, *, source: str, label: str, title: str, provenance: Provenance
) -> RowTable:
    """Import a newer version of the article (pipe table: Row, Purpose, Destination, Type).

    Those versions have no ExpressRoute and no CIDR column: ``er_communities`` stays None and
    addresses written in the cells are kept as literal prefixes.
    """
    rows: list[Row] = []
    header_seen = False
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.lstrip().startswith("|"):
            continue
        cells = _split_pipes(raw)
        first = clean_markdown(cells[0]).lower()
        if first == "row" or (len(cells) > 1 and clean_markdown(cells[1]).lower() == "row"):
            header_seen = True
            continue
        if not (first.isascii() and first.isdigit()):
            continue
        if not header_seen:
            raise InputError("table row before the header row", source=source, line=number)
        if len(cells) < 4:
            raise InputError(
                f"expected 4 columns, found {len(cells)}", source=source, line=number, text=raw
            )
        # Row | Purpose | Destination | Type; a row with an extra cell (the 2020 article's row
        # 22 splits its purpose in two) keeps Destination and Type as its last two cells
        purpose_raw = " <br> ".join(cells[1:-2])
        dest_raw, type_raw = cells[-2], cells[-1]
        purpose_text = clean_markdown(purpose_raw)
        dest_text = clean_markdown(dest_raw)
        type_text = _one_line(clean_markdown(type_raw)) or None
        dest_tokens = [t.strip(",;") for t in dest_text.replace("https://", "").split()]
        hosts = tuple(
            dict.fromkeys(t.split(":")[0] for t in dest_tokens if _is_hostname(t.split(":")[0]))
        )
        prefixes = _addresses(dest_text, source=source, line=number)
        sources = _sources(purpose_text)
        lowered = f"{type_text or ''}".lower()
        if "inbound" in lowered:
            direction = Direction.INBOUND
        elif dest_text.lower().startswith("bidirectional"):
            direction = Direction.BIDIRECTIONAL
        else:
            direction = Direction.OUTBOUND
        if direction is Direction.INBOUND and not sources:
            # inbound rows list where Microsoft connects from in the purpose cell (row 10's
            # AutoDetect names and ranges): those are the row's traffic sources
            sources = tuple(
                TrafficSource(t) for t in dict.fromkeys(purpose_text.split()) if _is_hostname(t)
            ) + tuple(
                TrafficSource(str(p), p)
                for p in _addresses(purpose_text, source=source, line=number)
            )
        if prefixes:
            cidr = Cidr(CidrKind.PREFIXES, prefixes=prefixes, text="")
        elif direction is Direction.INBOUND and "customer" in dest_text.lower():
            cidr = Cidr(CidrKind.CUSTOMER, text="")
        else:
            cidr = Cidr(CidrKind.BLANK, text="")
        purpose_main = _one_line(purpose_text.split("Source:")[0])
        rows.append(
            Row(
                number=int(first),
                purpose=purpose_main,
                destinations=hosts,
                destination_text=_one_line(dest_text) or None,
                er_communities=None,
                cidr=cidr,
                direction=direction,
                sources=sources,
                type=type_text,
            )
        )
    if not rows:
        raise InputError(
            "no table rows found",
            source=source,
            hint="expected a Markdown table with columns Row, Purpose, Destination, Type",
        )
    return RowTable(label, title, provenance, tuple(rows))


# ---------------------------------------------------------------------------------------------
# ExpressRoute BGP communities


_REGION_COLUMNS = (
    ("region-private-peering", "private peering"),
    ("region-microsoft-peering", "Microsoft peering"),
    ("region-storage", "Storage"),
    ("region-sql", "SQL"),
    ("region-cosmosdb", "Azure Cosmos DB"),
    ("region-backup", "Backup"),
)


_SECTIONS = {
    "microsoft azure region": "regions",
    "service": "services",
    "national clouds azure region": "national-regions",
    "service in national clouds": "national-services",
}
"""The first column's heading of each community table, and the section it starts."""


def _one_community(
    section: str,
    head: str,
    community: Community,
    footnotes: dict[str, str],
    national_cloud: str | None,
) -> CommunityInfo:
    """One row of a services, national-regions or national-services table."""
    if section == "services":
        marks = re.findall(r"\((\d)\)", head)
        name = _one_line(re.sub(r"\(\d\)|\band\b\s*(?=$)", "", head)).strip()
        name = re.sub(r"\s+and$", "", name)
        notes = "; ".join(footnotes[m] for m in marks if m in footnotes) or None
        authorization = bool(notes and "authorization" in notes.lower())
        return CommunityInfo(
            community=community,
            name=name,
            kind="service",
            cloud="Azure Global",
            authorization_required=authorization,
            notes=notes,
        )
    if section == "national-regions":
        return CommunityInfo(
            community=community,
            name=head,
            kind="national-region",
            cloud=national_cloud or "",
            geo_group=national_cloud,
        )
    return CommunityInfo(
        community=community,
        name=head,
        kind="national-service",
        cloud=national_cloud or "",
        notes="the article does not say whether Microsoft's authorization is required",
    )


def parse_communities_article(text: str, *, source: str, provenance: Provenance) -> CommunityTable:
    """Import the community tables of the *ExpressRoute routing requirements* article."""
    entries: list[CommunityInfo] = []
    footnotes: dict[str, str] = {}
    for m in re.finditer(r"^\((\d)\)\s*(.+)$", text, re.M):
        footnotes[m.group(1)] = _one_line(clean_markdown(m.group(2)))
    section = None
    geo = None
    national_cloud = None
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if stripped.startswith("#"):
            section = None
        if not stripped.startswith("|"):
            continue
        cells = _split_pipes(stripped)
        head = clean_markdown(cells[0])
        if set(head) <= {"-", " ", ":"}:
            continue
        if head.lower() in _SECTIONS:
            section = _SECTIONS[head.lower()]
            continue
        if section is None:
            continue
        values = [clean_markdown(c) for c in cells[1:] if clean_markdown(c)]
        if not values:
            if section == "regions":
                geo = head
            else:
                national_cloud = head
            continue
        try:
            communities = [parse_community(v, source=source, line=number) for v in values]
        except InputError as exc:
            raise exc.at(source=source, line=number) from None
        if section == "regions":
            for (kind, column), community in zip(_REGION_COLUMNS, communities, strict=False):
                entries.append(
                    CommunityInfo(
                        community=community,
                        name=f"{head} ({column})",
                        kind=kind,
                        cloud="Azure Global",
                        geo_group=geo,
                    )
                )
        else:
            entries.append(_one_community(section, head, communities[0], footnotes, national_cloud))
    if not entries:
        raise InputError("no BGP community tables found", source=source)
    return CommunityTable(provenance, tuple(entries))
