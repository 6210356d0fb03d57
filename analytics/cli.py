"""The command line: ``python -m analytics {import,validate,shortlist,demo} …``.

Exit codes: 0 ok; 2 bad input or usage (messages on stderr); 3 store busy or of a newer
schema; 1 internal error.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import traceback
import warnings
from pathlib import Path

from analytics import db
from analytics.plans import DEFAULT_PLAN_ID, PLANS_DIR, PlanError, load_plan

# analytics.importing / analytics.sources (and pyarrow, ~0,2 s to import) are loaded only by
# the commands that read files: `shortlist` starts without them.

EXIT_OK, EXIT_INTERNAL, EXIT_INPUT, EXIT_BUSY = 0, 1, 2, 3


class UsageError(Exception):
    """Bad arguments that argparse cannot see (exit 2)."""


def _db_path(args) -> Path:
    if args.db:
        return Path(args.db)
    plan_id = (
        args.plan if args.plan and (PLANS_DIR / f"{args.plan}.toml").exists() else DEFAULT_PLAN_ID
    )
    return db.default_db_path(plan_id)


def _plan_for_store(con, requested: str | None):
    """The plan a write uses: the store's, binding ``requested`` (or the default) if new."""
    bound = db.bound_plan_id(con)
    if bound is None:
        plan = load_plan(requested or DEFAULT_PLAN_ID)
        db.bind_plan(con, requested or DEFAULT_PLAN_ID)
        return plan
    if requested is not None and load_plan(requested).id != bound:
        raise UsageError(
            f"kho dữ liệu đã gắn với kế hoạch {bound}; không nhập theo kế hoạch {requested}"
        )
    return db.store_plan(con).plan


def _print_counts(result, out) -> None:
    print(f"{'bảng':<22}{'thêm mới':>10}{'cập nhật':>10}{'không đổi':>11}", file=out)
    for name, c in result.counts.items():
        print(f"{name:<22}{c.inserted:>10}{c.updated:>10}{c.unchanged:>11}", file=out)


def cmd_import(args) -> int:
    from analytics import importing

    path = _db_path(args)
    with db.open_store(path) as con:
        plan = _plan_for_store(con, args.plan)
        result = importing.import_dataset(con, Path(args.path), plan, source=str(args.path))
        print(f"Đã nhập {args.path} vào {path} (kế hoạch {plan.id}; {db.data_version(con)})")
        _print_counts(result, sys.stdout)
        if not result.is_change:
            print("Không có thay đổi: dữ liệu đã có sẵn trong kho.")
    return EXIT_OK


def cmd_validate(args) -> int:
    path = _db_path(args)
    if path.exists():
        with db.open_store(path, read_only=True) as con:
            plan = load_plan(args.plan) if args.plan else db.store_plan(con).plan
            counts = _validate_in_memory(con, args.path, plan, path)
    else:
        plan = load_plan(args.plan or DEFAULT_PLAN_ID)
        counts = _validate_in_memory(None, args.path, plan, None)
    print(
        f"Hợp lệ theo kế hoạch {plan.id}: " + ", ".join(f"{k} {v} dòng" for k, v in counts.items())
    )
    return EXIT_OK


def _validate_in_memory(store_con, dataset: str, plan, store_path: Path | None) -> dict[str, int]:
    """Validate against a copy-free view of the store: an in-memory database attaching it."""
    import duckdb

    from analytics import importing

    mem = duckdb.connect()
    try:
        if store_con is not None:
            store_con.close()
            mem.execute("ATTACH $p AS store (READ_ONLY)", {"p": str(store_path)})
            for table in db.DATA_TABLES:
                mem.execute(f"CREATE VIEW {table} AS SELECT * FROM store.{table}")
        else:
            db.migrate(mem)
        return importing.validate_dataset(mem, Path(dataset), plan)
    finally:
        mem.close()


def _check_out(out: str | None, fmt: str) -> None:
    """Refuse an --out that cannot be written before any work is done (exit 2)."""
    if out is None:
        if fmt != "csv":
            raise UsageError(f"--format {fmt} ghi ra tệp: hãy cho --out TỆP")
        return
    target = Path(out)
    if target.is_dir():
        raise UsageError(f"--out {out} là một thư mục; hãy cho tên tệp")
    if not target.parent.is_dir():
        raise UsageError(f"--out {out}: không có thư mục {target.parent}")


@contextlib.contextmanager
def _writing(out: str):
    """An OS error while writing --out is the user's to fix (exit 2), not an internal error."""
    try:
        yield
    except OSError as exc:
        raise UsageError(f"không ghi được {out}: {exc.strerror or exc}") from exc


def cmd_shortlist(args) -> int:
    from analytics.export import copy_shortlist_csv
    from analytics.shortlist import shortlist_sql

    _check_out(args.out, args.format)
    path = _db_path(args)
    if not path.exists():
        raise UsageError(
            f"không có kho dữ liệu {path}; hãy chạy 'python -m analytics import' hoặc 'demo' trước"
        )
    with db.open_store(path, read_only=True) as con:
        if args.plan:
            plan = load_plan(args.plan)
            db.check_plan_fits(con, plan)
        else:
            plan = db.store_plan(con).plan
        try:
            review = plan.review(args.review)
        except KeyError as exc:
            raise UsageError(str(exc.args[0])) from exc
        if args.format != "csv":
            return _write_document(con, plan, review, args)
        sql, params = shortlist_sql(plan, review)
        if not sql:  # a review with no awards: the header line alone
            sql = "SELECT * FROM (SELECT NULL AS review, NULL AS award, NULL AS category, NULL AS subject_id, NULL AS subject_name, NULL AS status, NULL AS rank, NULL AS window_avg, NULL AS reasons) WHERE false"
        if args.out:
            with _writing(args.out), open(args.out, "wb") as fh:
                rows = copy_shortlist_csv(con, sql, params, fh)
            print(f"Đã ghi {rows} dòng vào {args.out}", file=sys.stderr)
        else:
            sys.stdout.flush()
            copy_shortlist_csv(con, sql, params, sys.stdout.buffer)
            sys.stdout.buffer.flush()
    return EXIT_OK


def _write_document(con, plan, review, args) -> int:
    """The shortlist as an Excel workbook or the Word proposal list, written to --out."""
    from analytics import export, fmt
    from analytics.shortlist import evaluate_review

    stamp = export.stamp(plan.id, review.id, db.data_version(con))
    table = evaluate_review(con, plan, review.id)
    if args.format == "xlsx":
        from analytics.template import shortlist_xlsx_bytes

        data = shortlist_xlsx_bytes(
            table, stamp, title=f"Danh sách đề nghị khen thưởng — {review.label}"
        )
    else:
        from analytics.wordform import proposal_list_docx

        data = proposal_list_docx(con, table, plan, review, stamp)
    with _writing(args.out):
        Path(args.out).write_bytes(data)
    print(f"Đã ghi {args.out} ({fmt.num(len(data), 0)} byte)", file=sys.stderr)
    return EXIT_OK


def cmd_demo(args) -> int:
    from analytics.demo import build_demo_store, has_demo

    plan = load_plan(args.plan or DEFAULT_PLAN_ID)
    if not has_demo(plan.id):
        raise UsageError(f"kế hoạch {plan.id} không có bộ dữ liệu mẫu")
    path = Path(args.db) if args.db else db.default_db_path(plan.id)
    result = build_demo_store(plan.id, path)
    print(f"Kho dữ liệu mẫu {path} (kế hoạch {plan.id})")
    _print_counts(result, sys.stdout)
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m analytics",
        description="Thi đua CCHC: nhập dữ liệu, kiểm tra, lập danh sách đề nghị khen thưởng.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--db", help="tệp kho dữ liệu DuckDB (mặc định: $THIDUA_DB hoặc data/<kế hoạch>.duckdb)"
        )
        p.add_argument(
            "--plan", help="mã kế hoạch (data/plans/<mã>.toml) hoặc đường dẫn tệp kế hoạch"
        )

    p = sub.add_parser(
        "import",
        help="nhập một bộ dữ liệu (thư mục CSV hoặc tệp .xlsx)",
        description="Kiểm tra rồi nhập dữ liệu, tất cả hoặc không gì cả; nhập lại không thay đổi gì.",
    )
    p.add_argument("path", help="thư mục các tệp CSV, một tệp CSV hoặc một tệp .xlsx")
    common(p)
    p.set_defaults(func=cmd_import)

    p = sub.add_parser(
        "validate",
        help="chỉ kiểm tra một bộ dữ liệu, không ghi",
        description="Kiểm tra dữ liệu theo kế hoạch và kho hiện có, không ghi gì.",
    )
    p.add_argument("path")
    common(p)
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser(
        "shortlist",
        help="danh sách đề nghị khen thưởng của một đợt xét (CSV, Excel hoặc Word)",
        description="Ghi danh sách (CSV UTF-8 có BOM) ra --out hoặc ra màn hình; "
        "--format xlsx / docx ghi bảng tính / danh sách đề nghị kèm hồ sơ ra --out.",
    )
    p.add_argument(
        "--review",
        required=True,
        help="đợt xét: 2021…2030, so-ket-2025, tong-ket-2030 (Như Quỳnh: 2023)",
    )
    p.add_argument("--out", help="tệp kết quả (CSV: mặc định ra màn hình)")
    p.add_argument(
        "--format",
        choices=("csv", "xlsx", "docx"),
        default="csv",
        help="csv: danh sách theo mẫu dữ liệu (mặc định); xlsx: bảng tính; "
        "docx: danh sách đề nghị khen thưởng kèm hồ sơ (xlsx, docx cần --out)",
    )
    common(p)
    p.set_defaults(func=cmd_shortlist)

    p = sub.add_parser(
        "demo",
        help="tạo kho dữ liệu từ bộ dữ liệu mẫu của kế hoạch",
        description="Nhập bộ dữ liệu mẫu data/demo/<kế hoạch>/ vào kho.",
    )
    common(p)
    p.set_defaults(func=cmd_demo)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            code = args.func(args)
        for w in caught:
            print(f"Cảnh báo: {w.message}", file=sys.stderr)
        return code
    except (PlanError, UsageError) as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except (db.StoreBusy, db.StoreTooNew) as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return EXIT_BUSY
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # noqa: BLE001 (the last resort: say so, exit 1)
        if _is_input_rejected(exc):
            print(str(exc), file=sys.stderr)
            return EXIT_INPUT
        print("Lỗi nội bộ (vui lòng báo lại kèm thông tin dưới đây):", file=sys.stderr)
        traceback.print_exc()
        return EXIT_INTERNAL


def _is_input_rejected(exc: Exception) -> bool:
    """A rejected dataset (only a command that read files can raise one: sources is loaded)."""
    sources = sys.modules.get("analytics.sources")
    return sources is not None and isinstance(exc, sources.InputRejected)
