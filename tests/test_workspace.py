"""The committee's workspace in ``analytics``: roles checked by every write function,
local accounts and lock-out, the account commands, judgments and votes saved with an audit
entry per value and undone, imports recorded with their actor, the demo flag, backup and
restore. The pages' side is in test_pages_workspace.py."""

from __future__ import annotations

import contextlib
import hashlib
import io
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from analytics import cli
from analytics.access import ROLES, Actor, command_line_actor
from analytics.demo import build_demo_store
from analytics.errors import (
    EXIT_INPUT,
    EXIT_OK,
    ConflictingChange,
    InputRejected,
    PermissionDenied,
    SignInFailed,
    StoreBusy,
    UsageError,
)
from analytics.ingest.edits import Change, save_changes, undo_save
from analytics.ingest.importer import run_import
from analytics.plans.loading import load_plan
from analytics.rules.shortlist import evaluate_review
from analytics.store import accounts as acc
from analytics.store.audit_trail import audit_count, audit_rows
from analytics.store.backup import backup, restore
from analytics.store.connection import open_store
from analytics.store.meta import get_meta, store_version
from tests._datasets import DEMO_ST, RE_ID, ROOT, TEST_ADMIN

EDITOR = Actor("thuky", "editor")
VIEWER = Actor("lanhdao", "viewer")
NOTE = "Biên bản họp ngày 12/03/2026"
PASSWORD = "mat-khau-dai-1"


def whole_file(path: Path) -> dict[str, str]:
    """Every table of a store file (also accounts and the audit trail) as a hash of its
    sorted rows: what "nothing written" is checked against."""
    with open_store(path, read_only=True) as con:
        names = [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()]
        return {
            n: hashlib.sha256(
                repr(sorted(map(repr, con.execute(f'SELECT * FROM "{n}"').fetchall()))).encode()
            ).hexdigest()
            for n in names
        }


@pytest.fixture
def store(demo_copy) -> Path:
    return demo_copy(RE_ID)


def run_cli(*args: str, stdin: str = "") -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    old = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            rc = cli.main(list(args))
    finally:
        sys.stdin = old
    return rc, out.getvalue() + err.getvalue()


def status(store: Path, review: str, award: str, category: str, subject: str) -> tuple[str, str]:
    with open_store(store, read_only=True) as con:
        t = evaluate_review(con, load_plan(RE_ID), review).to_pylist()
    row = next(
        r for r in t if (r["award"], r["category"], r["subject_id"]) == (award, category, subject)
    )
    return row["status"], row["reasons"]


# --- roles: every write function refuses a role that may not write -------------------------


def _writes(store: Path, tmp_path: Path):
    """Each write function of analytics, called as ``actor`` (name, minimum role, call)."""
    backup_file = tmp_path / "b.duckdb"
    backup(store, backup_file)

    def account(fn):
        def call(actor):
            with open_store(store) as con:
                fn(con, actor)

        return call

    return [
        (
            "add_account",
            "admin",
            account(lambda c, a: acc.add_account(c, a, "moi", "viewer", PASSWORD)),
        ),
        ("set_role", "admin", account(lambda c, a: acc.set_role(c, a, "thuky", "admin"))),
        (
            "set_password",
            "admin",
            account(lambda c, a: acc.set_password(c, a, "thuky", PASSWORD + "x")),
        ),
        ("set_disabled", "admin", account(lambda c, a: acc.set_disabled(c, a, "thuky"))),
        ("unlock", "admin", account(lambda c, a: acc.unlock(c, a, "thuky"))),
        (
            "set_email_role",
            "admin",
            account(lambda c, a: acc.set_email_role(c, a, "a@b.vn", "viewer")),
        ),
        ("run_import", "admin", lambda a: run_import(DEMO_ST / "units.csv", store, actor=a)),
        ("build_demo_store", "admin", lambda a: build_demo_store(RE_ID, store, a)),
        ("restore", "admin", lambda a: restore(a, backup_file, store)),
        (
            "save_changes",
            "editor",
            lambda a: save_changes(
                store,
                a,
                [Change("unit_judgments", "so-ket-2025", "snv", "outstanding", "không")],
                NOTE,
            ),
        ),
        ("undo_save", "editor", lambda a: undo_save(store, a, 1, NOTE)),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_every_write_function_checks_the_role(store, tmp_path, role):
    with open_store(store) as con:
        acc.add_account(con, TEST_ADMIN, "thuky", "editor", PASSWORD)
    writes = _writes(store, tmp_path)
    rank = {"viewer": 0, "editor": 1, "admin": 2}
    refused = [(n, m, f) for n, m, f in writes if rank[role] < rank[m]]
    for name, _minimum, call in refused:
        before = whole_file(store)
        with pytest.raises(PermissionDenied, match="không được"):
            call(Actor(f"u-{role}", role))
        assert whole_file(store) == before, name
    if role == "viewer":
        assert len(refused) == len(writes)  # a viewer writes nothing at all
    if role == "admin":
        assert not refused


# --- accounts and sign-in ------------------------------------------------------------------


def admin_does(store: Path, fn, *args) -> None:
    """An account function called as the admin on a writable store connection."""
    with open_store(store) as con:
        fn(con, TEST_ADMIN, *args)


def test_sign_in_lock_out_and_unlock(store, monkeypatch):
    monkeypatch.setattr(acc, "MAX_FAILURES", 3)
    admin_does(store, acc.add_account, "thuky", "editor", PASSWORD)
    assert acc.sign_in(store, "thuky", PASSWORD) == Actor("thuky", "editor")
    assert acc.sign_in(store, " ThuKy ", PASSWORD).login == "thuky"
    with pytest.raises(SignInFailed, match="còn 2 lần"):
        acc.sign_in(store, "thuky", "sai-mat-khau")
    with pytest.raises(SignInFailed, match="còn 1 lần"):
        acc.sign_in(store, "thuky", "sai-mat-khau")
    with pytest.raises(SignInFailed, match="tạm khoá"):
        acc.sign_in(store, "thuky", "sai-mat-khau")
    with pytest.raises(SignInFailed, match="tạm khoá đến"):  # even the right password
        acc.sign_in(store, "thuky", PASSWORD)
    admin_does(store, acc.unlock, "thuky")
    assert acc.sign_in(store, "thuky", PASSWORD).role == "editor"
    # an unknown name gets the wrong password's message: names cannot be probed
    with pytest.raises(SignInFailed) as unknown:
        acc.sign_in(store, "khong-co", PASSWORD)
    assert str(unknown.value) == acc.WRONG
    admin_does(store, acc.set_disabled, "thuky")
    with pytest.raises(SignInFailed, match="vô hiệu hoá"):
        acc.sign_in(store, "thuky", PASSWORD)
    with open_store(store, read_only=True) as con:
        stored = con.execute("SELECT password_hash FROM accounts").fetchall()[0][0]
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


@pytest.mark.parametrize(
    ("login", "role", "password", "wanted"),
    [
        ("Thu Ky", "editor", PASSWORD, "tên đăng nhập"),
        ("thuky", "boss", PASSWORD, "vai trò 'boss' không có"),
        ("thuky", "editor", "ngan", "ít nhất 8"),
        ("thuky", "editor", "mat\x00khau-dai", "ký tự điều khiển"),
    ],
)
def test_bad_account_is_refused_and_nothing_written(store, login, role, password, wanted):
    before = whole_file(store)
    with open_store(store) as con, pytest.raises(UsageError, match=wanted):
        acc.add_account(con, TEST_ADMIN, login, role, password)
    assert whole_file(store) == before


def test_account_commands(store):
    db = str(store)
    assert (
        run_cli(
            "users",
            "add",
            "thuky",
            "--role",
            "editor",
            "--db",
            db,
            stdin=f"{PASSWORD}\n{PASSWORD}\n",
        )[0]
        == EXIT_OK
    )
    rc, text = run_cli(
        "users",
        "add",
        "thuky2",
        "--role",
        "editor",
        "--db",
        db,
        stdin=f"{PASSWORD}\nkhac-han-nhe\n",
    )
    assert rc == EXIT_INPUT and "không giống nhau" in text
    rc, text = run_cli(
        "users", "add", "x1", "--role", "boss", "--db", db, stdin=f"{PASSWORD}\n{PASSWORD}\n"
    )
    assert rc == EXIT_INPUT and "vai trò" in text
    rc, text = run_cli(
        "users", "add", "thuky", "--role", "viewer", "--db", db, stdin=f"{PASSWORD}\n{PASSWORD}\n"
    )
    assert rc == EXIT_INPUT and "đã có" in text
    assert run_cli("users", "set-role", "thuky", "--role", "admin", "--db", db)[0] == EXIT_OK
    new = "mat-khau-moi-2"
    assert (
        run_cli("users", "set-password", "thuky", "--db", db, stdin=f"{new}\n{new}\n")[0] == EXIT_OK
    )
    assert run_cli("users", "disable", "thuky", "--db", db)[0] == EXIT_OK
    rc, text = run_cli("users", "list", "--db", db)
    assert rc == EXIT_OK and "thuky" in text and "admin" in text and "vô hiệu hoá" in text
    assert PASSWORD not in text and "argon2" not in text
    with pytest.raises(SignInFailed):
        acc.sign_in(store, "thuky", new)
    assert run_cli("users", "enable", "thuky", "--db", db)[0] == EXIT_OK
    assert run_cli("users", "unlock", "thuky", "--db", db)[0] == EXIT_OK
    assert acc.sign_in(store, "thuky", new) == Actor("thuky", "admin")
    rc, text = run_cli("users", "disable", "khong-co", "--db", db)
    assert rc == EXIT_INPUT and "không có tài khoản" in text
    assert (
        run_cli("users", "email-role", "An@SNV.gov.vn", "--role", "viewer", "--db", db)[0]
        == EXIT_OK
    )
    with open_store(store, read_only=True) as con:
        assert acc.role_of_email(con, "an@snv.gov.vn") == "viewer"
        assert acc.role_of_email(con, "khac@snv.gov.vn") is None
    rc, text = run_cli("audit", "--db", db)
    assert rc == EXIT_OK and command_line_actor().login in text and "thuky.role" in text


def test_password_is_never_an_argument(store):
    with pytest.raises(SystemExit) as exc, contextlib.redirect_stderr(io.StringIO()):
        cli.main(["users", "add", "x", "--role", "viewer", "--password", "abc", "--db", str(store)])
    assert exc.value.code == EXIT_INPUT


# --- judgments saved, audited, undone --------------------------------------------------------


def one(field: str, value: str, subject: str = "snv", review: str = "so-ket-2025") -> list[Change]:
    return [Change("unit_judgments", review, subject, field, value)]


THREE = [
    Change("unit_judgments", "so-ket-2025", "snv", field, "không")
    for field in ("head_directs", "outstanding", "has_initiative")
]


def test_three_judgments_change_the_shortlist_and_the_audit_and_undo(store):
    key = ("so-ket-2025", "certificate", "so_nganh", "snv")
    assert status(store, *key)[0] == "proposed"
    version = store_version_of(store)
    result = save_changes(store, EDITOR, THREE, NOTE)
    assert result.save_id is not None and len(result.entries) == 3
    assert store_version_of(store) == version + 1  # every cached read refreshes
    now, reasons = status(store, *key)
    assert now != "proposed" and "không đạt" in reasons
    with open_store(store, read_only=True) as con:
        rows = audit_rows(con, review="so-ket-2025", subject_id="snv")
    assert [(r[2], r[3], r[9], r[10], r[11], r[5]) for r in rows] == [
        ("thuky", "record", f, "có", "không", NOTE)
        for f in ("has_initiative", "head_directs", "outstanding")
    ]
    undo = undo_save(store, EDITOR, result.save_id, "nhập nhầm")
    assert undo.save_id == result.save_id + 1 and len(undo.entries) == 3
    assert status(store, *key)[0] == "proposed"
    with pytest.raises(ConflictingChange, match="đã được hoàn tác"):
        undo_save(store, EDITOR, result.save_id, "lần nữa")
    with open_store(store, read_only=True) as con:
        assert audit_rows(con, subject_id="snv")[0][6] == result.save_id  # the undo names it


def store_version_of(path: Path) -> int:
    with open_store(path, read_only=True) as con:
        return store_version(con)


def test_undo_is_refused_when_a_later_save_changed_the_same_value(store):
    first = save_changes(store, EDITOR, THREE[:1], NOTE)
    save_changes(
        store,
        EDITOR,
        [Change("unit_judgments", "so-ket-2025", "snv", "head_directs", "")],
        "sửa lại",
    )
    before = whole_file(store)
    with pytest.raises(ConflictingChange, match="head_directs của snv"):
        undo_save(store, EDITOR, first.save_id, "hoàn tác")
    assert whole_file(store) == before


def test_a_save_that_changes_nothing_writes_nothing(store):
    before = whole_file(store)
    same = [Change("unit_judgments", "so-ket-2025", "snv", "outstanding", "có")]  # as stored
    assert save_changes(store, EDITOR, same, NOTE).save_id is None
    assert whole_file(store) == before


@pytest.mark.parametrize(
    ("changes", "note", "error", "wanted"),
    [
        (THREE, "  ", UsageError, "ghi căn cứ"),
        (
            [
                Change("person_judgments", "2023", "p01", "votes_for", "20"),
                Change("person_judgments", "2023", "p01", "council_members", "15"),
            ],
            NOTE,
            InputRejected,
            "số phiếu đồng ý lớn hơn số thành viên",
        ),
        (one("outstanding", "có", "khong-co", "so-ket-2025"), NOTE, InputRejected, "khong-co"),
        (one("outstanding", "có", "snv", "so-ket-2099"), NOTE, InputRejected, "so-ket-2099"),
        (one("outstanding", "có lẽ", "snv", "so-ket-2025"), NOTE, InputRejected, "đúng/sai"),
        (one("discipline", "bi-phat", "snv", "so-ket-2025"), NOTE, InputRejected, "discipline"),
        ([Change("units", "so-ket-2025", "snv", "name", "X")], NOTE, UsageError, "không ghi được"),
        (one("unit_id", "X", "snv", "so-ket-2025"), NOTE, UsageError, "không ghi được"),
    ],
)
def test_bad_save_is_refused_and_nothing_written(store, changes, note, error, wanted):
    before = whole_file(store)
    with pytest.raises(error, match=wanted):
        save_changes(store, EDITOR, changes, note)
    assert whole_file(store) == before


def test_votes_undo_restores_an_imported_percentage(store):
    def votes():
        with open_store(store, read_only=True) as con:
            return con.execute(
                "SELECT votes_for, council_members, CAST(votes_pct AS VARCHAR) FROM person_judgments "
                "WHERE review = '2023' AND person_id = 'p01'"
            ).fetchall()[0]

    before = votes()
    assert before[0] is None and before[2] is not None  # imported as a percentage
    r = save_changes(
        store,
        EDITOR,
        [
            Change("person_judgments", "2023", "p01", "votes_for", "12"),
            Change("person_judgments", "2023", "p01", "council_members", "15"),
        ],
        NOTE,
    )
    assert votes() == (12, 15, "80.00")
    assert {e.field for e in r.entries} == {"votes_for", "council_members", "votes_pct"}
    undo_save(store, EDITOR, r.save_id, "hoàn tác")
    assert votes() == before


def test_two_editors_saving_at_once_both_end_audited(store):
    errors: list[BaseException] = []

    def save(field: str) -> None:
        try:
            save_changes(
                store,
                EDITOR,
                [Change("unit_judgments", "so-ket-2025", "sct", field, "không")],
                NOTE,
            )
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=save, args=(f,)) for f in ("outstanding", "has_initiative")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    with open_store(store, read_only=True) as con:
        rows = audit_rows(con, subject_id="sct")
        assert {r[9] for r in rows} == {"outstanding", "has_initiative"}
        assert len({r[0] for r in rows}) == 2


HOLD = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])
print("held", flush=True)
time.sleep(float(sys.argv[2]))
con.close()
"""


def test_a_second_writer_gets_store_busy_and_nothing_written(store, monkeypatch):
    monkeypatch.setattr("analytics.store.connection.LOCK_WAIT_S", 0.5)
    before = whole_file(store)
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(store), "4"], stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
        with pytest.raises(StoreBusy, match="đang được sử dụng"):
            save_changes(store, EDITOR, THREE, NOTE)
    finally:
        proc.wait(timeout=30)
    assert whole_file(store) == before


# --- imports carry their actor; the demo flag --------------------------------------------------


def test_imports_are_recorded_with_their_actor_and_clear_the_demo_flag(store, tmp_path):
    with open_store(store, read_only=True) as con:
        assert get_meta(con, "demo_mode") == "1"
        assert con.execute("SELECT actor FROM import_log").fetchall() == [(TEST_ADMIN.login,)]
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(ROOT / "data" / "demo" / RE_ID / "units.csv", folder / "units.csv")
    rc, text = run_cli("import", str(folder), "--db", str(store))
    assert rc == EXIT_OK, text
    with open_store(store, read_only=True) as con:
        assert get_meta(con, "demo_mode") == "0"
        last = con.execute(
            "SELECT actor FROM import_log ORDER BY import_id DESC LIMIT 1"
        ).fetchall()
    assert last == [(command_line_actor().login,)]


def test_demo_into_an_existing_store_does_not_turn_demo_mode_on(store, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(ROOT / "data" / "demo" / RE_ID / "units.csv", folder / "units.csv")
    run_import(folder, store, actor=TEST_ADMIN)
    build_demo_store(RE_ID, store, TEST_ADMIN)
    with open_store(store, read_only=True) as con:
        assert get_meta(con, "demo_mode") == "0"


# --- backup and restore ----------------------------------------------------------------------


def test_backup_restore_round_trip_keeps_every_table(store, tmp_path):
    with open_store(store) as con:
        acc.add_account(con, TEST_ADMIN, "thuky", "editor", PASSWORD)
    save_changes(store, EDITOR, THREE, NOTE)
    rc, text = run_cli("backup", "--db", str(store), "--out", str(tmp_path / "b.duckdb"))
    assert rc == EXIT_OK, text
    original = whole_file(store)
    version = store_version_of(store)
    assert whole_file(tmp_path / "b.duckdb") == original
    save_changes(
        store,
        EDITOR,
        [Change("unit_judgments", "so-ket-2025", "sct", "outstanding", "không")],
        NOTE,
    )
    rc, text = run_cli("restore", str(tmp_path / "b.duckdb"), "--db", str(store))
    assert rc == EXIT_OK, text
    restored = whole_file(store)
    assert {k: v for k, v in restored.items() if k not in ("audit_saves", "meta")} == {
        k: v for k, v in original.items() if k not in ("audit_saves", "meta")
    }
    with open_store(store, read_only=True) as con:
        assert audit_rows(con)[0][3] == "restore"
        assert store_version(con) > version + 1  # above every version the store had
    assert acc.sign_in(store, "thuky", PASSWORD) == EDITOR  # accounts came back with it


@pytest.mark.parametrize("content", [b"", b"not a store", None])
def test_restore_of_a_file_that_is_not_a_backup_changes_nothing(store, tmp_path, content):
    bad = tmp_path / "bad.duckdb"
    if content is None:  # a DuckDB file that is not a store of this software
        import duckdb

        duckdb.connect(str(bad)).close()
    else:
        bad.write_bytes(content)
    before = whole_file(store)
    rc, text = run_cli("restore", str(bad), "--db", str(store))
    assert rc == EXIT_INPUT and "không phải bản sao lưu" in text, text
    assert whole_file(store) == before


def test_audit_command_filters_and_writes_csv(store):
    save_changes(store, EDITOR, THREE, NOTE)
    save_changes(
        store,
        EDITOR,
        [Change("person_judgments", "2023", "p01", "outstanding", "không")],
        "=cmd|' /C calc'!A0",
    )
    rc, text = run_cli("audit", "--db", str(store), "--review", "2023", "--csv")
    assert rc == EXIT_OK
    lines = text.strip().splitlines()
    assert lines[0].startswith("save_id,saved_at,actor")
    assert len(lines) == 2 and "p01" in lines[1] and "'=cmd" in lines[1]
    with open_store(store, read_only=True) as con:
        assert audit_count(con, review="so-ket-2025") == 3


def test_backup_bytes_are_a_whole_store(store, tmp_path):
    from analytics.store.backup import backup_bytes

    copy = tmp_path / "tai-ve.duckdb"
    copy.write_bytes(backup_bytes(store))
    assert whole_file(copy) == whole_file(store)


# --- registrations and the register of awards granted, on screen -----------------------------


def test_a_registration_is_saved_audited_and_undone(demo_copy):
    import datetime as dt

    from analytics.plans.loading import load_plan as plan_of
    from analytics.views import registration
    from tests._datasets import NQ_ID

    store = demo_copy(NQ_ID)
    plan = plan_of(NQ_ID)
    changes = registration.changes_for(
        2023,
        "unit",
        "hlhpn",
        ["lao_dong_tien_tien"],
        ["giay_khen_huyen"],
        dt.date(2023, 2, 16),
        "qua bưu điện",
    )
    result = save_changes(store, EDITOR, changes, NOTE)
    assert {(e.review, e.subject_id) for e in result.entries} == {("2023", "unit:hlhpn")}
    with open_store(store, read_only=True) as con:
        regs = registration.registrations(con, plan, 2023)
    added = next(r for r in regs if r.subject == "hlhpn")
    assert added.forms == ("giay_khen_huyen",) and added.late and added.note == "qua bưu điện"
    undo_save(store, EDITOR, result.save_id, "nhầm")
    with open_store(store, read_only=True) as con:
        row = con.execute(
            "SELECT titles, forms, registered_on, note FROM registrations WHERE subject = 'hlhpn'"
        ).fetchall()
    assert row == [(None, None, None, None)]  # nothing is deleted: the row stays, emptied


def test_an_award_granted_is_saved_and_read_by_the_next_review(store):
    import datetime as dt

    from analytics.views import granted

    changes = granted.changes_for(
        "2023", "certificate", "snv", form=None, decision_no="12/QĐ-UBND",
        decided_on=dt.date(2024, 6, 5), authority="Chủ tịch UBND tỉnh",
    )  # fmt: skip
    assert save_changes(store, EDITOR, changes, NOTE).save_id is not None
    with open_store(store, read_only=True) as con:
        found = granted.granted_before(con, load_plan(RE_ID), "so-ket-2025")
    assert [g.subject_id for g in found] == ["snv"] and "12/QĐ-UBND" in found[0].text


@pytest.mark.parametrize(
    ("change", "wanted"),
    [
        (Change("registrations", "2023", "hlhpn", "forms", "giay_khen_huyen"), "không đủ"),
        (Change("awards_granted", "2023", "certificate:khong-co", "authority", "X"), "khong-co"),
        (Change("awards_granted", "2023", "khong-co:snv", "authority", "X"), "khong-co"),
    ],
)
def test_a_bad_register_entry_is_refused(store, change, wanted):
    before = whole_file(store)
    with pytest.raises((UsageError, InputRejected), match=wanted):
        save_changes(store, EDITOR, [change], NOTE)
    assert whole_file(store) == before


def test_sign_in_without_a_store_is_a_message(tmp_path):
    with pytest.raises(SignInFailed, match="chưa có tài khoản"):
        acc.sign_in(tmp_path / "khong-co.duckdb", "quantri", PASSWORD)
