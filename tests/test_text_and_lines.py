"""Normalisation and line classification on tiny inline texts."""

from __future__ import annotations

import pytest

from assignments.lines import LineKind, classify, cn_to_int
from assignments.text import normalise


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("地区生产总值增长 6.5% 以上。", "地区生产总值增长6.5%以上。"),
        ("城镇新增就业 22 万人以上", "城镇新增就业22万人以上"),
        (
            "（牵头单位：市发改委；责任单位：市经信局，市商务局）",
            "(牵头单位:市发改委;责任单位:市经信局,市商务局)",
        ),
        ("REITs 基金等资金", "REITs基金等资金"),
        ("D+M 工业设计小镇", "D+M工业设计小镇"),
        ("\ufeff１２３ＡＢＣ", "123ABC"),
        ("5G and AI 赋能", "5G and AI赋能"),
    ],
)
def test_normalise(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


@pytest.mark.parametrize(
    ("numeral", "value"), [("一", 1), ("十", 10), ("十四", 14), ("二十三", 23)]
)
def test_cn_to_int(numeral: str, value: int) -> None:
    assert cn_to_int(numeral) == value


@pytest.mark.parametrize(
    ("line", "kind", "number"),
    [
        ("一、主要指标分工", LineKind.PART, "1"),
        ("二十、强化公共安全保障", LineKind.PART, "20"),
        ("(一)约束性指标", LineKind.CHAPTER, "1"),
        ("(二十)强化公共安全保障", LineKind.CHAPTER, "20"),
        ("(一)地区生产总值增长6%。(牵头单位:市发改委;责任单位:各区人民政府)", LineKind.ITEM, "1"),
        ("——千方百计提振促进消费", LineKind.SUBSECTION, ""),
        ("63.深化实施“武汉英才”计划。(牵头单位:市人才工作局)", LineKind.ITEM, "63"),
        ("1、加快光谷科学岛建设。", LineKind.ITEM, "1"),
        ("牵头单位:市委组织部;责任单位:市人社局。", LineKind.UNITS, ""),
        ("[牵头单位:市科技局]", LineKind.UNITS, ""),
        ("1.3万家企业入库", LineKind.TEXT, ""),
        ("2035年远景目标纲要任务分工方案", LineKind.TEXT, ""),
        # the notice's own numbered paragraphs are long sentences, not part headings
        (
            "一、高度重视,精心组织,科学制订办理方案。各责任单位要逐项系统科学谋划。",
            LineKind.TEXT,
            "",
        ),
    ],
)
def test_classify(line: str, kind: LineKind, number: str) -> None:
    got = classify(line)
    assert (got.kind, got.number) == (kind, number)
