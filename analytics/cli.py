"""The command line: ``python -m analytics {import,import-results,validate,shortlist,rebind,demo} …``
and the workspace's ``users``, ``audit``, ``backup``, ``restore`` (``cli_workspace``).

Exit codes: 0 ok; 2 bad input or usage (messages on stderr); 3 store busy, newer or
unusable; 1 internal error. Every user error is an ``analytics.errors.ThiduaError``
carrying its code.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
import tempfile
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING

from analytics.access import command_line_actor, require
from analytics.cli_workspace import add_parsers
from analytics.errors import EXIT_INTERNAL, EXIT_OK, ThiduaError, UsageError
from analytics.plans.loading import DEFAULT_PLAN_ID, PLANS_DIR, load_plan
from analytics.store.binding import check_plan_fits, store_plan
from analytics.store.connection import default_db_path, open_store, store_failure
from analytics.store.meta import data_version

if TYPE_CHECKING:
    import duckdb

    from analytics.ingest.importer import ImportResult
    from analytics.ingest.results_annex import ResultsImport
    from analytics.plans.models import Plan, Review

# analytics.ingest (and pyarrow, ~0,2 s to import) is loaded only by the commands that
# read files: `shortlist` starts without it.


def _db_path(args: argparse.Namespace) -> Path:
    if args.db:
        return Path(args.db)
    plan_id = (
        args.plan if args.plan and (PLANS_DIR / f"{args.plan}.toml").exists() else DEFAULT_PLAN_ID
    )
    return default_db_path(plan_id)


def _print_counts(result: ImportResult) -> None:
    print(f"{'bảng':<22}{'thêm mới':>10}{'cập nhật':>10}{'không đổi':>11}")
    for name, c in result.counts.items():
        print(f"{name:<22}{c.inserted:>10}{c.updated:>10}{c.unchanged:>11}")


def _warn_if_plan_changed(con: duckdb.DuckDBPyConnection) -> None:
    warning = store_plan(con).change_warning
    if warning:
        print(f"Cảnh báo: {warning}", file=sys.stderr)


def cmd_import(args: argparse.Namespace) -> int:
    from analytics.ingest.importer import run_import

    path = _db_path(args)
    result = run_import(
        Path(args.path), path, plan_ref=args.plan, source=str(args.path), actor=command_line_actor()
    )
    with open_store(path, read_only=True) as con:
        _warn_if_plan_changed(con)
        version = data_version(con)
    print(f"Đã nhập {args.path} vào {path} (kế hoạch {result.plan_id}; {version})")
    _print_conversions(result)
    _print_counts(result)
    if not result.is_change:
        print("Không có thay đổi: dữ liệu đã có sẵn trong kho.")
    return EXIT_OK


def _print_conversions(result: ImportResult) -> None:
    """The files read converted from a legacy Vietnamese encoding, with examples."""
    for c in result.conversions:
        print(f"Lưu ý: {c.message()}", file=sys.stderr)


def _print_annex(prepared: ResultsImport) -> None:
    """The column mapping found per sheet, the rows skipped and each name's match."""
    from analytics.ingest.results_annex import MATCH_LABELS, MEANING_LABELS

    annex = prepared.annex
    for sheet, (first, last) in annex.header_rows.items():
        rows = f"dòng {first}" if first == last else f"dòng {first}–{last}"
        print(f"Trang tính “{sheet}”: tiêu đề ở {rows}")
        for c in (c for c in annex.columns if c.sheet == sheet):
            print(f"  cột {c.letter} “{c.header}” → {MEANING_LABELS[c.meaning]}")
    for s in annex.skipped:
        where = f"dòng {s.row}" if s.row is not None else "cả trang tính"
        text = f" “{s.text}”" if s.text else ""
        print(f"  bỏ qua [{s.sheet}] {where}{text}: {s.reason}")
    if prepared.lines:
        print("Tên đơn vị trong tệp → tên đơn vị trong kho:")
    for m in prepared.lines:
        found = m.match.unit.name if m.match.is_matched else "—"
        mark = "" if m.match.status == "exact" else f" ({MATCH_LABELS[m.match.status]})"
        print(f"  [{m.line.sheet}] dòng {m.line.row}: “{m.line.name}” → “{found}”{mark}")


def cmd_import_results(args: argparse.Namespace) -> int:
    from analytics.errors import InputRejected
    from analytics.ingest.results_annex import prepare_results, write_results

    path = _db_path(args)
    file = Path(args.path)
    if not file.is_file():
        raise UsageError(f"không có tệp {args.path}")
    prepared = prepare_results(file, path, args.year)
    _print_annex(prepared)
    if prepared.problems:
        raise InputRejected(prepared.problems)
    actor = None if args.dry_run else command_line_actor()
    done = write_results(prepared, path, actor=actor, plan_ref=args.plan, dry_run=args.dry_run)
    assert done.result is not None
    if args.dry_run:
        print(f"Chạy thử (kế hoạch {done.result.plan_id}): chưa ghi gì vào kho.")
    else:
        print(
            f"Đã nhập {len(done.lines)} kết quả năm {args.year} từ {args.path} vào {path} "
            f"(kế hoạch {done.result.plan_id}; lần nhập số {done.result.import_id})"
        )
    _print_counts(done.result)
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    from analytics.ingest.importer import validate

    path = _db_path(args)
    result = validate(Path(args.path), path, load_plan(args.plan) if args.plan else None)
    _print_conversions(result)
    print(
        f"Hợp lệ theo kế hoạch {result.plan_id}: "
        + ", ".join(f"{k} {v} dòng" for k, v in result.rows.items())
    )
    return EXIT_OK


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
def _writing(out: str) -> Iterator[IO[bytes]]:
    """--out written whole or not at all: into a temporary file beside it, renamed over it
    only when complete (a failure leaves the previous file as it was). An OS error is the
    user's to fix (exit 2), not an internal error."""
    target = Path(out)
    tmp: Path | None = None
    try:
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        tmp = Path(name)
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
        tmp = None
    except OSError as exc:
        raise UsageError(f"không ghi được {out}: {exc.strerror or exc}") from exc
    finally:
        if tmp is not None:
            tmp.unlink(missing_ok=True)


EMPTY_SHORTLIST_SQL = (
    "SELECT * FROM (SELECT NULL AS review, NULL AS award, NULL AS category, NULL AS subject_id, "
    "NULL AS subject_name, NULL AS status, NULL AS rank, NULL AS window_avg, NULL AS reasons, "
    "NULL AS recipient_id, NULL AS recipient_name) WHERE false"
)


def cmd_shortlist(args: argparse.Namespace) -> int:
    from analytics.exports.csv_files import copy_shortlist_csv
    from analytics.rules.deadlines import decision_date
    from analytics.rules.shortlist import shortlist_sql

    _check_out(args.out, args.format)
    path = _db_path(args)
    if not path.exists():
        raise UsageError(
            f"không có kho dữ liệu {path}; hãy chạy 'python -m analytics import' hoặc 'demo' trước"
        )
    with open_store(path, read_only=True) as con:
        if args.plan:
            plan = load_plan(args.plan)
            check_plan_fits(con, plan)
        else:
            _warn_if_plan_changed(con)
            plan = store_plan(con).plan
        review = plan.review(args.review)
        if not review.held:
            raise UsageError(f"đợt xét {review.label} không được tổ chức: {review.reason}")
        if args.format != "csv":
            return _write_document(con, plan, review, args)
        sql, params = shortlist_sql(plan, review, decided_on=decision_date(con, plan, review))
        if not sql:  # a review with no awards: the header line alone
            sql = EMPTY_SHORTLIST_SQL
        if args.out:
            with _writing(args.out) as fh:
                rows = copy_shortlist_csv(con, sql, params, fh)
            print(f"Đã ghi {rows} dòng vào {args.out}", file=sys.stderr)
        else:
            sys.stdout.flush()
            copy_shortlist_csv(con, sql, params, sys.stdout.buffer)
            sys.stdout.buffer.flush()
    return EXIT_OK


def _write_document(
    con: duckdb.DuckDBPyConnection, plan: Plan, review: Review, args: argparse.Namespace
) -> int:
    """The shortlist as an Excel workbook or the Word proposal list, written to --out."""
    from analytics import fmt
    from analytics.exports.stamp import stamp
    from analytics.rules.shortlist import evaluate_review

    stamped = stamp(plan.id, review.id, data_version(con))
    table = evaluate_review(con, plan, review.id, detail=args.format == "xlsx")  # criteria
    if args.format == "xlsx":
        from analytics.exports.workbook import shortlist_workbook

        data = shortlist_workbook(con, table, plan, review, stamped)
    else:
        from analytics.exports.wordform import proposal_list_docx

        data = proposal_list_docx(con, table, plan, review, stamped)
    with _writing(args.out) as fh:
        fh.write(data)
    print(f"Đã ghi {args.out} ({fmt.num(len(data), 0)} byte)", file=sys.stderr)
    return EXIT_OK


def cmd_rebind(args: argparse.Namespace) -> int:
    from analytics.store.audit import record_import
    from analytics.store.binding import rebind_plan
    from analytics.store.meta import bump_version

    path = _db_path(args)
    if not path.exists():
        raise UsageError(f"không có kho dữ liệu {path}")
    if not args.plan:
        raise UsageError("hãy cho --plan: kế hoạch mới của kho dữ liệu")
    actor = command_line_actor()
    require(actor, "import_data")
    with open_store(path) as con:
        con.execute("BEGIN TRANSACTION")
        try:
            old, new = rebind_plan(con, args.plan)
            record_import(
                con,
                source=f"đổi kế hoạch: {old} → {new}",
                files=[],
                content_sha256="",
                counts={},
                is_change=True,
                actor=actor.login,
            )
            bump_version(con)
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
    print(f"Kho dữ liệu {path} nay theo kế hoạch {new} (trước: {old})")
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from analytics.demo import build_demo_store
    from analytics.ingest.demo_data import has_demo

    plan = load_plan(args.plan or DEFAULT_PLAN_ID)
    if not has_demo(plan.id):
        raise UsageError(f"kế hoạch {plan.id} không có bộ dữ liệu mẫu")
    path = Path(args.db) if args.db else default_db_path(plan.id)
    result = build_demo_store(plan.id, path, command_line_actor())
    print(f"Kho dữ liệu mẫu {path} (kế hoạch {plan.id})")
    _print_counts(result)
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
        "import-results",
        help="nhập bảng kết quả Chỉ số CCHC đã công bố (phụ lục quyết định, tệp .xlsx)",
        description="Đọc bảng kết quả như tỉnh công bố (dòng tiêu đề, tên đơn vị, điểm, tỷ lệ "
        "với dấu phẩy thập phân, mỗi khối một trang tính), khớp tên đơn vị với kho rồi nhập "
        "điểm của năm, tất cả hoặc không gì cả. Tên không khớp hoặc khớp nhiều đơn vị: không "
        "ghi gì (mã thoát 2).",
    )
    p.add_argument("path", help="tệp .xlsx bảng kết quả đã công bố")
    p.add_argument("--year", type=int, required=True, help="năm đánh giá của bảng kết quả")
    p.add_argument(
        "--dry-run",
        action="store_true",
        help="chỉ cho xem cách đọc cột, tên đơn vị đã khớp và số dòng sẽ thay đổi; không ghi",
    )
    common(p)
    p.set_defaults(func=cmd_import_results)

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
        "rebind",
        help="đổi kế hoạch của kho dữ liệu sang kế hoạch điều chỉnh của nó (hoặc ngược lại)",
        description="Gắn kho dữ liệu với kế hoạch điều chỉnh (extends) của kế hoạch hiện tại, "
        "hoặc trở lại kế hoạch gốc; ghi vào nhật ký nhập.",
    )
    common(p)
    p.set_defaults(func=cmd_rebind)

    p = sub.add_parser(
        "demo",
        help="tạo kho dữ liệu từ bộ dữ liệu mẫu của kế hoạch",
        description="Nhập bộ dữ liệu mẫu data/demo/<kế hoạch>/ vào kho.",
    )
    common(p)
    p.set_defaults(func=cmd_demo)
    add_parsers(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    level = os.environ.get("THIDUA_LOG_LEVEL", "ERROR").upper()
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    try:
        code: int = args.func(args)
        return code
    except ThiduaError as exc:
        print(exc if exc.__class__.__name__ == "InputRejected" else f"Lỗi: {exc}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # noqa: BLE001 (the last resort: say so, exit 1)
        if (failure := store_failure(exc, getattr(args, "db", None))) is not None:
            print(f"Lỗi: {failure}", file=sys.stderr)  # a damaged store, a full disk: exit 3
            return failure.exit_code
        print("Lỗi nội bộ (vui lòng báo lại kèm thông tin dưới đây):", file=sys.stderr)
        traceback.print_exc()
        return EXIT_INTERNAL
