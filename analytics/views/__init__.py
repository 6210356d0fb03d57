"""The frames the dashboard's pages show, as set-based DuckDB queries with bound
parameters (or pure pandas over the engine's shortlist). Never imports Streamlit.

``sql`` holds the views' shared SQL pieces, ``paging`` the pagination of long tables,
``coverage`` which years a store has data for; one module per page's subject:
``overview``, ``ranking``, ``components``, ``profile``, ``awards`` (with ``highlight``),
``whatif_diff``, ``quality`` and ``import_log``. Imports the leaves, ``plans``, ``store``
and ``rules``.
"""
