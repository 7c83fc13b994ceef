"""A routing lab in Linux network namespaces on this machine: a stand-in for Microsoft's edge
(``msee``, AS 12076), an Internet transit (``isp``, AS 64600) and the customer's router under
test (``edge``, AS 65010: FRR or BIRD 2), joined by veth pairs. Nothing leaves the machine.

The stand-ins are BIRD 2 instances: BIRD is in Debian (no PyPI daemon to pin), announces
thousands of static routes with their communities and AS paths from a few lines, applies the
route filter as an export filter, and shows what it received from the edge (what the edge
announces). The edge runs the configuration ``routeplan plan --vendor frr|bird`` renders, plus
the glue docs/plan.md tells a user to write (neighbours, ASN, where the NAT pools come from).

Every process the lab starts is remembered by PID and stopped, and its namespaces removed,
when the lab closes: also when a test fails or is interrupted (``with Lab(...)``, and a
SIGTERM handler while it is open). Each wait is bounded and says what it waited for.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType, TracebackType

MSEE_AS, ISP_AS, EDGE_AS = 12076, 64600, 65010
# link addresses: edge side .1 / ::1, the stand-in .2 / ::2
LINKS = {
    "msee": ("10.255.1.1", "10.255.1.2", "fd00:255:1::1", "fd00:255:1::2"),
    "isp": ("10.255.2.1", "10.255.2.2", "fd00:255:2::1", "fd00:255:2::2"),
}
FRR = Path("/usr/lib/frr")


class LabError(RuntimeError):
    """The lab could not be built, or something it waited for did not happen in time."""


@dataclass(frozen=True)
class Announce:
    """One route a stand-in announces: its prefix, communities and AS path after its own."""

    prefix: str
    communities: tuple[str, ...] = ()
    path: tuple[int, ...] = ()


def missing_tools() -> list[str]:
    """What this machine lacks for the lab (empty when it can run)."""
    out = []
    if os.geteuid() != 0:
        out.append("root (network namespaces)")
    for tool in ("ip", "bird", "birdc"):
        if shutil.which(tool) is None and not Path("/usr/sbin", tool).exists():
            out.append(tool)
    for daemon in ("zebra", "bgpd"):
        if not (FRR / daemon).exists():
            out.append(f"FRR {daemon}")
    if shutil.which("vtysh") is None:
        out.append("vtysh")
    return out


def run(args: Sequence[str], *, check: bool = True, timeout: float = 30) -> str:
    done = subprocess.run(list(args), capture_output=True, text=True, timeout=timeout, check=False)
    if check and done.returncode != 0:
        raise LabError(f"{' '.join(args)} failed ({done.returncode}): {done.stderr.strip()}")
    return done.stdout


def wait_for(what: str, test: Callable[[], bool], timeout: float = 60, every: float = 0.3) -> None:
    """Poll ``test`` until it holds; a LabError naming ``what`` after ``timeout`` seconds."""
    ends = time.monotonic() + timeout
    while True:
        try:
            if test():
                return
        except (LabError, subprocess.TimeoutExpired, ValueError):
            pass
        if time.monotonic() > ends:
            raise LabError(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(every)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """TERM, then KILL after five seconds; reaped either way."""
    if proc.poll() is None:
        proc.terminate()
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=5)


@dataclass
class Lab:
    """The three namespaces and their daemons. ``edge_kind`` is ``frr`` or ``bird``."""

    workdir: Path
    edge_kind: str
    tag: str = field(default_factory=lambda: f"rp{os.getpid() % 100000}")
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)
    namespaces: list[str] = field(default_factory=list)
    _edge: list[subprocess.Popen[bytes]] = field(default_factory=list)
    _standins: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    _old_handler: object = None

    # -- life cycle -----------------------------------------------------------------------
    def ns(self, role: str) -> str:
        return f"{self.tag}-{role}"

    def __enter__(self) -> Lab:
        self._old_handler = signal.signal(signal.SIGTERM, self._on_term)
        try:
            self._build()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _on_term(self, signum: int, frame: FrameType | None) -> None:
        self.close()
        raise KeyboardInterrupt

    def close(self) -> None:
        """Stop every process by PID (TERM, then KILL), remove the namespaces and FRR's run
        directory: nothing is left running."""
        for proc in reversed(self.processes):
            if proc.poll() is None:
                proc.terminate()
        for proc in reversed(self.processes):
            _stop(proc)
        self.processes.clear()
        self._edge.clear()
        self._standins.clear()
        for name in reversed(self.namespaces):
            run(["ip", "netns", "del", name], check=False)
        self.namespaces.clear()
        shutil.rmtree(Path("/var/run/frr") / self.tag, ignore_errors=True)
        if self._old_handler is not None:
            signal.signal(signal.SIGTERM, self._old_handler)  # type: ignore[arg-type]
            self._old_handler = None

    def _build(self) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)
        for role in ("edge", "msee", "isp"):
            run(["ip", "netns", "add", self.ns(role)])
            self.namespaces.append(self.ns(role))
            self.exec(role, "ip", "link", "set", "lo", "up")
        for peer, (e4, p4, e6, p6) in LINKS.items():
            a, b = f"e-{peer}", f"{peer}-e"
            run(
                [
                    "ip",
                    "link",
                    "add",
                    a,
                    "netns",
                    self.ns("edge"),
                    "type",
                    "veth",
                    "peer",
                    "name",
                    b,
                    "netns",
                    self.ns(peer),
                ]
            )
            for role, dev, v4, v6 in (("edge", a, e4, e6), (peer, b, p4, p6)):
                self.exec(role, "ip", "addr", "add", f"{v4}/30", "dev", dev)
                self.exec(role, "ip", "-6", "addr", "add", f"{v6}/64", "dev", dev, "nodad")
                self.exec(role, "ip", "link", "set", dev, "up")

    def exec(self, role: str, *args: str, check: bool = True, timeout: float = 30) -> str:
        return run(["ip", "netns", "exec", self.ns(role), *args], check=check, timeout=timeout)

    def spawn(self, role: str, *args: str, log: Path) -> subprocess.Popen[bytes]:
        """Start a daemon in the foreground inside the namespace (``ip netns exec`` execs it,
        so the PID is the daemon's own)."""
        handle = log.open("ab")
        proc = subprocess.Popen(
            ["ip", "netns", "exec", self.ns(role), *args],
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        handle.close()
        self.processes.append(proc)
        return proc

    # -- the stand-ins ----------------------------------------------------------------------
    def start_standin(
        self, role: str, routes: Iterable[Announce], allowed: Sequence[str] | None
    ) -> None:
        """BIRD announcing ``routes`` to the edge over IPv4 and IPv6 sessions; with
        ``allowed`` (communities), only the routes carrying one of them (the route filter)."""
        e4, p4, e6, p6 = LINKS[role]
        asn = MSEE_AS if role == "msee" else ISP_AS
        statics: dict[int, list[str]] = {4: [], 6: []}
        for r in routes:
            attrs = [f"bgp_community.add(({c.replace(':', ',')}));" for c in r.communities]
            attrs += [f"bgp_path.prepend({a});" for a in reversed(r.path)]
            block = " { " + " ".join(attrs) + " }" if attrs else ""
            statics[6 if ":" in r.prefix else 4].append(f"  route {r.prefix} blackhole{block};")
        if allowed is None:
            export = "all"
        else:
            pairs = ", ".join(f"({c.replace(':', ',')})" for c in allowed) or "(0,0)"
            export = f"where bgp_community ~ [ {pairs} ]"
        conf = [
            f"router id {p4};",
            "protocol device {}",
            "protocol static s4 {",
            "  ipv4;",
            *statics[4],
            "}",
            "protocol static s6 {",
            "  ipv6;",
            *statics[6],
            "}",
        ]
        for fam, local, remote in ((4, p4, e4), (6, p6, e6)):
            conf += [
                f"protocol bgp edge{fam} {{",
                f"  local {local} as {asn};",
                f"  neighbor {remote} as {EDGE_AS};",
                "  connect delay time 1; connect retry time 1; error wait time 1, 2;",
                "  hold time 9;",
                f"  ipv{fam} {{ import all; export {export}; }};",
                "}",
            ]
        path = self.workdir / f"{role}.conf"
        path.write_text("\n".join(conf) + "\n")
        run(["bird", "-p", "-c", str(path)])
        sock = self.workdir / f"{role}.ctl"
        sock.unlink(missing_ok=True)
        self._standins[role] = self.spawn(
            role, "bird", "-f", "-c", str(path), "-s", str(sock), log=self.workdir / f"{role}.log"
        )
        wait_for(f"{role}'s BIRD control socket", sock.exists, timeout=15)

    def stop_standin(self, role: str) -> None:
        """Stop a stand-in (to start it again with other routes or another route filter)."""
        proc = self._standins.pop(role, None)
        if proc is None:
            return
        _stop(proc)
        self.processes.remove(proc)

    def birdc(self, role: str, *command: str) -> str:
        return run(["birdc", "-s", str(self.workdir / f"{role}.ctl"), *command])

    def received(self, role: str) -> set[str]:
        """The prefixes a stand-in accepted from the edge (what the edge announces to it)."""
        out = set()
        for fam in (4, 6):
            text = self.birdc(role, "show", "route", "protocol", f"edge{fam}")
            for line in text.splitlines():
                first = line.split(" ", 1)[0]
                if "/" in first:
                    out.add(first)
        return out

    # -- the edge ---------------------------------------------------------------------------
    def start_edge(self, config: str) -> None:
        """Start (or restart, with a new configuration) the router under test."""
        self.stop_edge()
        if self.edge_kind == "frr":
            rundir = Path("/var/run/frr") / self.tag
            rundir.mkdir(parents=True, exist_ok=True)
            shutil.chown(rundir, "frr", "frr")
            # FRR reads it as user frr: beside its sockets, not under a private temporary dir
            path = rundir / "edge-frr.conf"
            path.write_text(config)
            os.chmod(path, 0o644)
            (self.workdir / "edge-frr.conf").write_text(config)  # kept with the logs
            log = self.workdir / "edge-frr.log"
            for daemon in ("zebra", "bgpd"):
                self._edge.append(
                    self.spawn("edge", str(FRR / daemon), "-N", self.tag, "-f", str(path), log=log)
                )
                sock = rundir / f"{daemon}.vty"
                wait_for(f"FRR {daemon}'s vty socket", sock.exists, timeout=15)
        else:
            path = self.workdir / "edge-bird.conf"
            path.write_text(config)
            run(["bird", "-p", "-c", str(path)])
            sock = self.workdir / "edge.ctl"
            self._edge.append(
                self.spawn(
                    "edge",
                    "bird",
                    "-f",
                    "-c",
                    str(path),
                    "-s",
                    str(sock),
                    log=self.workdir / "edge-bird.log",
                )
            )
            wait_for("the edge's BIRD control socket", sock.exists, timeout=15)

    def stop_edge(self) -> None:
        for proc in reversed(self._edge):
            _stop(proc)
            self.processes.remove(proc)
        self._edge.clear()
        (self.workdir / "edge.ctl").unlink(missing_ok=True)
        rundir = Path("/var/run/frr") / self.tag
        for daemon in ("zebra", "bgpd"):
            (rundir / f"{daemon}.vty").unlink(missing_ok=True)

    def vtysh(self, command: str) -> str:
        return self.exec("edge", "vtysh", "-N", self.tag, "-c", command)

    def vtysh_each(self, commands: Sequence[str], batch: int = 200) -> str:
        """Every command's output, one after another, as a collector saves them (``vtysh``
        takes many ``-c``; a batch keeps the argument list short)."""
        out = []
        for at in range(0, len(commands), batch):
            args = [x for c in commands[at : at + batch] for x in ("-c", c)]
            out.append(self.exec("edge", "vtysh", "-N", self.tag, *args, timeout=120))
        return "".join(out)

    def established(self) -> bool:
        """All four sessions of the edge are up."""
        if self.edge_kind == "frr":
            up = 0
            for fam in ("ipv4", "ipv6"):
                summary = json.loads(self.vtysh(f"show bgp {fam} unicast summary json") or "{}")
                peers = summary.get("peers", {})
                up += sum(1 for p in peers.values() if p.get("state") == "Established")
            return up == 4
        text = run(["birdc", "-s", str(self.workdir / "edge.ctl"), "show", "protocols"])
        return sum(1 for line in text.splitlines() if "Established" in line) == 4

    def route_counts(self) -> tuple[int, int]:
        """Routes in the edge's kernel FIB (IPv4, IPv6): stable once BGP has converged."""
        v4 = self.exec("edge", "ip", "-4", "route", "show", "table", "main")
        v6 = self.exec("edge", "ip", "-6", "route", "show", "table", "main")
        return len(v4.splitlines()), len(v6.splitlines())

    def converge(self, timeout: float = 60) -> None:
        """Wait for the four sessions, then for the FIB to stop changing for two seconds."""
        try:
            wait_for(
                "the edge's four BGP sessions (msee and isp, IPv4 and IPv6)",
                self.established,
                timeout=timeout,
            )
        except LabError as exc:
            logs = sorted(self.workdir.glob("*.log"))
            tail = "\n".join(
                f"--- {p.name}:\n" + "\n".join(p.read_text(errors="replace").splitlines()[-8:])
                for p in logs
            )
            raise LabError(f"{exc}\n{tail}") from None
        last: list[tuple[int, int]] = []

        def steady() -> bool:
            last.append(self.route_counts())
            return len(last) >= 5 and len(set(last[-5:])) == 1 and last[-1][0] > 2

        wait_for("the edge's FIB to stop changing", steady, timeout=timeout, every=0.5)

    def exit_of(self, address: str) -> str | None:
        """Which link the edge's kernel sends ``address`` out of: ``msee``, ``isp`` or None."""
        out = self.exec("edge", "ip", "route", "get", address, check=False)
        for peer in LINKS:
            if f"dev e-{peer}" in out:
                return peer
        return None

    def capture(self) -> dict[str, str]:
        """What the edge's daemon prints for its RIB: name -> text."""
        if self.edge_kind == "frr":
            return {
                "bgp-ipv4.json": self.vtysh("show bgp ipv4 unicast json"),
                "bgp-ipv6.json": self.vtysh("show bgp ipv6 unicast json"),
                "bgp-ipv4.txt": self.vtysh("show bgp ipv4 unicast"),
                "bgp-ipv6.txt": self.vtysh("show bgp ipv6 unicast"),
            }
        return {
            "bird-route-all.txt": run(
                ["birdc", "-s", str(self.workdir / "edge.ctl"), "show", "route", "all"]
            )
        }
