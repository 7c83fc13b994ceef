"""Many sites, many circuits: topology-aware checks with networkx (docs/topology.md)."""

from routeplan.topology.analysis import Analysis, Choice, Exit, Move, TopoFinding, analyse
from routeplan.topology.model import Topology, load_topology

__all__ = [
    "Analysis",
    "Choice",
    "Exit",
    "Move",
    "TopoFinding",
    "Topology",
    "analyse",
    "load_topology",
]
