"""One table of Vietnamese labels, declared once and reused by pages, template and exports."""

from __future__ import annotations

# Import columns: Vietnamese header (also accepted on import) and help text.
COLUMNS: dict[str, dict[str, tuple[str, str]]] = {
    "units": {
        "unit_id": ("Mã đơn vị", "Mã duy nhất, không đổi qua các năm (ví dụ: snv)"),
        "name": ("Tên đơn vị", "Tên đầy đủ của cơ quan, đơn vị"),
        "block": ("Khối", "Chọn khối của kế hoạch trong danh sách (trống = ngoài các khối)"),
        "advised_components": (
            "Chỉ số thành phần tham mưu",
            "Mã các chỉ số thành phần cấp tỉnh đơn vị tham mưu, cách nhau bởi dấu ; (để trống nếu không)",
        ),
        "active_from": ("Hoạt động từ năm", "Năm bắt đầu (để trống = từ đầu kế hoạch)"),
        "active_to": ("Hoạt động đến năm", "Năm cuối cùng (để trống = đến cuối kế hoạch)"),
        "predecessors": ("Đơn vị tiền thân", "Mã các đơn vị tiền thân, cách nhau bởi dấu ;"),
        "ceased_on": (
            "Ngày giải thể",
            "Chỉ với đơn vị giải thể không có đơn vị tiếp nhận: ngày dd/mm/yyyy",
        ),
    },
    "unit_scores": {
        "year": ("Năm", "Năm đánh giá"),
        "unit_id": ("Mã đơn vị", "Mã đơn vị đã khai báo"),
        "score": ("Điểm đạt được", "Điểm Chỉ số CCHC đạt được"),
        "max_score": ("Điểm tối đa", "Thang điểm tối đa của năm"),
        "ratio": ("Tỷ lệ (%)", "Chỉ ghi khi không có điểm: tỷ lệ % đã công bố"),
    },
    "province_components": {
        "year": ("Năm", "Năm đánh giá"),
        "component": ("Mã chỉ số thành phần", "Ví dụ: C1"),
        "component_name": ("Tên chỉ số thành phần", "Ví dụ: Cải cách thủ tục hành chính"),
        "score": ("Điểm đạt được", "Điểm của tỉnh ở chỉ số thành phần"),
        "max_score": ("Điểm tối đa", "Điểm tối đa của chỉ số thành phần trong năm"),
    },
    "satisfaction": {
        "year": ("Năm", "Năm đánh giá"),
        "unit_id": ("Mã đơn vị", "Mã đơn vị đã khai báo"),
        "satisfaction_pct": ("Tỷ lệ hài lòng (%)", "Chỉ số hài lòng (SIPAS) của đơn vị, 0–100"),
    },
    "unit_facts": {
        "year": ("Năm", "Năm đánh giá"),
        "unit_id": ("Mã đơn vị", "Mã đơn vị đã khai báo"),
        "tasks_completed_pct": (
            "Tỷ lệ hoàn thành nhiệm vụ CCHC (%)",
            "0–100; để trống nếu chưa có",
        ),
        "discipline": (
            "Kỷ luật",
            "Không, đang thi hành kỷ luật, đang xem xét kỷ luật, đang thanh tra/kiểm tra, "
            "có đơn khiếu nại/tố cáo, có dư luận báo chí (trống = không)",
        ),
    },
    "unit_judgments": {
        "review": ("Đợt xét", "Chọn đợt xét của kế hoạch trong danh sách"),
        "unit_id": ("Mã đơn vị", "Mã đơn vị đã khai báo"),
        "head_directs": (
            "Người đứng đầu trực tiếp chỉ đạo",
            "x / có / không; trống = chưa đánh giá",
        ),
        "outstanding": ("Thành tích xuất sắc, tiêu biểu", "x / có / không; trống = chưa đánh giá"),
        "has_initiative": ("Có mô hình mới, sáng kiến", "x / có / không; trống = chưa đánh giá"),
        "discipline": (
            "Kỷ luật tại đợt xét",
            "Tình trạng kỷ luật của đơn vị tại đợt xét; trống = theo bảng Nhiệm vụ và kỷ luật",
        ),
        "proposed_form": (
            "Hình thức đề nghị",
            "Mã hoặc tên hình thức của kế hoạch; trống = mặc định",
        ),
    },
    "people": {
        "person_id": ("Mã cá nhân", "Mã duy nhất"),
        "full_name": ("Họ và tên", ""),
        "unit_id": ("Mã đơn vị", "Trống nếu là người dân ngoài các đơn vị"),
        "position": ("Chức vụ", ""),
        "advised_components": (
            "Chỉ số thành phần tham mưu",
            "Mã chỉ số thành phần cá nhân tham mưu, cách nhau bởi dấu ;",
        ),
        "gender": ("Giới tính", "nữ / nam (trống = không ghi)"),
    },
    "person_judgments": {
        "review": ("Đợt xét", "Chọn đợt xét của kế hoạch trong danh sách"),
        "person_id": ("Mã cá nhân", "Mã cá nhân đã khai báo"),
        "outstanding": ("Thành tích xuất sắc", "x / có / không; trống = chưa đánh giá"),
        "has_initiative": (
            "Có sáng kiến, ý tưởng hiệu quả",
            "x / có / không; trống = chưa đánh giá",
        ),
        "initiative_recognized": (
            "Sáng kiến được Hội đồng KH&CN công nhận",
            "x / có / không; trống = chưa đánh giá",
        ),
        "good_conduct": ("Phẩm chất đạo đức tốt", "x / có / không; trống = chưa đánh giá"),
        "discipline": (
            "Kỷ luật",
            "Không, đang thi hành kỷ luật, đang xem xét kỷ luật, đang thanh tra/kiểm tra, "
            "có đơn khiếu nại/tố cáo, có dư luận báo chí (trống = không)",
        ),
        "votes_pct": ("Tỷ lệ phiếu bầu (%)", "0–100; trống = chưa bỏ phiếu"),
        "votes_for": ("Số phiếu đồng ý", "Số nguyên; cùng với số thành viên Hội đồng"),
        "council_members": ("Số thành viên Hội đồng", "Số nguyên lớn hơn 0"),
        "is_nominated": ("Được đề cử", "trống / có = được đề cử; không = đã rút đề cử"),
        "proposed_form": (
            "Hình thức đề nghị",
            "Mã hoặc tên hình thức của kế hoạch; trống = mặc định",
        ),
    },
    "publications": {
        "year": ("Năm", "Năm của Chỉ số CCHC"),
        "published_on": ("Ngày công bố", "dd/mm/yyyy"),
    },
    "province_results": {
        "year": ("Năm", ""),
        "ratio": ("Chỉ số CCHC của tỉnh (%)", "PAR INDEX của tỉnh"),
        "national_rank": ("Xếp hạng toàn quốc", "1–63"),
        "sipas_pct": ("SIPAS của tỉnh (%)", "Chỉ số hài lòng của tỉnh"),
    },
    "unit_links": {
        "from_unit_id": ("Mã đơn vị cũ", "Đơn vị được sắp xếp (đã có trong bảng Đơn vị)"),
        "to_unit_id": ("Mã đơn vị mới / tiếp nhận", "Đơn vị tiếp nhận hoặc đơn vị mới"),
        "kind": ("Hình thức sắp xếp", "đổi tên, sáp nhập vào, hợp nhất, chia tách"),
        "effective_on": ("Ngày hiệu lực", "dd/mm/yyyy"),
        "is_primary": (
            "Liên kết chính",
            "có: đơn vị mới kế thừa lịch sử qua liên kết này / đơn vị nhận khen thưởng",
        ),
        "note": ("Ghi chú", "Căn cứ (số quyết định…)"),
    },
    "unit_component_scores": {
        "year": ("Năm", "Năm đánh giá"),
        "unit_id": ("Mã đơn vị", "Mã đơn vị đã khai báo"),
        "component": ("Mã lĩnh vực", "Mã lĩnh vực của bộ chỉ số đơn vị (theo kế hoạch)"),
        "score": ("Điểm đạt được", "Điểm của đơn vị ở lĩnh vực"),
        "max_score": ("Điểm tối đa", "Điểm tối đa của lĩnh vực"),
    },
    "registrations": {
        "year": ("Năm", "Năm đăng ký thi đua"),
        "subject_kind": ("Loại", "đơn vị, cá nhân hoặc nhóm"),
        "subject": ("Tập thể, cá nhân", "Mã đơn vị, mã cá nhân, hoặc tên nhóm"),
        "titles": ("Danh hiệu thi đua", "Mã danh hiệu, cách nhau bởi dấu ;"),
        "forms": ("Hình thức khen thưởng", "Mã hình thức, cách nhau bởi dấu ;"),
        "registered_on": ("Ngày đăng ký", "dd/mm/yyyy"),
        "note": ("Ghi chú", ""),
    },
    "awards_granted": {
        "review": ("Đợt xét", "Chọn đợt xét của kế hoạch trong danh sách"),
        "award": ("Danh hiệu / hình thức", "Chọn loại khen thưởng của kế hoạch trong danh sách"),
        "subject_id": ("Mã tập thể / cá nhân", "Mã đơn vị hoặc mã cá nhân được khen thưởng"),
        "recipient_id": ("Đơn vị nhận", "Mã đơn vị nhận (nếu khác)"),
        "form": ("Hình thức", "Mã hình thức của kế hoạch"),
        "decision_no": ("Số quyết định", ""),
        "decided_on": ("Ngày quyết định", "dd/mm/yyyy"),
        "authority": ("Cấp khen thưởng", "Ví dụ: Chủ tịch UBND tỉnh"),
    },
}

TABLES: dict[str, str] = {
    "units": "Đơn vị",
    "unit_scores": "Điểm Chỉ số CCHC của đơn vị",
    "province_components": "Chỉ số thành phần cấp tỉnh",
    "satisfaction": "Tỷ lệ hài lòng",
    "unit_facts": "Nhiệm vụ và kỷ luật",
    "unit_judgments": "Đánh giá của Ban Chỉ đạo (tập thể)",
    "people": "Cá nhân",
    "person_judgments": "Đánh giá cá nhân",
    "publications": "Ngày công bố Chỉ số",
    "province_results": "Kết quả của tỉnh",
    "unit_links": "Sắp xếp đơn vị",
    "unit_component_scores": "Điểm lĩnh vực của đơn vị",
    "registrations": "Đăng ký thi đua",
    "awards_granted": "Khen thưởng đã quyết định",
}

# Sheet names of the import template (Excel: at most 31 characters, none of \ / ? * [ ] :);
# the importer accepts them, the labels of TABLES and the table names.
SHEETS: dict[str, str] = {**TABLES, "unit_judgments": "Đánh giá tập thể"}

# Titles of the drop-down lists of the template's "Danh mục" sheet, by list.
LISTS: dict[str, str] = {
    "bool": "Có / Không",
    "block": "Khối",
    "discipline": "Kỷ luật",
    "review": "Đợt xét",
    "award": "Loại khen thưởng",
    "form": "Hình thức khen thưởng",
    "title": "Danh hiệu thi đua",
    "link_kind": "Hình thức sắp xếp",
    "gender": "Giới tính",
    "subject_kind": "Loại đăng ký",
    "unit_component": "Lĩnh vực",
    "units": "Mã đơn vị",
    "unit_names": "Tên đơn vị",
    "people": "Mã cá nhân",
}

STATUSES: dict[str, str] = {
    "proposed": "Đề nghị khen thưởng",
    "reserve": "Dự phòng (ngoài chỉ tiêu)",
    "pending": "Chờ bổ sung",
    "ineligible": "Chưa đạt tiêu chuẩn",
    "excluded": "Không khen thưởng",
    "deferred": "Chưa xét khen thưởng",
    "superseded": "Đã xét ở hình thức khác",
}

# The one status vocabulary of every page and file: order, icon, label, short word.
STATUS_ORDER = (
    "proposed",
    "reserve",
    "pending",
    "ineligible",
    "deferred",
    "excluded",
    "superseded",
)
STATUS_ICONS: dict[str, str] = {
    "proposed": "🏅",
    "reserve": "🟡",
    "pending": "⏳",
    "ineligible": "⚪",
    "deferred": "⏸️",
    "excluded": "⛔",
    "superseded": "↪️",
}
# Short status words for compact counters and tables (the full labels are STATUSES).
STATUS_SHORT: dict[str, str] = {
    "proposed": "Đề nghị",
    "reserve": "Dự phòng",
    "pending": "Chờ bổ sung",
    "ineligible": "Chưa đạt",
    "deferred": "Chưa xét",
    "excluded": "Không khen",
    "superseded": "Xét hình thức khác",
}

STATES: dict[str | None, str] = {"pass": "Đạt", "fail": "Không đạt", "unknown": "Chưa đủ dữ liệu"}
STATE_ICONS: dict[str, str] = {"pass": "✅", "fail": "❌", "unknown": "❔"}

DISCIPLINE: dict[str, str] = {
    "none": "Không",
    "disciplined": "đang thi hành kỷ luật",
    "under_review": "đang xem xét kỷ luật",
    "under_inspection": "đang bị thanh tra, kiểm tra, kiểm toán",
    "complaint_pending": "có đơn khiếu nại, tố cáo chưa giải quyết",
    "press_unverified": "có dư luận báo chí chưa được xác minh",
}

JUDGMENTS: dict[str, str] = {
    "head_directs": "Người đứng đầu trực tiếp chỉ đạo, điều hành CCHC",
    "outstanding": "Thành tích xuất sắc, tiêu biểu",
    "has_initiative": "Có mô hình mới, sáng kiến",
    "initiative_recognized": "Sáng kiến được Hội đồng KH&CN cấp tỉnh công nhận",
    "good_conduct": "Phẩm chất đạo đức tốt",
}

# What the committee records on screen, and account fields: the audit trail's field labels.
RECORDED_FIELDS: dict[str, str] = {
    **JUDGMENTS,
    "discipline": "Tình trạng kỷ luật",
    "proposed_form": "Hình thức đề nghị",
    "votes_for": "Số phiếu đồng ý",
    "council_members": "Số thành viên Hội đồng",
    "votes_pct": "Tỷ lệ phiếu bầu (%)",
    "is_nominated": "Được đề cử",
    "role": "Vai trò",
    "password": "Mật khẩu",
    "disabled": "Vô hiệu hoá",
    "failed_attempts": "Số lần nhập sai",
    "email_role": "Vai trò theo địa chỉ thư",
}

CRITERIA: dict[str, str] = {
    "tasks_on_time": "Hoàn thành 100% nhiệm vụ CCHC đúng tiến độ",
    "window_avg_band": "Chỉ số CCHC trung bình giai đoạn",
    "no_year_in_band": "Không có năm nào",
    "satisfaction_avg": "Tỷ lệ hài lòng trung bình",
    "component_improved": "Chỉ số thành phần tham mưu năm sau cao hơn năm trước",
    "component_improved_or_max": "Chỉ số thành phần tham mưu tăng hoặc duy trì tối đa",
    "ratio_improved": "Chỉ số CCHC tăng so với năm trước liền kề",
}

RANKING_KEYS: dict[str, str] = {
    "window_avg_pct": "Chỉ số trung bình giai đoạn",
    "end_ratio_pct": "Chỉ số năm cuối",
    "satisfaction_avg_pct": "Hài lòng trung bình",
    "component_delta_pct": "Mức tăng chỉ số thành phần",
    "component_end_pct": "Chỉ số thành phần năm cuối",
    "votes_pct": "Tỷ lệ phiếu bầu",
    "women_first": "nữ trước khi bằng phiếu",
}

LINK_KINDS: dict[str, str] = {
    "renamed": "đổi tên",
    "absorbed": "sáp nhập vào",
    "merged": "hợp nhất",
    "split": "chia tách",
}

GENDERS: dict[str, str] = {"nu": "nữ", "nam": "nam"}

SUBJECT_KINDS: dict[str, str] = {"unit": "đơn vị", "person": "cá nhân", "group": "nhóm"}

# Shortlist export headers (contract names first; Vietnamese for the UI).
SHORTLIST: dict[str, str] = {
    "review": "Đợt xét",
    "award": "Hình thức",
    "category": "Nhóm xét",
    "subject_id": "Mã",
    "subject_name": "Tên",
    "status": "Kết quả",
    "rank": "Thứ hạng",
    "window_avg": "Chỉ số TB giai đoạn (%)",
    "reasons": "Lý do",
    "recipient_id": "Mã đơn vị nhận",
    "recipient_name": "Đơn vị nhận khen thưởng",
}

REVIEW_KINDS: dict[str, str] = {"annual": "Hằng năm", "midterm": "Sơ kết", "final": "Tổng kết"}

# Vietnamese labels of a year-on-year trend.
TRENDS: dict[str, str] = {
    "up": "▲ tăng",
    "down": "▼ giảm",
    "same": "= không đổi",
    "max": "★ tối đa",
}

# Rank movement against the year before ({n} = number of places moved).
RANK_TRENDS: dict[str, str] = {
    "up": "▲ {n} bậc",
    "down": "▼ {n} bậc",
    "same": "= giữ hạng",
}


def status_label(status: str) -> str:
    """'🏅 Đề nghị khen thưởng' (icon and full label)."""
    return f"{STATUS_ICONS.get(status, '')} {STATUSES.get(status, status)}".strip()


def status_short(status: str) -> str:
    """'🏅 Đề nghị' (icon and short word)."""
    return f"{STATUS_ICONS.get(status, '')} {STATUS_SHORT.get(status, status)}".strip()


def state_label(state: str) -> str:
    """'✅ Đạt' / '❌ Không đạt' / '❔ Chưa đủ dữ liệu' for a criterion state."""
    return f"{STATE_ICONS.get(state, '')} {STATES.get(state, state)}".strip()


def quota_text(quota: int | None) -> str:
    return "không giới hạn chỉ tiêu" if quota is None else f"chỉ tiêu {quota}"


# The import's steps as shown by a progress bar: (share of the bar when it starts, text).
IMPORT_STEPS: dict[str, tuple[float, str]] = {
    "read": (0.1, "Bước 1/3: đọc tệp"),
    "check": (0.4, "Bước 2/3: kiểm tra"),
    "write": (0.7, "Bước 3/3: ghi vào kho dữ liệu"),
}

RECIPIENT_UNKNOWN = (
    "Đơn vị nhận khen thưởng: chưa xác định ngày quyết định (chưa có ngày công bố Chỉ số CCHC "
    "năm cuối của đợt xét) (chưa đủ dữ liệu)"
)

# Comparison modes of the browsing pages (rules.md §11).
COMPARISON_MODES: dict[str, str] = {
    "reported": "Như báo cáo",
    "restated": "Quy về đơn vị hiện nay",
    "continuing": "Chỉ đơn vị liên tục",
}
COMPARISON_HELP = (
    "Như báo cáo: mỗi năm các đơn vị như khi được đánh giá. Quy về đơn vị hiện nay: các đơn vị "
    "của năm cuối, các năm trước lấy số liệu của đơn vị tiền thân chính. Chỉ đơn vị liên tục: "
    "chỉ các đơn vị (cùng mã) hoạt động trong mọi năm được hiển thị."
)

HISTORY: dict[str, str] = {
    "primary_chain": "kế thừa số liệu của đơn vị tiền thân chính",
    "own": "chỉ số liệu của chính đơn vị",
}

# A plan that an amendment extends, shown beside the amendment (issue 9: the seed plan's demo
# assumes the 2025 reorganisation did not happen)
AS_WRITTEN_SCENARIO = "kịch bản: kế hoạch như ban hành, giả định không sáp nhập"


def named_with_recipient(
    subject_id: object, name: object, recipient_id: object, recipient_name: object
) -> str:
    """'Sở Kế hoạch và Đầu tư — đơn vị nhận: Sở Tài chính' when another unit receives the
    award at the decision date (rules.md §11: the body that exists then), else the name."""
    text = "" if name is None else str(name)
    if isinstance(recipient_id, str) and recipient_id and recipient_id != subject_id:
        return f"{text} — đơn vị nhận: {recipient_name}"
    return text
