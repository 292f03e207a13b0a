"""Writing files without ever leaving a half-written one or silently losing an old one.

Every output goes to a temporary file in the target's folder and is moved into place with
os.replace (atomic on one file system). An existing file is first copied to a backup beside it
(`name.bak.xlsx`, one backup replaced on each run) — through a temporary file too, so the old
backup is never half replaced. A target that Excel holds open (a `~$name` lock file beside
it, or a failing replace on Windows) gives one clear error and leaves both files untouched.

Killed at any moment (SIGKILL, a power cut of the process), a write leaves the target as it
was or complete, never half written; what it may leave is a temporary `.houqin-*` file, which
the folder reader never reads (read/files.py skips dotfiles) and the next write into that
folder removes once it is an hour old.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import InputError


def backup_path(target: Path) -> Path:
    """`核对报告.xlsx` → `核对报告.bak.xlsx`: one backup, the file as it was before this run
    replaced it (a new run replaces the old backup rather than piling up .bak2, .bak3 …)."""
    return target.with_name(target.stem + ".bak" + target.suffix)


def _locked(target: Path) -> bool:
    return (target.parent / ("~$" + target.name)).exists()


def write_bytes_atomic(target: Path, data: bytes, backup: bool = True) -> Path | None:
    """Write data to target atomically; return the backup made of an existing file, if any."""
    target = Path(target)
    if target.parent and not target.parent.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
    if _locked(target):
        raise InputError(f"文件正在Excel中打开，请先关闭 / file is open in Excel, close it first: {target}")
    made = None
    _remove_stale_temporaries(target.parent)
    tmp_name = _temporary(target, lambda fh: fh.write(data))
    with _removed_on_failure(tmp_name, target):
        if backup and target.exists():
            made = backup_path(target)
            copy = _temporary(made, lambda fh: _copy_into(target, fh))
            try:
                shutil.copystat(target, copy)
                os.replace(copy, made)
            except BaseException:
                Path(copy).unlink(missing_ok=True)
                raise
        os.replace(tmp_name, target)
    return made


@contextmanager
def _removed_on_failure(tmp_name: str, target: Path) -> Iterator[None]:
    """The temporary file is removed if the block fails; a file Excel (or anything) holds
    is one clear error naming the target."""
    try:
        yield
    except PermissionError as exc:
        Path(tmp_name).unlink(missing_ok=True)
        raise InputError(f"无法写入（文件可能已打开）/ cannot write, file may be open: {target}") from exc
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


TEMP_PREFIX = ".houqin-"
STALE_SECONDS = 3600


def _temporary(beside: Path, fill) -> str:
    """A complete, synced temporary file in beside's folder, named as a dotfile."""
    fd, tmp_name = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=beside.suffix, dir=beside.parent)
    with _removed_on_failure(tmp_name, beside):
        with os.fdopen(fd, "wb") as fh:
            fill(fh)
            fh.flush()
            os.fsync(fh.fileno())
        # mkstemp makes the file private (0600); an output is an ordinary file like any other.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp_name, 0o666 & ~umask)
    return tmp_name


def _copy_into(source: Path, fh) -> None:
    with source.open("rb") as src:
        shutil.copyfileobj(src, fh, 1 << 20)


def _remove_stale_temporaries(folder: Path) -> None:
    """Temporary files a killed run left here, once they are an hour old (a run writing now
    is never that slow to move its file into place)."""
    import time

    try:
        entries = list(folder.glob(TEMP_PREFIX + "*"))
    except OSError:
        return
    now = time.time()
    for entry in entries:
        try:
            if entry.is_file() and now - entry.stat().st_mtime > STALE_SECONDS:
                entry.unlink()
        except OSError:
            continue
