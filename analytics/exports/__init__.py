"""Files for other programs and for people: the shortlist CSV (the data contract), the
shortlist workbook, the import template and the Word proposal list.

``csv_files`` writes every CSV (one writer, formula cells neutralised), ``stamp`` the
stamp every export carries, ``workbook`` and ``template`` the .xlsx files, ``docx_parts``
and ``wordform`` the .docx list, ``minutes`` the committee's minutes, ``achievements`` what
the lists say about each candidate (its facts and achievement in words). Imports the leaves, ``plans``, ``store``, ``ingest``
(the demo rows of the template) and ``rules``.
"""
