"""The team hub: a PostgreSQL database that holds a team's project while each annotator keeps working
in their own project file (docs/adr/0008-team-hub.md).

The hub is the second store: besides ``annotator.store`` it is the only code that speaks SQL. It is
imported only by ``annotator sync``, ``annotator hub`` and a window whose project has a hub, so
psycopg is never loaded otherwise.
"""
