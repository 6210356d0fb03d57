"""A unit's profile on one printable A4 page (Word): who it is, its lineage, its PAR Index
ratio and group year by year, and its component scores of a chosen year against the median
and the best of its block. The page passes the frames of ``analytics.views`` in (exports do
not read views); every text is Vietnamese, dates dd/mm/yyyy, no internal code."""

from __future__ import annotations

import io
from typing import Any

import pandas as pd

from analytics import fmt
from analytics.clock import now
from analytics.exports.docx_parts import grid_table, new_document, paragraph
from analytics.plans.models import Plan

YEAR_HEADERS = ("Năm", "Điểm / tối đa", "Tỷ lệ", "{band}", "Hạng trong khối")
YEAR_WIDTHS_CM = (1.8, 4.0, 3.0, 3.7, 4.0)
COMPONENT_HEADERS = ("Lĩnh vực", "Điểm / tối đa", "Tỷ lệ", "Trung vị khối", "Cao nhất khối")
COMPONENT_WIDTHS_CM = (6.5, 2.8, 2.4, 2.4, 2.4)


def _score(score: Any, max_score: Any) -> str:
    if score is None or pd.isna(score):
        return "—"
    return f"{fmt.num(score)} / {fmt.num(max_score)}"


def _rank(rank: Any, n: Any) -> str:
    return "—" if rank is None or pd.isna(rank) else f"{int(rank)}/{int(n)}"


def profile_docx_bytes(
    plan: Plan,
    info: dict[str, Any],
    history: pd.DataFrame,
    components: pd.DataFrame | None,
    year: int | None,
    data_version: str,
    lineage: str | None = None,
) -> bytes:
    """The one-page profile.

    ``info``: ``analytics.views.profile.unit_info``; ``history``: ``unit_history`` (year,
    score, max_score, ratio_pct, band_label, rank, n_ranked, is_inherited, source_name);
    ``components``: ``analytics.views.unit_components.component_scores`` of this unit in
    ``year`` (None or empty: none that year); ``lineage``: the line of its links (None when it has none).
    """
    doc = new_document()
    paragraph(doc, "HỒ SƠ ĐƠN VỊ", bold=True, size=15, center=True)
    paragraph(doc, "Phong trào thi đua cải cách hành chính", italic=True, center=True)
    paragraph(doc, str(info["name"]), bold=True, size=14, center=True)
    block = info.get("block_label") or "ngoài kế hoạch (chỉ là đơn vị tiếp nhận)"
    first = info.get("active_from_declared") or f"đầu kế hoạch ({info['active_from']})"
    last = info.get("active_to_declared") or f"cuối kế hoạch ({info['active_to']})"
    paragraph(doc, f"Khối: {block}")
    paragraph(doc, f"Hoạt động: từ {first} đến {last}")
    if info.get("ceasing_date"):
        paragraph(doc, f"Thôi hoạt động từ: {fmt.date(info['ceasing_date'])}")
    if lineage:
        paragraph(doc, f"Sắp xếp, hợp nhất, đổi tên: {lineage}")

    band = plan.classification.name
    paragraph(doc, "Kết quả Chỉ số cải cách hành chính qua các năm", bold=True)
    scored = history[history["ratio_pct"].notna()] if len(history) else history
    if scored.empty:
        paragraph(doc, "Chưa có Chỉ số cải cách hành chính năm nào.", italic=True)
    else:
        rows = [
            (
                str(r.year) + (" (kế thừa)" if bool(r.is_inherited) else ""),
                _score(r.score, r.max_score),
                fmt.pct(r.ratio_pct),
                r.band_label or "—",
                _rank(r.rank, r.n_ranked),
            )
            for r in scored.itertuples()
        ]
        headers = tuple(h.format(band=band) for h in YEAR_HEADERS)
        grid_table(doc, headers, YEAR_WIDTHS_CM, rows)
        inherited = [str(r.source_name) for r in scored.itertuples() if bool(r.is_inherited)]
        if inherited:
            names = ", ".join(dict.fromkeys(inherited))
            paragraph(doc, f"Năm «kế thừa»: số liệu của đơn vị tiền thân ({names}).", size=11)

    if year is not None:
        paragraph(doc, f"Điểm các lĩnh vực năm {year} so với khối", bold=True)
        if components is None or components.empty:
            paragraph(doc, f"Chưa có điểm các lĩnh vực của đơn vị năm {year}.", italic=True)
        else:
            rows = [
                (
                    str(r.component_label),
                    _score(r.score, r.max_score),
                    fmt.pct(r.ratio_pct),
                    fmt.pct(r.block_median_pct),
                    fmt.pct(r.block_best_pct),
                )
                for r in components.itertuples()
            ]
            grid_table(doc, COMPONENT_HEADERS, COMPONENT_WIDTHS_CM, rows)
    paragraph(
        doc,
        f"Kế hoạch: {plan.title}. {data_version}. Lập ngày {now():%d/%m/%Y %H:%M}. "
        "Tỷ lệ = điểm đạt được / điểm tối đa; trung vị và cao nhất: các đơn vị cùng khối "
        "có điểm lĩnh vực đó trong năm.",
        italic=True,
        size=10,
    )
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
