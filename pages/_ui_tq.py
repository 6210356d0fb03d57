"""Drawing helpers of Tổng quan's leadership cards: a block's leader, most improved and
lagging units, and the current review's proposed units with a link to the list."""

from __future__ import annotations

import streamlit as st

from analytics import fmt
from analytics.views import leaders
from pages import _ui, _ui_awards

NONE_YET = "chưa có"


def leaders_card(blk: leaders.BlockLeaders) -> None:
    """One block's card: leader, most improved, lagging units (names are text, escaped)."""
    st.markdown(f"**{fmt.md(blk.label)}**")
    st.markdown(f"🥇 **Dẫn đầu:** {fmt.md(blk.leader or NONE_YET)}")
    st.markdown(f"📈 **Tiến bộ nhất:** {fmt.md(blk.most_improved or NONE_YET)}")
    if blk.lagging:
        items = "  \n".join(f"• {fmt.md(x)}" for x in blk.lagging)
        st.markdown(f"⚠️ **{fmt.md(blk.lagging_bands)}:**  \n{items}")
    else:
        st.markdown(f"✔️ **{fmt.md(blk.lagging_bands)}:** không có đơn vị nào")


def proposed_summary(ctx: _ui.Context) -> None:
    """The selected review's proposed units and people per award and category, with one
    click to the list on Khen thưởng (a review not held says why)."""
    review = ctx.review
    st.markdown(f"#### Đề nghị khen thưởng — {fmt.md(review.label)}")
    if not review.held:
        st.info(f"Đợt xét này không được tổ chức: {fmt.md(review.reason or '')}")
        return
    frame = _ui.guarded(
        _ui_awards.review_frame, ctx.store, ctx.plan.id, ctx.review_id, ctx.hides_personal
    )
    groups = leaders.proposed_by_category(frame, ctx.plan)
    if not groups:
        st.caption("Chưa có đơn vị, cá nhân nào đủ điều kiện đề nghị khen thưởng.")
    for head, names in groups:
        st.markdown(f"**{fmt.md(head)}** ({len(names)}): " + "; ".join(fmt.md(n) for n in names))
    st.page_link("pages/5_khen_thuong.py", label="Xem danh sách đề nghị khen thưởng", icon="🏅")
