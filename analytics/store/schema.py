"""The store's schema: migrations, and the SQL building blocks as persistent macros.

Migrations: a store created at version k is brought to the latest by running
``MIGRATIONS[k:]`` in order, in one transaction. Never edit a released migration; add one.

Macros: each SQL building block is written once, here, and created in the store by a
migration (a persistent macro is visible to every cursor; a TEMP macro is not). A scratch
in-memory database gets the same macros from ``install_macros``. To change a macro, add
a migration that runs ``CREATE OR REPLACE MACRO`` with the new body and point
``CURRENT_MACROS`` at it.
"""

from __future__ import annotations

import hashlib

import duckdb

from analytics.errors import StoreTooNew

# Key uniqueness of the data tables is guaranteed by the importer (duplicate keys are
# rejected, rows are upserted by key), so the large tables carry no PRIMARY KEY: an ART
# index costs seconds per million rows on import and serves no query here.
V1_CONTRACT = """
CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE units (
    unit_id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, block VARCHAR NOT NULL,
    advised_components VARCHAR, active_from INTEGER, active_to INTEGER,
    predecessors VARCHAR);
CREATE TABLE unit_scores (
    year INTEGER, unit_id VARCHAR, score DECIMAL(18,4), max_score DECIMAL(18,4),
    ratio DECIMAL(18,4), ratio_pct DECIMAL(5,2) NOT NULL);
CREATE TABLE province_components (
    year INTEGER, component VARCHAR, component_name VARCHAR,
    score DECIMAL(18,4), max_score DECIMAL(18,4), PRIMARY KEY (year, component));
CREATE TABLE satisfaction (
    year INTEGER, unit_id VARCHAR, satisfaction_pct DECIMAL(5,2));
CREATE TABLE unit_facts (
    year INTEGER, unit_id VARCHAR, tasks_completed_pct DECIMAL(5,2),
    discipline VARCHAR);
CREATE TABLE unit_judgments (
    review VARCHAR, unit_id VARCHAR, head_directs BOOLEAN, outstanding BOOLEAN,
    has_initiative BOOLEAN);
CREATE TABLE people (
    person_id VARCHAR, full_name VARCHAR NOT NULL, unit_id VARCHAR,
    position VARCHAR, advised_components VARCHAR);
CREATE TABLE person_judgments (
    review VARCHAR, person_id VARCHAR, outstanding BOOLEAN, has_initiative BOOLEAN,
    initiative_recognized BOOLEAN, good_conduct BOOLEAN, discipline VARCHAR,
    votes_pct DECIMAL(5,2));
CREATE TABLE publications (year INTEGER PRIMARY KEY, published_on DATE);
CREATE TABLE import_log (
    import_id INTEGER PRIMARY KEY, imported_at TIMESTAMP NOT NULL, source VARCHAR,
    files VARCHAR, content_sha256 VARCHAR, row_counts VARCHAR, is_change BOOLEAN);
"""

# v2: the province's own results (PAR INDEX, national rank, SIPAS) for the overview.
V2_PROVINCE_RESULTS = """
CREATE TABLE province_results (
    year INTEGER PRIMARY KEY, ratio DECIMAL(5,2), national_rank INTEGER,
    sipas_pct DECIMAL(5,2));
"""

# v3: the SQL building blocks, written once. Percentages travel as integer hundredths
# ("centi": 80,13 % = 8013) so that means and ratios are exact; the single half-up
# rounding is integer arithmetic, round_half_up(a / b) = (2a + b) // 2b for a, b >= 0.
MACROS_V3 = """
CREATE OR REPLACE MACRO ratio_centi(score, max_score) AS
    (2 * 10000 * CAST(CAST(score AS DECIMAL(38,4)) * 10000 AS HUGEINT)
        + CAST(CAST(max_score AS DECIMAL(38,4)) * 10000 AS HUGEINT))
    // (2 * CAST(CAST(max_score AS DECIMAL(38,4)) * 10000 AS HUGEINT));
CREATE OR REPLACE MACRO mean_centi(total, n) AS ((2 * (total) + (n)) // (2 * (n)));
CREATE OR REPLACE MACRO centi(pct) AS CAST((pct) * 100 AS BIGINT);
CREATE OR REPLACE MACRO centi_dec(c) AS CAST(CAST(c AS DECIMAL(18,0)) / 100 AS DECIMAL(5,2));
CREATE OR REPLACE MACRO centi_text(c) AS
    replace(CAST(CAST(c AS DECIMAL(18,0)) / 100 AS DECIMAL(8,2))::VARCHAR, '.', ',');
CREATE OR REPLACE MACRO band_index(c, mins_centi) AS
    CASE WHEN c IS NULL THEN NULL ELSE len(list_filter(mins_centi, lambda m: m > c)) END;
CREATE OR REPLACE MACRO band_label(c, mins_centi, band_labels) AS
    band_labels[band_index(c, mins_centi) + 1];
CREATE OR REPLACE MACRO trend(now_c, prev_c, with_max) AS
    CASE WHEN now_c IS NULL THEN NULL WHEN with_max AND now_c = 10000 THEN 'max'
         WHEN prev_c IS NULL THEN NULL WHEN now_c > prev_c THEN 'up'
         WHEN now_c < prev_c THEN 'down' ELSE 'same' END;
CREATE OR REPLACE MACRO active_units(first_year, last_year) AS TABLE
    SELECT *, coalesce(active_from, first_year) AS a_from, coalesce(active_to, last_year) AS a_to
    FROM units;
"""
# v4: the data contract v2 (rules v2: the 2025 reorganisation, deferrals, one form per
# achievement) — every column and table at once, also those whose screens come later.
V4_CONTRACT = """
ALTER TABLE units ALTER COLUMN block DROP NOT NULL;
ALTER TABLE units ADD COLUMN ceased_on DATE;
ALTER TABLE people ADD COLUMN gender VARCHAR;
ALTER TABLE unit_judgments ADD COLUMN discipline VARCHAR;
ALTER TABLE unit_judgments ADD COLUMN proposed_form VARCHAR;
ALTER TABLE person_judgments ADD COLUMN votes_for INTEGER;
ALTER TABLE person_judgments ADD COLUMN council_members INTEGER;
ALTER TABLE person_judgments ADD COLUMN is_nominated BOOLEAN;
ALTER TABLE person_judgments ADD COLUMN proposed_form VARCHAR;
CREATE TABLE unit_links (
    from_unit_id VARCHAR, to_unit_id VARCHAR, kind VARCHAR NOT NULL, effective_on DATE NOT NULL,
    is_primary BOOLEAN, note VARCHAR);
CREATE TABLE unit_component_scores (
    year INTEGER, unit_id VARCHAR, component VARCHAR, score DECIMAL(18,4),
    max_score DECIMAL(18,4));
CREATE TABLE registrations (
    year INTEGER, subject_kind VARCHAR, subject VARCHAR, titles VARCHAR, forms VARCHAR,
    registered_on DATE, note VARCHAR);
CREATE TABLE awards_granted (
    review VARCHAR, award VARCHAR, subject_id VARCHAR, recipient_id VARCHAR, form VARCHAR,
    decision_no VARCHAR, decided_on DATE, authority VARCHAR);
"""

# v4 macros: the links between units (rules.md §11) as one relation, written once.
# effective_links: the unit_links rows, and each `predecessors` entry of units.csv read as a
# `merged` link effective on 1 January of the unit's first year (primary when it is the only
# predecessor), unless an explicit link between the same two units replaces it. A renamed
# link is always primary.
MACROS_V4 = (
    MACROS_V3
    + """
CREATE OR REPLACE MACRO effective_links(first_year) AS TABLE
    SELECT from_unit_id, to_unit_id, kind, effective_on,
        coalesce(is_primary, false) OR kind = 'renamed' AS is_primary, note, true AS is_explicit
    FROM unit_links
    UNION ALL
    SELECT p.pred, u.unit_id, 'merged', make_date(coalesce(u.active_from, first_year), 1, 1),
        len(p.preds) = 1, NULL, false
    FROM (SELECT unit_id, active_from,
              list_filter(string_split(predecessors, ';'), lambda x: x <> '') AS preds
          FROM units WHERE predecessors IS NOT NULL) u,
        LATERAL (SELECT unnest(u.preds) AS pred, u.preds AS preds) p
    WHERE NOT EXISTS (
        SELECT 1 FROM unit_links l WHERE l.from_unit_id = p.pred AND l.to_unit_id = u.unit_id);
-- every unit and its primary predecessors, nearest first (depth 0 = itself): the units
-- whose history it continues (renamed, merged or split links marked primary; an absorbed
-- unit's history is not inherited by the unit that absorbed it)
CREATE OR REPLACE MACRO history_chain(first_year) AS TABLE
    WITH RECURSIVE
    primary_in AS MATERIALIZED (
        -- the links a unit continues the history of, computed once (not per recursion step)
        SELECT to_unit_id, from_unit_id FROM effective_links(first_year)
        WHERE is_primary AND kind IN ('renamed', 'merged', 'split')
    ),
    chain(unit_id, source_id, depth) AS (
        -- seeded with the units that have a primary predecessor only: the others are
        -- their own source alone (depth 0, added below)
        SELECT to_unit_id, from_unit_id, 1 FROM primary_in
        UNION ALL
        SELECT c.unit_id, l.from_unit_id, c.depth + 1
        FROM chain c JOIN primary_in l ON l.to_unit_id = c.source_id
        WHERE c.depth < 64
    )
    SELECT unit_id, unit_id AS source_id, 0 AS depth FROM units
    UNION ALL
    SELECT * FROM chain;
-- when each unit ceases: its earliest outgoing link, else its ceased_on, else 31 December
-- of a declared active_to before the plan's last year (dissolved); NULL = goes on
CREATE OR REPLACE MACRO unit_ceasing(first_year, last_year) AS TABLE
    SELECT u.unit_id, u.ceased_on, coalesce(o.n_out, 0) AS n_out,
        coalesce(o.first_out, u.ceased_on,
            CASE WHEN u.active_to IS NOT NULL AND u.active_to < last_year
                 THEN make_date(u.active_to, 12, 31) END) AS ceasing_date
    FROM units u
    LEFT JOIN (SELECT from_unit_id, count(*) AS n_out, min(effective_on) AS first_out
               FROM effective_links(first_year) GROUP BY from_unit_id) o
        ON o.from_unit_id = u.unit_id;
-- the way the award of each unit ceased by a decision date goes: to the `to` of its only
-- (or primary) outgoing link, link by link (depth 1 = the first hop); a unit not ceased by
-- then has no row (it is its own recipient)
CREATE OR REPLACE MACRO recipient_hops(first_year, last_year, decided_on) AS TABLE
    WITH RECURSIVE
    ceasing AS MATERIALIZED (SELECT * FROM unit_ceasing(first_year, last_year)),
    next_link AS MATERIALIZED (
        SELECT l.from_unit_id, l.to_unit_id
        FROM effective_links(first_year) l JOIN ceasing c ON c.unit_id = l.from_unit_id
        WHERE decided_on IS NOT NULL AND c.ceasing_date <= decided_on
            -- one link out, or the primary one; a split names no recipient unless primary
            AND (l.is_primary OR (c.n_out = 1 AND l.kind <> 'split'))
    ),
    hop(unit_id, at_id, depth) AS (
        SELECT from_unit_id, to_unit_id, 1 FROM next_link
        UNION ALL
        SELECT h.unit_id, n.to_unit_id, h.depth + 1
        FROM hop h JOIN next_link n ON n.from_unit_id = h.at_id
        WHERE h.depth < 64
    )
    SELECT * FROM hop;
"""
)
# The macros of v4 with `effective_links` written without LATERAL and NOT EXISTS (the same
# rows): each expansion of a correlated subquery costs the planner a delim join, and the
# shortlist query expands the macro four times (~5 % of a review's unit part).
_LINKS_V5 = """CREATE OR REPLACE MACRO effective_links(first_year) AS TABLE
    SELECT from_unit_id, to_unit_id, kind, effective_on,
        coalesce(is_primary, false) OR kind = 'renamed' AS is_primary, note, true AS is_explicit
    FROM unit_links
    UNION ALL
    SELECT p.pred, p.unit_id, 'merged', make_date(coalesce(p.active_from, first_year), 1, 1),
        p.n_preds = 1, NULL, false
    FROM (SELECT unit_id, active_from, unnest(preds) AS pred, len(preds) AS n_preds
          FROM (SELECT unit_id, active_from,
                    list_filter(string_split(predecessors, ';'), lambda x: x <> '') AS preds
                FROM units WHERE predecessors IS NOT NULL)) p
    ANTI JOIN unit_links l ON l.from_unit_id = p.pred AND l.to_unit_id = p.unit_id;
"""
MACROS_V5 = (
    MACROS_V4[: MACROS_V4.index("CREATE OR REPLACE MACRO effective_links")]
    + _LINKS_V5
    + MACROS_V4[MACROS_V4.index("-- every unit and its primary predecessors") :]
)
assert MACROS_V5 != MACROS_V4
CURRENT_MACROS = MACROS_V5

# v5: the committee's workspace — accounts (local sign-in, argon2 hashes, lock-out), the
# e-mail → role table of OpenID Connect sign-in, who made each import, and the audit trail
# of the values recorded on screen (one save = one transaction, one entry per changed value).
V5_WORKSPACE = """
CREATE TABLE accounts (
    login VARCHAR PRIMARY KEY, role VARCHAR NOT NULL, password_hash VARCHAR,
    disabled BOOLEAN NOT NULL, failed_attempts INTEGER NOT NULL, locked_until TIMESTAMP,
    created_at TIMESTAMP NOT NULL, changed_at TIMESTAMP NOT NULL);
CREATE TABLE email_roles (email VARCHAR PRIMARY KEY, role VARCHAR NOT NULL);
ALTER TABLE import_log ADD COLUMN actor VARCHAR;
CREATE TABLE audit_saves (
    save_id BIGINT PRIMARY KEY, saved_at TIMESTAMP NOT NULL, actor VARCHAR NOT NULL,
    action VARCHAR NOT NULL, review VARCHAR, note VARCHAR NOT NULL, undoes BIGINT);
CREATE TABLE audit_entries (
    save_id BIGINT NOT NULL, table_name VARCHAR NOT NULL, review VARCHAR,
    subject_id VARCHAR NOT NULL, field VARCHAR NOT NULL, old_value VARCHAR, new_value VARCHAR);
"""

V3_STORE_VERSION = """
INSERT OR REPLACE INTO meta
SELECT 'store_version', CAST((SELECT count(*) FROM import_log) AS VARCHAR);
"""

MIGRATIONS: tuple[str, ...] = (
    V1_CONTRACT,
    V2_PROVINCE_RESULTS,
    MACROS_V3 + V3_STORE_VERSION,
    V4_CONTRACT + MACROS_V4,
    V5_WORKSPACE,
)
SCHEMA_VERSION = len(MIGRATIONS)


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    """The store's schema version; 0 for a database without ``meta`` (a new store). Read
    directly (a catalog lookup costs ~5 ms with a store attached; this is called by every
    meta read): the table missing is the only CatalogException here, and it only happens
    outside a transaction (every write migrates first)."""
    try:
        rows = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchall()
    except duckdb.CatalogException:
        return 0
    return int(rows[0][0]) if rows else 0


def check_not_newer(version: int) -> None:
    if version > SCHEMA_VERSION:
        raise StoreTooNew(
            f"kho dữ liệu có phiên bản cấu trúc {version}, mới hơn phần mềm này "
            f"({SCHEMA_VERSION}); hãy cập nhật phần mềm"
        )


MACROS_SHA256 = hashlib.sha256(CURRENT_MACROS.encode("utf-8")).hexdigest()


def macros_current(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the store's macros are this software's (a store may hold older bodies)."""
    row = con.execute("SELECT value FROM meta WHERE key = 'macros_sha256'").fetchall()
    return bool(row) and row[0][0] == MACROS_SHA256


def is_current(con: duckdb.DuckDBPyConnection) -> bool:
    """The schema version and the macros are this software's."""
    return schema_version(con) == SCHEMA_VERSION and macros_current(con)


def migrate(con: duckdb.DuckDBPyConnection, target: int = SCHEMA_VERSION) -> int:
    """Bring the store to ``target`` in one transaction; returns the version it was at.

    The macros are code: when their bodies differ from the store's (a newer release of this
    software), they are created again in the same transaction."""
    current = schema_version(con)
    check_not_newer(current)
    if current >= target and (target != SCHEMA_VERSION or macros_current(con)):
        return current
    con.execute("BEGIN TRANSACTION")
    try:
        for sql in MIGRATIONS[current:target]:
            con.execute(sql)
        con.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', $v)", {"v": str(target)})
        if target == SCHEMA_VERSION:
            con.execute(CURRENT_MACROS)
            con.execute(
                "INSERT OR REPLACE INTO meta VALUES ('macros_sha256', $v)", {"v": MACROS_SHA256}
            )
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return current


def install_macros(con: duckdb.DuckDBPyConnection) -> None:
    """The current macros in a scratch database that was not created by ``migrate``."""
    con.execute(CURRENT_MACROS)
