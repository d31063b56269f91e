"""Only what pyproject.toml cannot say: two top-level folders installed inside the package.

``resources/`` and ``schemas/`` stay where readers of the repository expect them, and install as
``annotator.resources`` and ``annotator.schemas``; ``annotator.config.package_data_dir`` reads them
with importlib.resources. Discovery stays automatic, so a new ``annotator`` subpackage or a new folder
of resources ships without editing this file (the file patterns are package-data in pyproject.toml).
"""

from setuptools import find_namespace_packages, find_packages, setup

MAPPED = {"annotator.resources": "resources", "annotator.schemas": "schemas"}
# resources/samples, resources/label_schemes, ...: data folders, listed as (namespace) packages because
# setuptools ships data only from packages.
DATA_FOLDERS = [f"annotator.resources.{name}" for name in find_namespace_packages(where="resources", exclude=["__pycache__*"])]

setup(
    packages=find_packages(include=["annotator", "annotator.*"]) + list(MAPPED) + DATA_FOLDERS,
    package_dir=MAPPED,
)
