"""JSON schemas of what the app reads and writes; installed as ``annotator.schemas`` (see setup.py)."""
