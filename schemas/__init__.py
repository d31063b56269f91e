"""JSON Schemas of what the app reads and writes (a label scheme file, an import task, an event row);
installed as ``annotator.schemas`` (see setup.py).

Not to be confused with the label schemes themselves, which are data in ``resources/label_schemes/``:
a schema here checks a file's shape, a scheme there says which labels a project uses.
"""
