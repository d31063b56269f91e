"""Tests of the team hub against a real PostgreSQL (a package, so its conftest does not take the
plain name ``conftest`` that tests/gui imports its helpers by)."""
