"""The store: the only code that opens DuckDB.

Owns the data contract's tables (``contract``), the schema and its migrations with the
SQL building blocks as persistent macros (``schema``), connecting and locking
(``connection``), the store's meta data and version (``meta``), which plan a store
follows (``binding``) and the record of every import (``audit``). Imports only the
leaves and ``analytics.plans``.
"""
