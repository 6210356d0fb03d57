"""The award rules, set-based in DuckDB: every plan value a bound parameter.

``params`` binds plan values under readable names, ``measures`` computes a review's
window measures for all units and nominated people at once, ``criteria`` compiles each
criterion kind to SQL (a dispatch table), ``shortlist`` gives every candidate exactly one
status, its rank and its reasons in one query, and ``deadlines`` the dossier due date.
Imports the leaves, ``plans`` and ``store`` (its macros).
"""
