"""The lab: real FRR and BIRD in network namespaces (docs/lab.md)."""
