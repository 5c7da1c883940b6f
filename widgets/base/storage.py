"""Where saved data lives and how it is written: per user, outside the checkout, atomic."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
import time
from datetime import date, datetime
from pathlib import Path
from typing import Any

from .errors import InputError, Problem

APP_NAME = "leading-for-learning"
ENV_DATA_DIR = "LEADING_FOR_LEARNING_DATA"


def data_dir() -> Path:
    """Return the per-user folder for saved data (created on first use).

    ``$LEADING_FOR_LEARNING_DATA`` overrides it (the workshop gives every participant their own,
    the live apps point it at the browser's storage). A folder that cannot be used raises an
    :class:`InputError` naming it and saying what to do.
    """
    override = os.environ.get(ENV_DATA_DIR)
    if override:
        folder = Path(override)
    else:
        import platformdirs  # only here: the live apps and the workshop always set the folder

        folder = Path(platformdirs.user_data_dir(APP_NAME, False))
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise InputError(
            Problem(
                f"the data folder {folder} cannot be used ({reason})",
                f"set {ENV_DATA_DIR} to a folder you can write to, or free some disk space",
                source=str(folder),
            )
        ) from None
    return folder


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never half.

    The temporary file is flushed to disk before the rename, and the folder after it, so a
    crash or power cut leaves one complete version.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, target)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    _sync_folder(target.parent)
    return target


def _sync_folder(folder: Path) -> None:
    """Flush the folder entry of a rename to disk where the system allows it (not on Windows)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def atomic_write_text(path: str | os.PathLike[str], text: str, encoding: str = "utf-8") -> Path:
    """Write ``text`` atomically (see :func:`atomic_write_bytes`); line ends are kept as given."""
    return atomic_write_bytes(path, text.encode(encoding))


def save_document(
    path: str | os.PathLike[str], kind: str, schema_version: int, payload: dict[str, Any]
) -> Path:
    """Save ``payload`` as JSON tagged with its ``kind`` and ``schema_version``, atomically."""
    document = {"kind": kind, "schema_version": schema_version, **payload}
    return atomic_write_text(path, json.dumps(document, ensure_ascii=False, indent=2) + "\n")


def load_document(path: str | os.PathLike[str], kind: str, schema_version: int) -> dict[str, Any]:
    """Read a document written by :func:`save_document`, checking its kind and version."""
    source = Path(path)
    try:
        text = source.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(
            Problem(
                "the file does not exist",
                "check the name, or save first",
                source=source.name,
            )
        ) from None
    except UnicodeDecodeError:
        raise InputError(
            Problem(
                "the file is not UTF-8 text", "choose a file saved by this tool", source=source.name
            )
        ) from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            Problem(
                f"the file is not valid JSON (line {exc.lineno}, column {exc.colno})",
                "choose a file saved by this tool, or restore an earlier copy",
                source=source.name,
            )
        ) from None
    if not isinstance(document, dict) or document.get("kind") != kind:
        found = document.get("kind") if isinstance(document, dict) else type(document).__name__
        raise InputError(
            Problem(
                f"this is not a saved {kind} file",
                f"choose a file saved by the {kind} tool",
                column="kind",
                value=found,
                source=source.name,
            )
        )
    version = document.get("schema_version")
    if not isinstance(version, int) or version > schema_version or version < 1:
        raise InputError(
            Problem(
                f"unsupported schema version (this tool reads versions 1 to {schema_version})",
                "update the book's tools, or choose a file saved by this version",
                column="schema_version",
                value=version,
                source=source.name,
            )
        )
    return document


# ------------------------------------------------------------------ documents that are never lost

PREVIOUS_SUFFIX = ".previous"
STALE_TMP_SECONDS = 600


def fingerprint(path: str | os.PathLike[str]) -> str | None:
    """A hash of the file's bytes (None when there is no file): tells whether it changed."""
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except FileNotFoundError:
        return None


def previous_path(path: str | os.PathLike[str]) -> Path:
    """Where the version before the last save is kept: ``team.json`` -> ``team.previous.json``."""
    target = Path(path)
    return target.with_name(f"{target.stem}{PREVIOUS_SUFFIX}{target.suffix}")


def _aside_name(source: Path, reason: str) -> Path:
    """A free name ``<stem>.<reason>-<time>[-n]<suffix>`` beside ``source``."""
    stamp = datetime.now().strftime("%Y%m%dT%H%M%S")
    target = source.with_name(f"{source.stem}.{reason}-{stamp}{source.suffix}")
    counter = 1
    while target.exists():
        counter += 1
        target = source.with_name(f"{source.stem}.{reason}-{stamp}-{counter}{source.suffix}")
    return target


def set_aside(path: str | os.PathLike[str], reason: str = "corrupt") -> Path | None:
    """Copy a file that could not be read to ``<stem>.<reason>-<time><suffix>`` before any save."""
    return _put_aside(Path(path), reason, move=False)


def _put_aside(source: Path, reason: str, move: bool) -> Path | None:
    """Copy or move ``source`` to a free name beside it; None when there is no such file."""
    if not source.is_file():
        return None
    target = _aside_name(source, reason)
    if move:
        os.replace(source, target)
        _sync_folder(source.parent)
    else:
        shutil.copy2(source, target)
    return target


def remove_stale_temporary_files(folder: Path, name: str) -> int:
    """Remove ``.<name>.*.tmp`` left by saves that were killed, if untouched for ten minutes."""
    removed = 0
    now = time.time()
    for leftover in folder.glob(f".{name}.*.tmp"):
        try:
            if now - leftover.stat().st_mtime > STALE_TMP_SECONDS:
                leftover.unlink()
                removed += 1
        except OSError:
            continue  # another save may own it, or it is already gone
    return removed


def move_aside(path: str | os.PathLike[str], reason: str = "corrupt") -> Path | None:
    """Rename an unreadable file to ``<stem>.<reason>-<time><suffix>`` so listings skip it."""
    return _put_aside(Path(path), reason, move=True)


class ChangedElsewhere(InputError):
    """The saved file changed since this page read it (another page or window saved)."""


class DocumentStore:
    """One saved document (team, plans): load, save keeping the previous version, restore.

    A file that cannot be read is copied aside before anything overwrites it; a save refuses to
    replace a file that another page changed since this one read it, unless ``force`` is given.
    """

    def __init__(self, path: str | os.PathLike[str], kind: str, schema_version: int) -> None:
        self.path = Path(path)
        self.kind = kind
        self.schema_version = schema_version
        self.seen: str | None = None  # fingerprint of the file when this page last read/wrote it
        self.set_aside_as: Path | None = None

    @property
    def previous(self) -> Path:
        return previous_path(self.path)

    def exists(self) -> bool:
        return self.path.is_file()

    def load(self) -> dict[str, Any]:
        """Read the document; if it is damaged, keep a copy aside and say where it is."""
        current = fingerprint(self.path)
        try:
            document = load_document(self.path, self.kind, self.schema_version)
        except InputError as error:
            if current is not None and not self._is_from_a_newer_version(error):
                self.set_aside_as = set_aside(self.path)
                where = self.set_aside_as.name if self.set_aside_as else "?"
                raise InputError(
                    [
                        *error.problems,
                        Problem(
                            f"the file was kept unchanged, and a copy was put aside as {where}",
                            "restore the previous save, or start again; saving now will not "
                            "lose the copy",
                            source=self.path.name,
                        ),
                    ]
                ) from None
            raise
        self.seen = current
        return document

    @staticmethod
    def _is_from_a_newer_version(error: InputError) -> bool:
        return any(p.column == "schema_version" for p in error.problems)

    def changed_elsewhere(self) -> bool:
        """True if the file on disk is not the one this page last read or wrote."""
        return fingerprint(self.path) != self.seen

    def save(self, payload: dict[str, Any], *, force: bool = False) -> Path:
        """Save atomically, keeping the current file as the previous version."""
        current = fingerprint(self.path)
        if current is not None and current != self.seen and not force:
            raise ChangedElsewhere(
                Problem(
                    "the saved file changed since this page loaded it (another page or window "
                    "saved it)",
                    "load it to see those changes, or save again to replace it (the other "
                    f"version is then kept as {self.previous.name})",
                    source=self.path.name,
                )
            )
        if current is not None:
            try:
                load_document(self.path, self.kind, self.schema_version)
            except InputError as error:
                if self._is_from_a_newer_version(error):
                    raise InputError(
                        Problem(
                            "the saved file was written by a newer version of this tool",
                            "update the book's tools before saving, so that file is not lost",
                            source=self.path.name,
                        )
                    ) from None
                set_aside(self.path)
            atomic_write_bytes(self.previous, self.path.read_bytes())
        remove_stale_temporary_files(self.path.parent, self.path.name)
        written = save_document(self.path, self.kind, self.schema_version, payload)
        self.seen = fingerprint(written)
        return written

    def restore_previous(self) -> dict[str, Any]:
        """Swap the previous version back in (the current one becomes the previous)."""
        if not self.previous.is_file():
            raise InputError(
                Problem(
                    "there is no previous version yet",
                    "a previous version is kept from the second save on",
                    source=self.previous.name,
                )
            )
        document = load_document(self.previous, self.kind, self.schema_version)
        older = self.previous.read_bytes()
        if self.path.is_file():
            atomic_write_bytes(self.previous, self.path.read_bytes())
        atomic_write_bytes(self.path, older)
        self.seen = fingerprint(self.path)
        return document


# What the tools keep in the data folder; "Delete my data" removes exactly these.
SAVED_PATTERNS = (
    "team.json",
    "team.*.json",
    "example-team.json",
    "example-team.*.json",
    "team-export.csv",
    "team-snapshot-*.json",
    "team-history-export.csv",
    "plans.json",
    "plans.*.json",
    "exports/*",
    ".*.tmp",
)


def delete_saved_data(folder: str | os.PathLike[str]) -> list[str]:
    """Delete every file the tools saved in ``folder`` (and nothing else); return their names."""
    base = Path(folder)
    removed = []
    for pattern in SAVED_PATTERNS:
        for path in sorted(base.glob(pattern)):
            if path.is_file():
                path.unlink()
                removed.append(str(path.relative_to(base)))
    exports = base / "exports"
    if exports.is_dir() and not any(exports.iterdir()):
        exports.rmdir()
    return removed


# ------------------------------------------------------------------------ dated snapshots (history)

MAX_SNAPSHOTS = 120
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def newer_version_problem(
    version: object, schema_version: int, what: str, source: str | None
) -> Problem:
    """The one message for a file written by a newer version of the tools: update first."""
    return Problem(
        f"this {what} was made by a newer version of the tools (schema version {version}; this "
        f"version reads 1 to {schema_version})",
        "update the book's tools to use it; the file is kept unchanged",
        column="schema_version",
        value=version,
        source=source,
    )


class SnapshotStore:
    """Dated copies of a document beside it: one per day, the day's latest save.

    A snapshot is ``<folder>/<prefix>-YYYY-MM-DD.json``, written atomically by
    :func:`save_document`; saving again on the same day replaces that day's copy, earlier days are
    kept. At most ``limit`` are kept: beyond it the oldest but one goes, so the first snapshot
    (the baseline) stays. A copy that cannot be read is moved aside (it no longer matches the
    name pattern); one from a newer version of the tools is refused and left alone. No
    sub-folder is made: in the live apps every new folder makes the browser's storage ask the
    site for a listing it does not have.
    """

    def __init__(
        self,
        folder: str | os.PathLike[str],
        prefix: str,
        kind: str,
        schema_version: int,
        *,
        limit: int = MAX_SNAPSHOTS,
    ) -> None:
        if limit < 2:
            raise ValueError("keep at least two snapshots (a baseline and the latest)")
        self.folder = Path(folder)
        self.prefix = prefix
        self.kind = kind
        self.schema_version = schema_version
        self.limit = limit

    def path_for(self, day: date | str) -> Path:
        """Where the snapshot of ``day`` (a date or ``YYYY-MM-DD``) is kept."""
        text = day.isoformat() if isinstance(day, date) else str(day)
        if not _DAY.match(text):
            raise InputError(
                Problem(
                    "a snapshot date looks like 2026-12-31", "pick a listed snapshot", value=day
                )
            )
        return self.folder / f"{self.prefix}-{text}.json"

    def day_of(self, path: Path) -> str:
        """The ``YYYY-MM-DD`` a snapshot file is for (from its name)."""
        return path.stem[len(self.prefix) + 1 :]

    def paths(self) -> list[Path]:
        """The snapshot files, oldest first (set-aside copies and temporary files excluded)."""
        if not self.folder.is_dir():
            return []
        found = []
        for path in self.folder.glob(f"{self.prefix}-*.json"):
            day = self.day_of(path)
            if _DAY.match(day) and path.is_file():
                try:
                    date.fromisoformat(day)
                except ValueError:
                    continue
                found.append(path)
        return sorted(found, key=self.day_of)

    def days(self) -> list[str]:
        """The days that have a snapshot, oldest first."""
        return [self.day_of(path) for path in self.paths()]

    def save(self, payload: dict[str, Any], *, now: datetime | None = None) -> Path:
        """Keep ``payload`` as the snapshot of today (local time), replacing today's earlier one."""
        moment = now or datetime.now().astimezone()
        day = moment.date().isoformat()
        target = self.path_for(day)
        if target.is_file():
            version = self._version_of(target)
            if isinstance(version, int) and version > self.schema_version:
                raise InputError(
                    newer_version_problem(version, self.schema_version, "snapshot", target.name)
                )
        self.folder.mkdir(parents=True, exist_ok=True)
        remove_stale_temporary_files(self.folder, target.name)
        document = {"date": day, "saved_at": moment.isoformat(timespec="seconds"), **payload}
        written = save_document(target, self.kind, self.schema_version, document)
        self._trim()
        return written

    @staticmethod
    def _version_of(path: Path) -> object:
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return document.get("schema_version") if isinstance(document, dict) else None

    def _trim(self) -> None:
        paths = self.paths()
        while len(paths) > self.limit:
            paths[1].unlink(missing_ok=True)
            del paths[1]

    def load(self, day: str) -> dict[str, Any]:
        """Read one snapshot; a damaged one is moved aside, a newer one refused (never lost)."""
        path = self.path_for(day)
        version = self._version_of(path)
        if isinstance(version, int) and version > self.schema_version:
            raise InputError(
                newer_version_problem(version, self.schema_version, "snapshot", path.name)
            )
        try:
            document = load_document(path, self.kind, self.schema_version)
        except InputError as error:
            if not path.is_file():
                raise
            raise self.set_aside(path, error.problems) from None
        document["date"] = day
        return document

    def set_aside(self, path: Path, problems: list[Problem]) -> InputError:
        """Move a snapshot that cannot be used aside; return the error that says where it went."""
        moved = move_aside(path)
        where = moved.name if moved else "?"
        return InputError(
            [
                *problems,
                Problem(
                    f"this snapshot cannot be used, so it was moved aside as {where}",
                    "nothing else changed; delete that file, or keep it to recover by hand",
                    source=path.name,
                ),
            ]
        )

    def delete(self, day: str) -> bool:
        """Delete the snapshot of ``day``; True if there was one."""
        path = self.path_for(day)
        if not path.is_file():
            return False
        path.unlink()
        _sync_folder(self.folder)
        return True

    def delete_all(self) -> list[str]:
        """Delete every snapshot, set-aside copies and unfinished temporary files included."""
        if not self.folder.is_dir():
            return []
        removed = []
        for pattern in (f"{self.prefix}-*.json", f".{self.prefix}-*.tmp"):
            for path in sorted(self.folder.glob(pattern)):
                if path.is_file():
                    path.unlink()
                    removed.append(path.name)
        _sync_folder(self.folder)
        return removed
