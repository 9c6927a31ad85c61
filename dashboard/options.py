"""Domain values the controls offer and the logic compares against, each with one label.

Enums are `StrEnum`s, so they equal the plain strings in the data tables and the URL
("lead" == AgencyRole.LEAD) and layout, logic, URL and exports share one spelling.
"""

from __future__ import annotations

from enum import StrEnum

from assignments.schema import ROLE_DERIVED_LEAD, ROLE_LEAD


class CountMode(StrEnum):
    """Which place links count on the map."""

    SPECIFIC = "specific"  # 专项任务: lead / responsible / mention
    WITH_CITYWIDE = "citywide"  # 含全市性任务: also 各区 / 各中心城区 / 各新城区


class AgencyRole(StrEnum):
    """Which of a unit's roles the agency filter and chart count."""

    ANY = "any"
    LEAD = "lead"  # lead or derived lead (无牵头单位的,责任单位即为牵头单位)


class Link(StrEnum):
    """How a task reaches a place (task_places.csv `link`)."""

    LEAD = "lead"
    RESPONSIBLE = "responsible"
    MENTION = "mention"
    GROUP = "group"  # 各区 / 各中心城区 / 各新城区


MODE_LABELS = {CountMode.SPECIFIC: "专项任务", CountMode.WITH_CITYWIDE: "含全市性任务"}
ROLE_LABELS = {AgencyRole.ANY: "任一角色", AgencyRole.LEAD: "仅牵头"}
LINK_LABELS = {
    Link.LEAD: "牵头",
    Link.RESPONSIBLE: "责任",
    Link.MENTION: "文中提及",
    Link.GROUP: "群体表述",
}
SPECIFIC_LINKS = (Link.LEAD, Link.RESPONSIBLE, Link.MENTION)
ALL_LINKS = (*SPECIFIC_LINKS, Link.GROUP)
LEAD_ROLES = (ROLE_LEAD, ROLE_DERIVED_LEAD)  # task_units.csv roles that count as leading
MAPPED_KINDS = ("district", "zone")  # place kinds drawn on the map
