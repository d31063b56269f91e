"""Data shipped with the app (samples, schemes, gazetteer, icons); installed as ``annotator.resources``.

This folder stays at the repository's top level; setup.py maps it into the package so that
``importlib.resources.files("annotator.resources")`` finds it in a checkout, a wheel and the bundle.
"""
