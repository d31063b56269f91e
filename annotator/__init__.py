"""Conflict Annotator: label armed-conflict news with entities and events.

The domain (store, import, suggest, export, agreement) is plain Python; ``annotator.gui`` is a thin Qt layer.
"""

__version__ = "0.1.0"
APP_NAME = "conflict-annotator"
