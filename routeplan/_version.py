"""The version of routeplan (one place; the package and the HTTP User-Agent read it)."""

__version__ = "0.1.0"
