"""Importing data: readers (CSV, xlsx) -> raw text tables -> parsing -> checks -> upsert.

``raw`` is the shape every reader produces (and the header mapping), ``csv_reader`` and
``xlsx_reader`` read files, ``dataset`` reads a folder or a workbook, ``parse`` turns
text cells into typed values in SQL, ``checks`` names every bad cell, ``upsert`` writes
by key, ``importer`` runs the whole import (``run_import``) and ``demo_data`` reads the
demo datasets. Imports the leaves, ``plans`` and ``store``.
"""
