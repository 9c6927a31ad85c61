"""Every named site or project the corpus scan finds has a place, or a recorded reason why not."""

from __future__ import annotations

from tests.helpers import load_benchmark

SCAN = load_benchmark("place_scan")


def test_candidates_are_cut_at_openers_and_never_inside_a_longer_name() -> None:
    text = "加快建设双柳长江大桥、汉南过江通道。高标准规划建设东湖科学城,以东湖科学城为创新极核。"
    assert SCAN.candidates(text) == ["双柳长江大桥", "汉南过江通道", "东湖科学城", "东湖科学城"]
    assert SCAN.candidates("新增2家全国重点实验室") == ["全国重点实验室"]


def test_every_candidate_in_the_corpus_is_located_unlocated_or_generic() -> None:
    from geodata.places import default_tables

    result = SCAN.tally(SCAN.scan(SCAN.corpus_texts()), default_tables(), SCAN.read_generic())
    assert result.missing == []
    assert len(result.found) >= 250 and len(result.located) >= 60


def test_the_audited_names_are_found_and_located() -> None:
    from geodata.places import default_tables

    texts = [
        ("a", "统筹推进两江四岸、大黄鹤楼、大东湖、大知音、大木兰等核心文旅板块资源整合。"),
        ("b", "加快建设双柳长江大桥、汉南过江通道等重大项目。"),
        ("c", "推动东湖、新港空港、经开等综合保税区发展。"),
    ]
    result = SCAN.tally(SCAN.scan(texts), default_tables(), SCAN.read_generic())
    # 大知音 and 大木兰 end in no site word: they are held by test_tagging's audited mentions
    assert {"大黄鹤楼", "大东湖", "双柳长江大桥"} <= result.located
    assert result.missing == []
