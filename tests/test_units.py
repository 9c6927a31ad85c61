"""Splitting unit annotations off item texts."""

from __future__ import annotations

from assignments.units import split_annotation, split_unit_list


def test_plain_annotation() -> None:
    ann = split_annotation("加快光谷科学岛建设。(牵头单位:东湖高新区管委会;责任单位:市科技局)")
    assert ann.text == "加快光谷科学岛建设。"
    assert ann.units == (("东湖高新区管委会", "lead"), ("市科技局", "responsible"))


def test_several_leads_and_comma_lists() -> None:
    ann = split_annotation(
        "打造产业创新高地。(牵头单位:市科技局、市发改委、市经信局;责任单位:市财政局,东湖高新区管委会)"
    )
    assert [u for u, r in ann.units if r == "lead"] == ["市科技局", "市发改委", "市经信局"]
    assert [u for u, r in ann.units if r == "responsible"] == ["市财政局", "东湖高新区管委会"]


def test_note_in_angle_brackets_stays_with_its_unit() -> None:
    ann = split_annotation(
        "增长6%。(牵头单位:市发改委;责任单位:各区人民政府〈含开发区、长江新区、风景区管委会,下同〉)"
    )
    assert ann.units[1] == ("各区人民政府〈含开发区、长江新区、风景区管委会,下同〉", "responsible")


def test_nested_form_keeps_scope_words() -> None:
    ann = split_annotation(
        "扎实开展省内协作和对口帮扶。(结对帮扶恩施州和宜昌市五峰县〈责任单位:市乡村振兴局〉;"
        "对口支援三峡库区秭归、兴山、五峰县〈责任单位:市水务局〉)"
    )
    assert ann.units == (("市乡村振兴局", "responsible"), ("市水务局", "responsible"))
    assert "恩施州" in ann.text and "秭归" in ann.text and "责任单位" not in ann.text


def test_square_brackets_comma_between_roles_and_配合单位() -> None:
    ann = split_annotation("新建消防站。[牵头单位:市消防救援支队,配合单位:各区人民政府]")
    assert ann.text == "新建消防站。"
    assert ann.units == (("市消防救援支队", "lead"), ("各区人民政府", "responsible"))


def test_bare_unit_line_joined_under_its_item() -> None:
    ann = split_annotation("“1553”人才工作框架牵头单位:市委组织部;责任单位:市人社局、市科技局。")
    assert ann.text == "“1553”人才工作框架"
    assert [u for u, _ in ann.units] == ["市委组织部", "市人社局", "市科技局"]


def test_parenthesis_that_is_not_an_annotation_stays() -> None:
    ann = split_annotation("新建社区老年人服务中心(站)70个。(责任单位:市民政局)")
    assert ann.text == "新建社区老年人服务中心(站)70个。"


def test_no_annotation() -> None:
    ann = split_annotation("健全国家安全体系。")
    assert (ann.text, ann.units, ann.annotated) == ("健全国家安全体系。", (), False)


def test_split_unit_list_top_level_only() -> None:
    assert split_unit_list("市委农办,市自然资源规划局,蔡甸、江夏区人民政府。") == [
        "市委农办",
        "市自然资源规划局",
        "蔡甸",
        "江夏区人民政府",
    ]
