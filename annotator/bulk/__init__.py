"""Work on many articles at once, without a window: accepting suggestions from the command line,
suggesting over corpora too large for one project on Dask, choosing what to annotate from the
result. Qt-free; Dask is imported only by the modules that run tasks (``annotator.bulk.run``)."""
