"""Exports: review tables (CSV, XLSX, JSON, RIS) and the PRISMA flow diagram."""
