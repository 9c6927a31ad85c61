"""The data-folder contract: file names, columns and separators of what `task-atlas build` writes.

Writers (pipeline/) and readers (dashboard/, outside checks) import these names; the meaning of
each value is in docs/data-contract.md.
"""

from __future__ import annotations

#: Files of a data folder.
PLANS_FILE = "plans.csv"
TASKS_FILE = "tasks.csv"
TASK_UNITS_FILE = "task_units.csv"
COVERAGE_FILE = "coverage.csv"
TASK_PLACES_FILE = "task_places.csv"
PLACES_FILE = "places.geojson"
REPORT_FILE = "build_report.json"
DATA_FILES = (
    PLANS_FILE,
    TASKS_FILE,
    TASK_UNITS_FILE,
    COVERAGE_FILE,
    TASK_PLACES_FILE,
    PLACES_FILE,
    REPORT_FILE,
)

PLANS_COLUMNS = (
    "plan_id",
    "title",
    "kind",
    "year",
    "doc_no",
    "issuer",
    "issued_on",
    "n_tasks",
    "sources",
)
TASKS_COLUMNS = (
    "task_id",
    "plan_id",
    "part",
    "chapter",
    "subsection",
    "item_no",
    "text",
    "lead_units",
    "responsible_units",
    "sector",
    "source_file",
    "source_line",
    "same_target",
)
TASK_UNITS_COLUMNS = ("task_id", "unit_raw", "unit", "unit_kind", "role")
COVERAGE_COLUMNS = ("source_file", "line_no", "status", "detail")
TASK_PLACES_COLUMNS = (
    "task_id",
    "place",
    "place_kind",
    "link",
    "group",
    "evidence",
    "precision",
)

#: task_places row for 相关区人民政府 (districts not specified, precision 8): an explicit place
#: value and kind, never an empty cell that reads like missing data.
PLACE_UNSPECIFIED = "未指明区"
PLACE_KIND_UNSPECIFIED = "unspecified"

#: tasks.csv `same_target`: the ids (joined by UNIT_SEPARATOR) of the other tasks of the plan
#: that state the same target (a 民生实事 repeating a 重点工作); totals count such a group once.
SAME_TARGET = "same_target"

#: Separator for several canonical unit names in one cell of tasks.csv (and file names in
#: plans.csv `sources`).
UNIT_SEPARATOR = "|"
#: Separator for several evidence phrases in one `evidence` cell of task_places.csv.
EVIDENCE_SEPARATOR = "|"

#: Roles in task_units.csv.
ROLE_LEAD = "lead"
ROLE_RESPONSIBLE = "responsible"
ROLE_DERIVED_LEAD = "derived_lead"  # 无牵头单位的,责任单位即为牵头单位

#: Line statuses in coverage.csv.
#: `context`: a framing paragraph (review, situation, guiding thought, closing) kept out of tasks.
COVERAGE_STATUSES = ("task", "heading", "metadata", "noise", "unparsed", "context")

#: Unit kinds in task_units.csv (Chinese labels for the interface).
UNIT_KINDS = {
    "municipal": "市直部门",
    "district": "区人民政府",
    "zone": "功能区管委会",
    "soe": "市属国有企业",
    "people_org": "人民团体",
    "central_provincial": "驻汉中央和省属单位",
    "group": "群体表述",
    "unknown": "未识别单位",
}
