"""Exports: review tables (CSV, XLSX, JSON, RIS) and the PRISMA flow diagram.

The calls the command line and the window make (each takes plain arguments, a
``progress(done, total)`` callback and a ``cancel()`` callable where it streams):

* ``formats.export(store, fmt, path, table=, stage=, decision=, bom=, provenance=)``
  dispatches to ``csv_export.export_csv``, ``xlsx_export.export_xlsx``,
  ``json_export.export_json``, ``ris_export.export_ris`` and the PRISMA writers;
* ``prisma.prisma_counts(store)``, ``prisma.prisma_svg(counts)``,
  ``prisma.prisma_png(counts, path)`` for the diagram shown in the app;
* ``json_import.import_review_json(path, new_review_path)`` reads a JSON export
  back into a new review.

Which records a table holds is ``selection.select_record_ids``; what its columns
are is ``tables``; how a cell is kept from running as a formula is ``cells``.
"""
