"""From annotated events to an event table: one row per real-world event, as ACLED and UCDP publish.

Qt-free and SQL-free: takes articles, spans and argument links, returns records, groups and rows.
"""
