"""Differential test: routeplan's readers against a peer's parsers (TextFSM with
ntc-templates) over every real sample the project can see: its own fixtures and the public
samples in ../shared/data/rib-samples.

Both sides are brought to the same facts per path (prefix, next hop, AS path, metric, local
preference) and compared as multisets. Every disagreement is triaged in
``tests/fixtures/rib/differential.yaml`` with who is wrong and why; a new disagreement (or a
triaged one that went away) fails the test until it is triaged again. A sample the peer
cannot read at all is recorded too, so that its count is known.

Genie is not run here (it needs pyATS, about 1 GB of compiled wheels together), but its answers
are: genieparser's test suite records what each parser gives for a real output, and the last
part of this file requires routeplan's text reading of those outputs to equal Genie's recorded
parse, read as genie-json (docs/formats.md).
"""

from __future__ import annotations

import ipaddress
from collections import Counter
from pathlib import Path

import pytest

from routeplan.errors import InputError
from routeplan.rib import read_routes
from routeplan.yamlio import load_document
from tests.helpers import ROOT, SHARED_DATA

textfsm = pytest.importorskip("textfsm")
ntc_templates = pytest.importorskip("ntc_templates")

TEMPLATES = {
    "ios-bgp": "cisco_ios_show_ip_bgp",
    "nxos-bgp": "cisco_nxos_show_ip_bgp",
    "iosxr-bgp": "cisco_xr_show_bgp",
    "eos-bgp": "arista_eos_show_ip_bgp",
}
"""routeplan's format -> the ntc-templates template for the same command."""
TRIAGE = ROOT / "tests" / "fixtures" / "rib" / "differential.yaml"
FIXTURES = ROOT / "tests" / "fixtures" / "rib"

Fact = tuple[str, str, tuple[int, ...], int | None, int | None]


def _asn(text: str) -> int:
    """An AS number as written (asplain or asdot).

    >>> _asn("65107.65107"), _asn("12076")
    (4266917459, 12076)
    """
    high, dot, low = text.partition(".")
    return int(high) * 65536 + int(low) if dot else int(high)


def _network(text: str, mask: str = "") -> str:
    """The peer's network as a prefix: IOS prints classful networks without a length, and the
    default route as ``0.0.0.0``."""
    if mask:
        text = f"{text}/{mask}"
    if "/" not in text and text.count(".") == 3:
        first = int(text.split(".")[0])
        length = 0 if text == "0.0.0.0" else 8 if first < 128 else 16 if first < 192 else 24
        text = f"{text}/{length}"
    try:
        return str(ipaddress.ip_network(text, strict=False))
    except ValueError:
        return text  # the peer's own reading, kept as it is (an empty network, say)


def _number(text: str) -> int | None:
    return int(text) if text.isdigit() else None


def peer_facts(fmt: str, text: str) -> list[Fact] | str:
    """The peer's reading, or why it has none."""
    directory = Path(ntc_templates.__file__).parent / "templates"
    with (directory / f"{TEMPLATES[fmt]}.textfsm").open() as template:
        fsm = textfsm.TextFSM(template)
    try:
        rows = [dict(zip(fsm.header, r, strict=True)) for r in fsm.ParseText(text)]
    except textfsm.TextFSMError as exc:
        return f"error: {str(exc).splitlines()[0][:60]}"
    if not rows:
        return "reads nothing"
    out = []
    for r in rows:
        tokens = r["AS_PATH"].replace("{", " ").replace("}", " ").replace(",", " ").split()
        out.append(
            (
                _network(r["NETWORK"], r.get("NETMASK", "")),
                r["NEXT_HOP"].lower(),
                tuple(_asn(t) for t in tokens if t.replace(".", "").isdigit()),
                _number(r["METRIC"]),
                _number(r["LOCAL_PREF"]),
            )
        )
    return out


def our_facts(path: Path) -> tuple[str, list[Fact]]:
    [got] = read_routes([path])
    return got.format, [
        (str(r.prefix), (r.next_hop or "-").lower(), r.as_path, r.metric, r.local_pref)
        for r in got.routes
    ]


def _samples() -> list[tuple[str, Path]]:
    out = []
    for path in sorted(FIXTURES.glob("*/*.txt")):
        if path.parent.name in TEMPLATES and "_bad" not in path.name:
            out.append((f"fixtures/{path.parent.name}/{path.name}", path))
    shared = SHARED_DATA / "rib-samples"
    for path in sorted(shared.glob("*/*.txt")) if shared.is_dir() else []:
        out.append((f"shared/{path.parent.name}/{path.name}", path))
    return out


def _outcome(path: Path) -> dict[str, object] | None:
    """What the two readings say of one sample; None when routeplan does not read it as a
    format the peer has a template for."""
    try:
        fmt, ours = our_facts(path)
    except InputError:
        return None  # refused: the reader tests hold each refusal to its error
    if fmt not in TEMPLATES:
        return None
    theirs = peer_facts(fmt, path.read_text(encoding="utf-8", errors="replace"))
    if isinstance(theirs, str):
        return {"format": fmt, "paths": len(ours), "peer": theirs}
    only_ours = Counter(ours) - Counter(theirs)
    only_theirs = Counter(theirs) - Counter(ours)
    if not only_ours and not only_theirs:
        return {"format": fmt, "paths": len(ours), "peer": "agrees"}
    return {
        "format": fmt,
        "paths": len(ours),
        "peer": "disagrees",
        "only_routeplan": sorted(str(list(f)) for f in only_ours.elements()),
        "only_peer": sorted(str(list(f)) for f in only_theirs.elements()),
    }


def _triaged() -> dict[str, dict[str, object]]:
    doc = load_document(TRIAGE, what="triage file")
    return {item["sample"].as_str(): item.mapping() for item in doc.list_of("samples")}


SAMPLES = _samples()


@pytest.mark.parametrize(("name", "path"), SAMPLES, ids=[n for n, _ in SAMPLES])
def test_every_disagreement_with_the_peer_is_triaged(name: str, path: Path) -> None:
    outcome = _outcome(path)
    triaged = _triaged().get(name)
    if outcome is None:
        assert triaged is None, f"{name}: triaged, but no longer read as a compared format"
        return
    assert triaged is not None, f"{name}: not triaged yet; it reads {outcome}"
    want = {k: v for k, v in triaged.items() if k not in ("sample", "wrong", "why")}
    assert outcome == want, f"{name}: the comparison changed; triage it again"
    if outcome["peer"] == "disagrees":
        assert triaged.get("wrong") in ("ntc-templates", "routeplan"), name
        assert triaged.get("why"), f"{name}: say why"
        # routeplan's side of every disagreement is right, or the test says so plainly
        assert triaged["wrong"] == "ntc-templates", f"{name}: routeplan is wrong: fix it"


def test_the_comparison_covers_real_samples() -> None:
    """Not a comparison of nothing: most samples are read by both, and agree."""
    if not (SHARED_DATA / "rib-samples").is_dir():
        pytest.skip(f"public samples not found at {SHARED_DATA} (needs ../shared)")
    outcomes = [o for _, p in SAMPLES if (o := _outcome(p)) is not None]
    agree = sum(1 for o in outcomes if o["peer"] == "agrees")
    assert len(outcomes) >= 25
    assert agree >= 12, outcomes


# -- Genie: its recorded parse of the same output ---------------------------------------------

GENIE = FIXTURES / "genie-json"


def _genie_pairs() -> list[tuple[str, Path, Path]]:
    out = []
    for json_path in sorted(GENIE.glob("*.json")):
        for fmt in ("ios-bgp", "ios-route"):
            text = FIXTURES / fmt / f"{json_path.stem}.txt"
            if text.exists():
                out.append((json_path.stem, text, json_path))
    return out


GENIE_PAIRS = _genie_pairs()


def _facts(path: Path, fmt: str) -> list[str]:
    [got] = read_routes([path], format_name=fmt)
    return sorted(
        repr((str(r.prefix), (r.next_hop or "-").lower(), r.as_path, r.best, r.vrf, r.metric,
              r.local_pref, r.interface, r.protocol))
        for r in got.routes
    )  # fmt: skip


@pytest.mark.parametrize(
    ("stem", "text", "parsed"), GENIE_PAIRS, ids=[s for s, _, _ in GENIE_PAIRS]
)
def test_routeplans_text_reading_equals_genies_recorded_parse(
    stem: str, text: Path, parsed: Path
) -> None:
    """Genie's parsers run offline, in effect: genieparser's test suite records what each
    parser answers for a real output; routeplan reads that output as text and Genie's answer
    as genie-json, and every route (prefix, next hop, AS path, best, VRF, metric, local
    preference, interface, protocol) must be the same, unless the pair is triaged."""
    ours, genie = _facts(text, "auto"), _facts(parsed, "genie-json")
    triage = {
        item["pair"].as_str(): item.mapping()
        for item in load_document(TRIAGE, what="triage file").list_of("genie_pairs")
    }
    if stem in triage:
        assert ours != genie, f"{stem}: triaged, but the two now agree: drop its triage"
        assert triage[stem]["wrong"] in ("sample", "neither", "genie"), stem
        assert triage[stem]["why"], stem
        return
    assert ours == genie, (sorted(set(ours) - set(genie))[:3], sorted(set(genie) - set(ours))[:3])
    assert ours


def test_the_genie_comparison_covers_both_table_kinds() -> None:
    kinds = {text.parent.name for _, text, _ in GENIE_PAIRS}
    assert kinds == {"ios-bgp", "ios-route"}
    assert len(GENIE_PAIRS) >= 15
