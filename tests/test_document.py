"""Parsing whole (small) documents: structure, wrapper, PDF breaks and line coverage."""

from __future__ import annotations

from collections.abc import Callable

from assignments.model import ParsedDocument

Parse = Callable[[str], ParsedDocument]

REPORT = """导航菜单
市人民政府关于印发2030年市《政府工作报告》目标任务责任分解方案的通知
发文机构: 武汉市人民政府 发文字号: 武政〔2030〕1号 成文日期: 2030年01月20日
各区人民政府,市人民政府各部门:
一、强化工作统筹,科学制订办理方案。各责任单位要系统谋划所承办的责任事项。
2030年1月20日

2030年市《政府工作报告》目标任务
责任分解方案

一、经济社会发展主要预期目标

(一)地区生产总值增长 6% 。(牵头单位:市发改委;责任单位:各区人民政府〈含开发区、长江新区、风景区管委会,下同〉)

二、重点工作

(一)奋力推动科技自立自强

——着力增强创新策源能力

1. 加快光谷科学岛建设,推进

重大科技基础设施建设。(牵头单位:东湖高新区管

委会;责任单位:市科技局)

2. 新增消防站 10 座。(责任单位:市消防救援支队)

3. 建设创新街区。
(牵头单位:市科技局;责任单位:武昌、洪山、江夏区人民政府)

本文地址:/a/b.html
留言与评论
"""


def test_structure_and_ids(parse_text: Parse) -> None:
    doc = parse_text(REPORT)
    ids = [t.task_id for t in doc.tasks]
    assert ids == ["wr2030-1.0.1", "wr2030-2.1.1", "wr2030-2.1.2", "wr2030-2.1.3"]
    first = doc.tasks[1]
    assert first.part == "二、重点工作"
    assert first.chapter == "(一)奋力推动科技自立自强"
    assert first.subsection == "——着力增强创新策源能力"
    assert first.text == "加快光谷科学岛建设,推进重大科技基础设施建设。"
    assert first.units_in("lead") == ["东湖高新区管委会"]


def test_metadata_inferred_from_text(parse_text: Parse) -> None:
    meta = parse_text(REPORT).meta
    assert meta.plan_id == "wr2030"
    assert meta.title == "2030年市《政府工作报告》目标任务责任分解方案"
    assert meta.kind == "年度政府工作报告任务分解"
    assert (meta.year, meta.doc_no, meta.issuer, meta.issued_on) == (
        2030,
        "武政〔2030〕1号",
        "武汉市人民政府",
        "2030-01-20",
    )
    assert meta.missing == ()


def test_no_lead_means_responsible_units_lead(parse_text: Parse) -> None:
    task = parse_text(REPORT).tasks[2]
    roles = [(u.unit, u.role) for u in task.units]
    assert ("市消防救援支队", "derived_lead") in roles
    assert ("市消防救援支队", "responsible") in roles
    assert task.units_in("lead") == []


def test_unit_line_under_item_and_shared_suffix(parse_text: Parse) -> None:
    task = parse_text(REPORT).tasks[3]
    assert task.text == "建设创新街区。"
    assert task.units_in("responsible") == ["武昌区人民政府", "洪山区人民政府", "江夏区人民政府"]


def test_every_nonempty_line_accounted_for_once(parse_text: Parse) -> None:
    doc = parse_text(REPORT)
    nonempty = [i + 1 for i, line in enumerate(REPORT.splitlines()) if line.strip()]
    assert [c.line_no for c in doc.coverage] == nonempty
    status = {c.line_no: c.status for c in doc.coverage}
    assert status[1] == "noise"  # 导航菜单
    assert status[2] == "metadata"  # the notice
    assert status[8] == status[9] == "heading"  # the plan title
    assert status[len(REPORT.splitlines())] == "noise"  # 留言与评论
    assert "unparsed" not in status.values()


def test_stray_text_after_complete_item_is_reported(parse_text: Parse) -> None:
    doc = parse_text(REPORT.replace("2. 新增", "这一段不属于任何条目。\n\n2. 新增"))
    unparsed = [c for c in doc.coverage if c.status == "unparsed"]
    assert len(unparsed) == 1 and "complete item" in unparsed[0].detail
    assert len(doc.tasks) == 4


def test_orphan_unit_tail_joins_the_complete_item_above_and_is_reported(parse_text: Parse) -> None:
    doc = parse_text(REPORT.replace("2. 新增", "位:市科技局、市人社局)\n\n2. 新增"))
    first = doc.tasks[1]
    assert [u.unit for u in first.units if u.role == "responsible"][-2:] == ["市科技局", "市人社局"]
    assert any("repair: orphan unit tail" in w for w in doc.warnings)
    assert len(doc.tasks) == 4


def test_orphan_unit_tail_after_a_heading_is_not_attached(parse_text: Parse) -> None:
    doc = parse_text(REPORT.replace("2. 新增", "(九)新章节\n位:市科技局)\n\n2. 新增"))
    assert not any("repair" in w for w in doc.warnings)


PROPOSAL = """尊龙凯时官网,尊龙凯时,AG尊龙凯时,尊龙娱乐,尊龙平台,尊龙登录入口,尊龙app下载
“十四五”时期是武汉发展史上极不寻常、极不平凡的五年,英雄城市浴火重生,经济社会发展生机勃勃,我们完成了规划目标任务,面对错综复杂的国际形势和艰巨繁重的改革发展稳定任务。
2.“十五五”时期在全面建设现代化大武汉进程中处于接续奋斗、成势见效的重要阶段。
5.大力提振消费。激发文化娱乐、旅游休闲等改善型消费活力。
把捍卫政治安全摆在首位,加强国家安全能力建设。
"""


def test_paragraph_document(parse_text: Parse) -> None:
    doc = parse_text(PROPOSAL)
    # item 1 (number lost: the review of 十四五) and item 2 (the situation) are framing
    assert [t.item_no for t in doc.tasks] == ["5", ""]
    assert doc.coverage[0].status == "noise"
    assert [c.status for c in doc.coverage[1:3]] == ["context", "context"]
    assert doc.coverage[1].detail.startswith("review:")
    assert "文化娱乐" in doc.tasks[0].text  # 娱乐 in a sentence is not spam
    assert any("numbers jump 2→5" in w for w in doc.warnings)


def test_framing_wording_in_an_annotated_item_stays_a_task(parse_text: Parse) -> None:
    text = "一、主要任务\n1.“十五五”时期我市发展处于重要战略机遇期。(责任单位:市发改委)\n"
    text += "2.任务乙。(责任单位:市发改委)\n3.任务丙。(责任单位:市发改委)\n"
    assert [t.item_no for t in parse_text(text).tasks] == ["1", "2", "3"]


def test_requirements_part_is_not_tasks(parse_text: Parse) -> None:
    text = "一、主要任务\n1.任务甲。(责任单位:市发改委)\n四、工作要求\n(一)推动任务落地见效。各区要抓好落实。\n"
    doc = parse_text(text)
    assert len(doc.tasks) == 1
    assert doc.coverage[-1].status == "metadata"


def test_full_width_numbering_and_brackets(parse_text: Parse) -> None:
    text = "一、重点工作\n1、推进汉正街转型升级。［牵头单位：市商务局，配合单位：硚口区人民政府］\n"
    task = parse_text(text).tasks[0]
    assert task.item_no == "1"
    assert task.units_in("lead") == ["市商务局"]
    assert task.units_in("responsible") == ["硚口区人民政府"]
