"""The query layer: SQL (SQLAlchemy Core, bound parameters) returning tidy DataFrames.

Pages import from here and never build SQL themselves.
"""
