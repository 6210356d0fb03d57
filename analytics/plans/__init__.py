"""Plans as data: an emulation plan (kế hoạch thi đua) read from ``data/plans/*.toml``.

Owns the plan vocabulary (``vocabulary``), the criterion models (``criteria``), the
validated, frozen plan model (``models``), loading by id or path (``loading``), citing a
plan value's source in words (``citations``) and what-if scenarios (``whatif``).
Imports only the leaves (errors, labels, fmt).
"""
