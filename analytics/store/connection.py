"""Connecting to a store file: waiting for other processes, one kind of access at a time.

DuckDB lets one process hold a file for writing while every other process waits (read-only
ones too), and one process cannot mix read-only and read-write connections to a file.
So reads open the file read-only for the moment of a query, writes open it writable for
the moment of a write, and inside a process a readers-writer lock keeps the two apart.
A writer that finds the file held by another process waits ``LOCK_WAIT_S`` seconds
(``THIDUA_LOCK_WAIT``, default 3), then gets ``StoreBusy``, changing nothing.
"""

from __future__ import annotations

import functools
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import duckdb

from analytics.errors import EXIT_STORE, StoreBusy, StoreUnusable, ThiduaError
from analytics.store.contract import DATA_TABLES
from analytics.store.meta import StoreRef, store_version
from analytics.store.schema import (
    SCHEMA_VERSION,
    check_not_newer,
    install_macros,
    is_current,
    migrate,
    schema_version,
)

DATA_DIR = Path(__file__).resolve().parent.parent.parent / "data"
LOCK_WAIT_S = float(os.environ.get("THIDUA_LOCK_WAIT", "3"))
Connection = duckdb.DuckDBPyConnection
T = TypeVar("T")


class _ReadersWriter:
    """Many readers or one writer at a time, within this process."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._writing = False

    @contextmanager
    def reading(self) -> Iterator[None]:
        with self._cond:
            self._cond.wait_for(lambda: not self._writing)
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                self._cond.notify_all()

    @contextmanager
    def writing(self) -> Iterator[None]:
        with self._cond:
            self._cond.wait_for(lambda: not self._writing and self._readers == 0)
            self._writing = True
        try:
            yield
        finally:
            with self._cond:
                self._writing = False
                self._cond.notify_all()


_ACCESS: dict[str, _ReadersWriter] = {}
_ACCESS_LOCK = threading.Lock()


def _access(path: Path | str) -> _ReadersWriter:
    """The readers-writer lock of one store file in this process."""
    key = os.path.realpath(path)
    with _ACCESS_LOCK:
        return _ACCESS.setdefault(key, _ReadersWriter())


def default_db_path(plan_id: str) -> Path:
    env = os.environ.get("THIDUA_DB")
    if env:
        return Path(env)
    return DATA_DIR / f"{plan_id}.duckdb"


def _is_lock_error(exc: Exception) -> bool:
    text = str(exc).lower()
    return "lock" in text and ("conflicting" in text or "could not set" in text)


RECOVERY = (
    "Không có gì bị thay đổi. Hãy khôi phục kho từ bản sao lưu gần nhất (README, mục "
    "“Khi kho dữ liệu không dùng được”), hoặc nhập lại dữ liệu vào một kho mới."
)
# (words of DuckDB's or the system's message, what they mean) — the first that matches.
_FAILURES = (
    ("no space left", "ổ đĩa đầy: không ghi được (giải phóng chỗ trống rồi thử lại)"),
    ("disk quota", "ổ đĩa hết hạn mức: không ghi được"),
    ("is a directory", "đường dẫn là một thư mục, không phải tệp kho dữ liệu"),
    ("not a valid duckdb database", "tệp không phải kho dữ liệu (rỗng hoặc định dạng khác)"),
    ("could not read enough bytes", "tệp kho bị cắt cụt (không đủ dữ liệu)"),
    ("corrupt", "tệp kho bị hỏng (dữ liệu không khớp mã kiểm tra)"),
    ("checksum", "tệp kho bị hỏng (dữ liệu không khớp mã kiểm tra)"),
    ("permission denied", "không có quyền đọc/ghi tệp kho"),
    ("read-only file system", "ổ đĩa chỉ cho đọc: không ghi được"),
    ("out of memory", "hết bộ nhớ hoặc hết chỗ tạm khi xử lý"),
    ("could not allocate", "hết bộ nhớ hoặc hết chỗ tạm khi xử lý"),
    ("failed to create directory", "không tạo được thư mục của kho hoặc thư mục tạm"),
    ("serializ", "tệp kho bị hỏng (không đọc được cấu trúc)"),
)


def store_failure(exc: BaseException, path: Path | str | None = None) -> StoreUnusable | None:
    """The user's error for a DuckDB or system error meaning the store (or the disk under
    it) cannot be used; None for anything else (an internal error)."""
    if isinstance(exc, StoreUnusable):
        return exc
    if not isinstance(exc, duckdb.Error | OSError | MemoryError):
        return None
    text = str(exc).lower()
    if isinstance(exc, MemoryError):
        text = "out of memory"
    for words, meaning in _FAILURES:
        if words in text:
            name = f" {Path(path).name}" if path is not None else ""
            return StoreUnusable(f"kho dữ liệu{name} không dùng được: {meaning}. {RECOVERY}")
    return None


INTERNAL_MESSAGE = (
    "Đã xảy ra lỗi nội bộ của phần mềm; dữ liệu trong kho không bị thay đổi. Hãy tải lại "
    "trang; nếu lỗi lặp lại, báo cho quản trị viên kèm thời điểm xảy ra (chi tiết đã ghi "
    "vào nhật ký máy chủ)."
)


def failure_message(exc: BaseException) -> tuple[str, str]:
    """(kind, Vietnamese message) of any error for a visitor, never a traceback or a path:
    kind 'busy' (try again), 'store' (the store cannot be used), 'input' (the user's to
    fix) or 'internal'."""
    if isinstance(exc, StoreBusy):
        return "busy", "Kho dữ liệu đang được sử dụng, thử lại sau ít giây."
    if (failure := store_failure(exc)) is not None:
        return "store", str(failure)
    if isinstance(exc, ThiduaError):
        return ("store" if exc.exit_code == EXIT_STORE else "input"), str(exc)
    return "internal", INTERNAL_MESSAGE


def _waiting(path: Path, wait_s: float | None, open_file: Callable[[], T]) -> T:
    """``open_file()``, retried while another process holds the file's lock, at most
    ``wait_s`` seconds (default ``LOCK_WAIT_S``); then StoreBusy, nothing changed."""
    deadline = time.monotonic() + (LOCK_WAIT_S if wait_s is None else wait_s)
    while True:
        try:
            return open_file()
        except duckdb.Error as exc:
            if not _is_lock_error(exc):
                failure = store_failure(exc, path)
                if failure is None:
                    raise
                raise failure from exc
            if time.monotonic() >= deadline:
                raise StoreBusy(
                    f"kho dữ liệu đang được sử dụng (store in use): {path.name} đang do "
                    "một tiến trình khác giữ; thử lại sau ít giây"
                ) from exc
            time.sleep(0.1)


def connect(
    path: Path | str, *, read_only: bool = False, wait_s: float | None = None
) -> Connection:
    """Open the file, waiting up to ``wait_s`` seconds for another process's lock."""
    path = Path(path)
    if read_only and not path.exists():
        raise FileNotFoundError(f"store {path} does not exist")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise store_failure(exc, path) or exc from exc
    return _waiting(path, wait_s, lambda: duckdb.connect(str(path), read_only=read_only))


def ensure_current(path: Path | str, *, wait_s: float | None = None) -> None:
    """Migrate an existing store of an older schema or older macros (a writable open for
    that moment)."""
    with _access(path).reading():
        probe = connect(path, read_only=True, wait_s=wait_s)
        try:
            version = schema_version(probe)
            current = version == SCHEMA_VERSION and is_current(probe)
        finally:
            probe.close()
    check_not_newer(version)
    if not current:
        with open_store(path, wait_s=wait_s):
            pass


@contextmanager
def open_store(
    path: Path | str, *, read_only: bool = False, wait_s: float | None = None
) -> Iterator[Connection]:
    """Open (creating and migrating if writable) and always close the store.

    A read-only open of a store of an older schema migrates it first (a writable open
    for the moment of the migration).
    """
    if read_only:
        for attempt in (1, 2):
            with _access(path).reading():
                con = connect(path, read_only=True, wait_s=wait_s)
                try:
                    check_not_newer(schema_version(con))
                    if is_current(con) or attempt == 2:
                        yield con
                        return
                finally:
                    con.close()
            ensure_current(path, wait_s=wait_s)  # an older store: migrate, then read
        return
    with _access(path).writing():
        con = connect(path, wait_s=wait_s)
        try:
            migrate(con)
            yield con
        finally:
            con.close()


@contextmanager
def reading_lock(path: Path | str) -> Iterator[None]:
    """This process's readers' side of the store's lock (a read-only ATTACH made inside it
    gets the other processes' side from DuckDB)."""
    with _access(path).reading():
        yield


@contextmanager
def replacing(path: Path | str, *, wait_s: float | None = None) -> Iterator[None]:
    """Exclusive hold of a store file while it is replaced by another (a restore): this
    process's writer lock, and the file opened writable so that no other process is writing
    it meanwhile. A file that cannot be opened (damaged: what a restore is for) is held by
    the process lock alone."""
    with _access(path).writing():
        con: Connection | None = None
        if Path(path).exists():
            try:
                con = connect(path, wait_s=wait_s)
            except StoreUnusable:
                con = None
        try:
            yield
        finally:
            if con is not None:
                con.close()


def new_scratch() -> Connection:
    """An empty in-memory database to stage an import in (see ``reading_beside``)."""
    return duckdb.connect()


@contextmanager
def reading_beside(
    mem: Connection, store: Path | str, *, wait_s: float | None = None
) -> Iterator[None]:
    """The store attached read-only to ``mem``, its tables visible as views under their own
    names (an import's references and changes are checked against them); without a store
    file, the views read an empty schema."""
    path = Path(store)
    if not path.exists():
        mem.execute("ATTACH ':memory:' AS store")
        migrate_in(mem, "store")
        try:
            with _views_of_store(mem):
                yield
        finally:
            mem.execute("DETACH store")
        return
    ensure_current(path, wait_s=wait_s)
    with _access(path).reading():
        _attach(mem, path, read_only=True, wait_s=wait_s)
        try:
            with _views_of_store(mem):
                yield
        finally:
            mem.execute("DETACH store")


@contextmanager
def writing_beside(
    mem: Connection, store: Path | str, *, wait_s: float | None = None
) -> Iterator[None]:
    """The store attached writable to ``mem`` (created and migrated if new) and made the
    default database, for the moment of a write: ``mem``'s temp tables stay readable."""
    path = Path(store)
    path.parent.mkdir(parents=True, exist_ok=True)
    with _access(path).writing():
        _attach(mem, path, read_only=False, wait_s=wait_s)
        try:
            mem.execute("USE store")
            migrate(mem)
            yield
        finally:
            mem.execute("USE memory")
            mem.execute("DETACH store")


def migrate_in(mem: Connection, catalog: str) -> None:
    mem.execute(f"USE {catalog}")
    try:
        migrate(mem)
    finally:
        mem.execute("USE memory")


@contextmanager
def _views_of_store(mem: Connection) -> Iterator[None]:
    tables = (*DATA_TABLES, "meta", "import_log", "audit_saves", "audit_entries")
    for table in tables:
        mem.execute(f"CREATE OR REPLACE TEMP VIEW {table} AS SELECT * FROM store.{table}")
    install_macros(mem)  # after the views: a table macro binds its tables when created
    try:
        yield
    finally:
        for table in tables:
            mem.execute(f"DROP VIEW IF EXISTS temp.{table}")


def _attach(mem: Connection, path: Path, *, read_only: bool, wait_s: float | None) -> None:
    mode = " (READ_ONLY)" if read_only else ""
    _waiting(path, wait_s, lambda: mem.execute(f"ATTACH $p AS store{mode}", {"p": str(path)}))


def _signature(path: Path) -> tuple[int, ...]:
    """What changes whenever the file (or its WAL) is written or replaced: inode, size and
    modification time in ns of both. A restore (a new file renamed in) changes the inode."""
    out: list[int] = []
    for p in (path, Path(f"{path}.wal")):
        try:
            st = p.stat()
        except FileNotFoundError:
            out += [0, 0, 0]
            continue
        out += [st.st_ino, st.st_size, st.st_mtime_ns]
    return tuple(out)


@functools.lru_cache(maxsize=64)
def _version_at(path: str, signature: tuple[int, ...]) -> int:
    with open_store(path, read_only=True) as con:
        return store_version(con)


def store_ref(path: Path | str) -> StoreRef:
    """The store's path and version now (version 0 when there is no file yet). The version
    is read from ``meta`` only when the file changed since the last look (a stat)."""
    if not Path(path).exists():
        return StoreRef(str(path), 0)
    return StoreRef(str(path), _version_at(os.path.realpath(path), _signature(Path(path))))
