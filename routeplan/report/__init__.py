"""Everything routeplan renders for people or machines: catalog listings, diff, plan, review
and topology reports as text, Markdown, HTML and CSV, and the versioned JSON contracts. Each
renderer takes a library result and returns text; none decides anything. Router and Azure
configuration is rendered by :mod:`routeplan.render`."""
