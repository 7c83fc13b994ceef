"""Benchmarks (python benchmarks/NAME.py); tests import their table generators."""
