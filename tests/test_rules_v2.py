"""Rules v2, table by table and named after their rules.md section: links and recipients
(§11), inherited history (§11), dissolved units (§11), women first (§7), one form per
achievement (§4), one place per recipient (§7), the baseline year (§2), reviews not held
(§12). Stores are built from Python rows (tests/_rules_kit.py)."""

from __future__ import annotations

import pytest

from tests._rules_kit import (
    REORG,
    ST,
    Unit,
    category_of,
    crit,
    dataset,
    link,
    make_store,
    nomination,
    person,
    plan_variant,
    review_of,
    row,
    shortlist,
)

SK = "so-ket-2025"
# The amended plan decides the sơ kết on the 2024 index's publication + 60 days: 05/06/2025.
PUBLISHED = {2024: "2025-04-06"}
OLD = dict(active_to=2024, years=range(2021, 2025))  # a unit assessed to 2024 (E of REORG)


def _new(unit_id: str, **kw) -> Unit:
    """A unit outside the plan (blank block): a link end, never a candidate."""
    return Unit(unit_id, block=None, ratios={}, sat={}, tasks={}, years=(), **kw)


def _reorg(tmp_path, units, links=(), **kw):
    path = make_store(
        tmp_path, dataset(units, reviews=(SK,), links=links, publications=PUBLISHED, **kw), REORG
    )
    return shortlist(path, SK, REORG)


# --- §11 recipients: each link kind, either side of the decision date -------------------------
@pytest.mark.parametrize(
    ("kind", "primary", "effective_on", "recipient"),
    [
        pytest.param("renamed", True, "2025-03-01", "new", id="renamed-before-decision"),
        pytest.param("absorbed", True, "2025-03-01", "new", id="absorbed-before-decision"),
        pytest.param("merged", True, "2025-03-01", "new", id="merged-before-decision"),
        pytest.param("split", True, "2025-03-01", "new", id="split-primary-before-decision"),
        pytest.param("absorbed", True, "2025-06-05", "new", id="absorbed-on-decision-day"),
        pytest.param("absorbed", True, "2025-06-06", "old", id="absorbed-day-after-decision"),
        pytest.param("merged", None, "2025-07-01", "old", id="merged-after-decision"),
        pytest.param("split", False, "2025-03-01", None, id="split-without-primary-no-recipient"),
    ],
)
def test_s11_recipient_at_the_decision_date(tmp_path, kind, primary, effective_on, recipient):
    links = [link("old", "new", kind, effective_on, primary)]
    rows = _reorg(tmp_path, [Unit("old", **OLD), _new("new")], links)
    r = row(rows, "flag", "so_nganh", "old")  # alone in its block: proposed for the flag
    assert r["recipient_id"] == recipient
    if recipient is None:
        assert r["status"] == "excluded" and "Không còn đơn vị nhận" in r["reasons"]
    else:
        assert r["status"] == "proposed"
        assert r["recipient_name"] == f"Đơn vị {recipient}"
    assert not [x for x in rows if x["subject_id"] == "new"], "a blank block is never a candidate"


def test_s11_a_chain_of_links_is_followed_to_the_decision_date(tmp_path):
    links = [
        link("a", "b", "absorbed", "2025-03-01", True),
        link("b", "c", "renamed", "2025-05-01", True),
        link("c", "d", "merged", "2025-07-01", True),  # after the decision: not followed
    ]
    units = [Unit("a", **OLD), _new("b", active_to=2024), _new("c", active_to=2024), _new("d")]
    r = row(_reorg(tmp_path, units, links), "flag", "so_nganh", "a")
    assert (r["status"], r["recipient_id"]) == ("proposed", "c")


@pytest.mark.parametrize(
    ("ceased_on", "award_dissolved", "status"),
    [
        pytest.param("2025-05-01", False, "excluded", id="dissolved-before-decision-excluded"),
        pytest.param("2025-07-01", False, "proposed", id="dissolved-after-decision-own"),
        pytest.param("2025-05-01", True, "proposed", id="award-dissolved-true"),
    ],
)
def test_s11_dissolved_unit(tmp_path, ceased_on, award_dissolved, status):
    plan = plan_variant(REORG, lambda d: d["lineage"].update(award_dissolved=award_dissolved))
    units = [Unit("u", ceased_on=ceased_on, **OLD)]
    path = make_store(
        tmp_path,
        dataset(units, reviews=(SK,), publications=PUBLISHED),
        plan if award_dissolved else REORG,
    )
    r = row(shortlist(path, SK, plan), "flag", "so_nganh", "u")
    assert r["status"] == status, r["reasons"]
    if status == "excluded":
        assert "Không còn đơn vị nhận" in r["reasons"] and r["recipient_id"] is None
    if ceased_on == "2025-07-01":
        assert r["recipient_id"] == "u"


# --- §11 inherited history --------------------------------------------------------------------
def _inheriting(tmp_path, kind: str, plan=ST):
    old = Unit("old", ratios={2021: 70, 2022: 70}, active_to=2022, years=range(2021, 2023))
    new = Unit("new", ratios={y: 90 for y in range(2023, 2026)}, active_from=2023)
    links = [link("old", "new", kind, "2023-01-01", kind != "absorbed")]
    path = make_store(tmp_path, dataset([old, new], links=links), plan)
    return row(shortlist(path, SK, plan, detail=True), "certificate", "so_nganh", "new")


@pytest.mark.parametrize(
    ("kind", "average"),
    [
        pytest.param("merged", "82.00", id="merged-primary-inherits"),  # (70+70+90*3)/5
        pytest.param("renamed", "82.00", id="renamed-inherits"),
        pytest.param("split", "82.00", id="split-primary-inherits"),
        pytest.param("absorbed", "90.00", id="absorbed-keeps-its-own"),
    ],
)
def test_s11_unit_created_mid_window_inherits_from_its_primary(tmp_path, kind, average):
    r = _inheriting(tmp_path, kind)
    assert str(r["window_avg"]) == average
    if average == "82.00":
        evidence = crit(r, "window_avg_band:3")["evidence"]
        assert "Đơn vị old" in evidence, evidence


def test_s11_history_own_reads_only_the_units_years(tmp_path):
    own = plan_variant(
        ST,
        lambda d: d.update(
            lineage={"history": "own", "award_dissolved": False, "source": "kh-soc-trang:mở đầu"}
        ),
    )
    r = _inheriting(tmp_path, "merged", own)
    assert str(r["window_avg"]) == "90.00"


# --- §7 women first, §7 one place per recipient, §4 one form per achievement -------------------
def _quota(plan_id: str, award: str, category: str, n: int):
    def change(d):
        cat = category_of(d, award, category)
        cat["quota"] = {k: n for k in cat["quota"]}

    return plan_variant(plan_id, change)


@pytest.mark.parametrize(
    ("votes", "winner"),
    [
        pytest.param({"m": 80, "w": 80}, "w", id="woman-wins-a-tie-at-the-quota-line"),
        pytest.param({"m": 81, "w": 80}, "m", id="more-votes-beat-a-woman"),
    ],
)
def test_s7_women_first_among_equal_votes(tmp_path, votes, winner):
    plan = _quota(ST, "certificate_individual", "individual", 1)
    people = [person("m", "u", gender="nam"), person("w", "u", gender="nu")]
    pj = [nomination(p, votes_pct=v) for p, v in votes.items()]
    path = make_store(tmp_path, dataset([Unit("u")], people=people, person_judgments=pj), plan)
    rows = shortlist(path, SK, plan)
    got = {r["subject_id"]: (r["status"], r["rank"]) for r in rows if r["category"] == "individual"}
    loser = "m" if winner == "w" else "w"
    assert got == {winner: ("proposed", 1), loser: ("reserve", 2)}


def test_s7_one_place_per_recipient(tmp_path):
    links = [link("a", "keep", "absorbed", "2025-03-01", True)]
    units = [
        Unit("a", ratios={y: 95 for y in range(2021, 2025)}, **OLD),
        Unit("keep", ratios={y: 93 for y in range(2021, 2026)}),
        Unit("other", ratios={y: 91 for y in range(2021, 2026)}),
    ]
    rows = _reorg(tmp_path, units, links)
    got = {r["subject_id"]: r for r in rows if (r["award"], r["category"]) == ("flag", "so_nganh")}
    assert (got["a"]["status"], got["a"]["rank"]) == ("proposed", 1)
    assert got["keep"]["status"] == "superseded"
    assert "cùng đơn vị nhận" in got["keep"]["reasons"]
    assert (got["other"]["status"], got["other"]["rank"]) == ("reserve", 2)


def test_s4_flag_winner_superseded_in_2_places_pass_down(tmp_path):
    plan = _quota(ST, "certificate", "so_nganh", 1)
    units = [Unit(u, ratios={y: r for y in range(2021, 2026)}) for u, r in (("a", 95), ("b", 93))]
    path = make_store(tmp_path, dataset(units), plan)
    rows = shortlist(path, SK, plan)
    assert row(rows, "flag", "so_nganh", "a")["status"] == "proposed"
    a = row(rows, "certificate", "so_nganh", "a")
    assert a["status"] == "superseded" and "Cờ thi đua" in a["reasons"]
    assert (row(rows, "certificate", "so_nganh", "b")["status"],) == ("proposed",)
    # annual reviews give no flag: a is proposed there
    assert (
        row(shortlist(path, "2025", plan), "certificate", "so_nganh", "a")["status"] == "proposed"
    )


# --- §2 the baseline year -----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("score_2020", "state"),
    [
        pytest.param(6, "pass", id="baseline-below-2021-improved"),
        pytest.param(9, "fail", id="baseline-above-2021-not-improved"),
    ],
)
def test_s2_baseline_year_decides_improved_in_2021(tmp_path, score_2020, state):
    comps = {(2020, "C1"): (score_2020, 10), (2021, "C1"): (7, 10)}
    path = make_store(tmp_path, dataset([Unit("adv", advised="C1")], components=comps))
    r = row(shortlist(path, "2021", detail=True), "certificate", "advisory", "adv")
    assert crit(r, "component_improved_or_max")["state"] == state
    assert "2020" in crit(r, "component_improved_or_max")["evidence"]


# --- §12 reviews not held --------------------------------------------------------------------------
def test_s12_a_review_not_held_has_no_candidates(tmp_path):
    """Not held (the province ceased): no list; the CLI says why (tests/test_cli.py)."""
    path = make_store(tmp_path, dataset([Unit("u", **OLD)], reviews=(SK,)), REORG)
    assert shortlist(path, "2025", REORG) == []
    data = plan_variant(REORG, lambda d: None).model_dump()
    review = review_of(data, "2025")
    assert review["held"] is False and "NQ 202/2025/QH15" in review["reason"]
    assert shortlist(path, SK, REORG) != []


# --- §5 nominations (data contract v2) ----------------------------------------------------------
def test_s5_a_withdrawn_nomination_is_not_a_candidate(tmp_path):
    people = [person("kept", "u"), person("withdrawn", "u")]
    pj = [nomination("kept"), nomination("withdrawn", is_nominated="false")]
    path = make_store(tmp_path, dataset([Unit("u")], people=people, person_judgments=pj))
    ids = {r["subject_id"] for r in shortlist(path, SK) if r["category"] == "individual"}
    assert ids == {"kept"}


def test_s5_votes_counted_from_the_council_rank_the_people(tmp_path):
    """2 of 3 members = 66,67 %, ahead of a stated 66,66 %."""
    people = [person("a", "u"), person("b", "u")]
    pj = [nomination("a", votes_pct="66.66"), nomination("b", votes_for=2, council_members=3)]
    path = make_store(tmp_path, dataset([Unit("u")], people=people, person_judgments=pj))
    rows = [r for r in shortlist(path, SK) if r["category"] == "individual"]
    assert [(r["subject_id"], r["rank"]) for r in rows] == [("b", 1), ("a", 2)]
