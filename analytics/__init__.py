"""Thi đua CCHC's engine: pure Python + DuckDB, never Streamlit.

Package map, by layer (each imports only the layers above it in this list; the layer test
tests/test_architecture.py checks it):

leaves     errors (ThiduaError and exit codes, Problem), labels (every Vietnamese label),
           fmt (Vietnamese number and date formats), access (roles and what they may write),
           sessions (signed-in sessions, idle expiry)
plans      vocabulary, criteria (criterion models), models (the Plan), loading, citations,
           whatif (scenarios)
store      contract (the import tables), schema (migrations, SQL macros), connection (the
           only code that opens DuckDB; locks), meta (versions), binding (the store's plan),
           audit (the import log), audit_trail (saves and their per-value entries),
           accounts (local accounts, argon2, lock-out; e-mail roles), backup (backup, restore)
ingest     raw, csv_reader, xlsx_reader, dataset (reading files), parse, checks, upsert,
           importer (run_import), edits (the committee's saves and undo), demo_data
rules      params (bound parameters), measures, criteria (compilers), shortlist, deadlines
views      sql, paging, coverage, bands, overview, ranking, components, profile, awards,
           highlight, whatif_diff, quality, import_log, privacy (discipline hidden from viewers),
           council (the council's editor), audit_log (the frames pages show)
exports    csv_files, stamp, workbook, template, docx_parts, wordform (files)
demo       the demo store
cli_workspace  ``users``, ``audit``, ``backup``, ``restore``
cli        ``python -m analytics``
"""
