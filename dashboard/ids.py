"""Component ids of the dashboard, in one place so layout, callbacks and tests agree."""

from __future__ import annotations

from enum import StrEnum


class Id(StrEnum):
    """Every component id the layout declares and the callbacks wire."""

    ROOT = "atlas-root"
    VIEW_TABS = "view-tabs"
    TAB_MEMORY = "view-tab-memory"  # each view's last hash, so a tab comes back as it was
    PROGRESS_FILTERS = "progress-filters"  # the URL ?query, handed over while 进度 is open
    URL = "url"
    URL_NOTICE = "url-notice"
    URL_SPEC = "url-spec"  # the URL's rules for the browser (urlstate.browser_spec)
    PLANS = "filter-plans"
    SECTORS = "filter-sectors"
    AGENCY = "filter-agency"
    AGENCY_ROLE = "filter-agency-role"
    LINKS = "filter-links"
    KEYWORD = "filter-keyword"
    MODE = "filter-mode"
    ZONES = "filter-zones"
    CLEAR_ALL = "clear-all"
    MAP = "district-map"
    AGENCY_BAR = "agency-bar"
    SELECTED_PLACE = "selected-place"
    CLEAR_SELECTION = "clear-selection"
    PANEL = "place-panel"
    PANEL_TITLE = "place-panel-title"
    DOWNLOAD_CSV = "download-csv"
    DOWNLOAD_XLSX = "download-xlsx"
    DOWNLOAD = "panel-download"
    SUMMARY = "city-summary"
    HEADLINE = "headline"
    CAPTION = "filters-caption"
    BRIEFING = "briefing-toggle"
    ACCOUNT_BADGE = "account-badge"  # who is logged in, 登录/退出 (access.writes)
    EXPORT_FORMAT = "export-format"
    EXPORT_SIZE = "export-size"
    EXPORT_BUTTON = "export-button"
    EXPORT_DOWNLOAD = "export-download"
    EXPORT_NOTICE = "export-notice"
