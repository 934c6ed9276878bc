"""The authored content: complete, citing only the registry, current article numbers, validated."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from checker import checks
from checker.content import (
    PATTERN_IDS,
    ContentError,
    get_laws,
    get_pattern,
    get_patterns,
    load_content,
)
from checker.presentation import pattern_summary

CONTENT = Path(settings.BASE_DIR) / "content"

# Article numbers that were valid once and are not now, with what replaced them. A reference to any
# of these is a mistake: the 2025 amendments took effect on 2026-01-01.
SUPERSEDED = {
    ("cybersecurity-law", "第十四条"): "第十五条",
    ("cybersecurity-law", "第二十七条"): "第二十九条",
    ("cybersecurity-law", "第四十四条"): "第四十六条",
    ("cybersecurity-law", "第六十四条"): "第七十一条",
    ("cybersecurity-law", "第七十六条"): "第七十八条",
    ("public-security-law", "第四十二条"): "第五十条",
    ("public-security-law", "第四十九条"): "第五十八条",
    ("public-security-law", "第五十一条"): "第六十二条",
    ("public-security-law", "第五十二条"): "第六十三条",
}


def raw_patterns() -> dict[str, dict]:
    return {
        path.parent.name: yaml.safe_load(path.read_text())
        for path in sorted((CONTENT / "patterns").glob("*/pattern.yaml"))
    }


def raw_laws() -> dict[str, dict]:
    return {law["key"]: law for law in yaml.safe_load((CONTENT / "laws.yaml").read_text())["laws"]}


def all_refs() -> list[tuple[str, dict]]:
    refs = [(pid, ref) for pid, data in raw_patterns().items() for ref in data["legal_refs"]]
    channels = yaml.safe_load((CONTENT / "channels.yaml").read_text())["channels"]
    refs += [(f"channel {c['key']}", ref) for c in channels for ref in c["legal_basis"]]
    return refs


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    """A writable copy of content/ to break on purpose."""
    root = tmp_path / "content"
    shutil.copytree(CONTENT, root, ignore=shutil.ignore_patterns("training"))
    return root


def edit_yaml(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))


# --- Completeness --------------------------------------------------------------------------


def test_every_taxonomy_id_has_a_file_and_no_file_is_outside_the_taxonomy():
    assert sorted(raw_patterns()) == sorted(PATTERN_IDS)


@pytest.mark.parametrize("pattern_id", PATTERN_IDS)
def test_every_taxonomy_id_has_complete_content(pattern_id):
    pattern = get_pattern(pattern_id)
    assert pattern.id == pattern_id
    for text in (pattern.title, pattern.warning):
        assert text.strip()
    assert 3 <= len(pattern.how_it_works) <= 5
    for group in (pattern.how_it_works, pattern.consequences, pattern.advice.before, pattern.advice.after):
        assert group and all(item.strip() for item in group)
    assert pattern.legal_refs and all(ref.why.strip() and ref.article.text.strip() for ref in pattern.legal_refs)
    assert pattern.cases
    for case in pattern.cases:
        assert case.place and case.summary and case.scale and case.year
        assert (Path(case.source.seed).suffix, case.source.title, case.source.publisher) != (".txt", "", "")
        assert case.source.title and case.source.publisher


def test_warnings_are_one_sentence():
    for pattern in get_patterns().values():
        body = pattern.warning.rstrip("。！")
        assert not any(mark in body for mark in "。！？"), pattern.id


def test_patterns_come_in_taxonomy_order():
    assert tuple(get_patterns()) == PATTERN_IDS


def test_unknown_pattern_raises_key_error():
    with pytest.raises(KeyError):
        get_pattern("no-such-pattern")


def test_every_pattern_tells_people_to_call_110_when_money_moved():
    for pattern in get_patterns().values():
        assert any("110" in step for step in pattern.advice.after), pattern.id


# --- Legal references ----------------------------------------------------------------------


def test_every_legal_reference_resolves_to_an_entry_of_the_law_registry():
    laws = raw_laws()
    for where, ref in all_refs():
        assert ref["law"] in laws, f"{where}: unknown law {ref['law']}"
        keys = {a["key"] for a in laws[ref["law"]]["articles"]}
        assert ref["article"] in keys, f"{where}: {ref['law']} {ref['article']} is not in laws.yaml"


def test_no_reference_uses_a_superseded_article_number():
    for where, ref in all_refs():
        assert (ref["law"], ref["article"]) not in SUPERSEDED, f"{where}: {ref['law']} {ref['article']} is superseded"
    for key, law in raw_laws().items():
        for article in law["articles"]:
            assert (key, article["key"]) not in SUPERSEDED, f"laws.yaml: {key} {article['key']} is superseded"


def test_renumbered_articles_record_the_known_renumbering():
    for law in get_laws().values():
        for article in law.articles:
            if article.renumbered_from:
                # Renumbering moves whole articles; a quoted paragraph keeps its 款 after the new number.
                new = SUPERSEDED[(law.key, article.renumbered_from)]
                assert article.key == new or article.key.startswith(new + "第"), article.key
                assert article.renumbered_since.isoformat() == "2026-01-01"


def test_cybersecurity_law_46_is_the_personal_information_article():
    # The old 第四十六条 (criminal websites) is now 第四十八条; the number now holds the old 第四十四条.
    article = get_laws()["cybersecurity-law"].article("第四十六条")
    assert "不得非法出售或者非法向他人提供个人信息" in article.text
    assert article.renumbered_from == "第四十四条"


def test_public_security_law_is_cited_as_the_2025_revision():
    law = get_laws()["public-security-law"]
    assert law.edition == "2025年修订"
    assert law.effective.isoformat() == "2026-01-01"
    assert "冒充国家机关工作人员招摇撞骗" in law.article("第六十二条").text


def test_renting_out_your_own_card_cites_287_2_and_the_anti_fraud_law_not_177_1():
    cited = {(ref.law.key, ref.article.key) for ref in get_pattern("card-account-rental").legal_refs}
    assert ("criminal-law", "第一百七十七条之一") not in cited
    assert {
        ("criminal-law", "第二百八十七条之二第一款"),
        ("anti-fraud-law", "第三十一条第一款"),
        ("anti-fraud-law", "第四十四条"),
    } <= cited
    for ref in get_pattern("card-account-rental").legal_refs:
        assert ref.article.key != "第一百七十七条之一"


def test_the_person_as_possible_offender_is_covered_where_it_applies():
    for pattern_id in ("id-photo-collection", "paid-account-registration", "face-data-request", "card-account-rental"):
        you = {(r.law.key, r.article.key) for r in get_pattern(pattern_id).refs_for("you")}
        assert ("anti-fraud-law", "第三十一条第一款") in you, pattern_id
    fake = {(r.law.key, r.article.key) for r in get_pattern("fake-authority").refs_for("fraudster")}
    assert {("criminal-law", "第二百六十六条"), ("criminal-law", "第二百七十九条")} <= fake
    assert ("public-security-law", "第六十二条") in fake


def test_consequences_use_the_law_s_own_conditions():
    # 反电信网络诈骗法第三十一条第二款 says the measures 可以 be taken, and freezing is not one of them;
    # 第四十四条 detains only 情节严重. A page that says more than the article misleads.
    overstated = ("会被记入信用记录", "会被冻结", "被冻结、限制", "也会被罚款、拘留")
    for pattern in get_patterns().values():
        for text in pattern.consequences + tuple(ref.why for ref in pattern.legal_refs):
            for phrase in overstated:
                assert phrase not in text, f"{pattern.id}: {text}"
    for pattern_id in ("card-account-rental", "paid-account-registration"):
        refs = {r.article.key: r.why for r in get_pattern(pattern_id).legal_refs if r.law.key == "anti-fraud-law"}
        assert "可以" in refs["第三十一条第二款"] and "申诉" in refs["第三十一条第二款"], pattern_id


def test_each_citation_the_audit_asked_for_is_in_place():
    def cited(pattern_id):
        return {(r.law.key, r.article.key) for r in get_pattern(pattern_id).legal_refs}

    assert {("pipl", "第十五条"), ("pipl", "第十六条")} <= cited("excessive-authorization")
    assert ("criminal-law", "第三百一十二条第一款") in cited("card-account-rental")
    assert ("anti-fraud-law", "第二十条") in cited("money-transfer-fraud")
    assert {("civil-code", "第一千零一十九条第一款"), ("public-security-law", "第五十条第一款")} <= cited(
        "fake-authority"
    )


def test_cases_quote_their_seed_faithfully():
    # The seed says 完成人脸识别、短信验证; nobody "reported a code" to anyone.
    for pattern_id in ("paid-account-registration", "nominee-registration"):
        for case in get_pattern(pattern_id).cases:
            if case.source.seed == "001_f1d87565b0635607.txt":
                assert "人脸识别" in case.summary and "短信验证" in case.summary
                assert "报了验证码" not in case.summary


def test_the_koala_credit_report_is_dated_2019():
    # shared/seeds/003: "今年 4 月" after the 2018 arrests, and "去年 3 月" for the 2018 Facebook leak.
    for pattern_id in ("personal-data-trade", "fake-authority"):
        for case in get_pattern(pattern_id).cases:
            if case.source.seed == "003_cd7e76e578c03cea.txt":
                assert case.year == 2019, pattern_id


def test_pattern_titles_use_plain_words():
    for pattern in get_patterns().values():
        for jargon in ("索权", "授权"):
            assert jargon not in pattern.title, pattern.id


def test_left_out_texts_are_named_in_the_registry_notes():
    notes = yaml.safe_load((CONTENT / "laws.yaml").read_text())["notes"]
    assert any("联合惩戒办法" in note["about"] for note in notes)
    quoted_names = {law["name"] for law in raw_laws().values()}
    for note in notes:
        assert not any(name in note["about"] for name in quoted_names), note["about"]


def test_a_misspelt_field_in_the_registry_notes_is_reported(content_copy):
    path = content_copy / "laws.yaml"
    edit_yaml(path, lambda d: d["notes"][0].update(reason="多写了一个字段"))
    with pytest.raises(ContentError) as caught:
        load_content(content_copy)
    assert caught.value.path == path


def test_every_registry_article_is_cited_somewhere():
    cited = {(ref["law"], ref["article"]) for _, ref in all_refs()}
    for key, law in raw_laws().items():
        for article in law["articles"]:
            assert (key, article["key"]) in cited, f"{key} {article['key']} is quoted but never cited"


def test_quotes_mark_omissions_with_the_chinese_ellipsis_only():
    for law in get_laws().values():
        for article in law.articles:
            text = article.text.replace("……", "")
            assert "…" not in text and "..." not in text, f"{law.key} {article.key}"


def test_every_law_links_to_an_official_database():
    for law in get_laws().values():
        assert law.url.startswith("https://flk.npc.gov.cn/"), law.key


# --- The JSON summary ----------------------------------------------------------------------


def test_pattern_summary_is_json_ready_and_links_to_the_pattern_page():
    summary = pattern_summary("card-account-rental")
    json.dumps(summary)
    assert summary["title"] == get_pattern("card-account-rental").title
    assert summary["url"] == "/patterns/card-account-rental/"
    assert summary["advice"]["before"] and summary["advice"]["after"]
    ref = summary["legal_refs"][0]
    assert set(ref) >= {"law", "article", "text", "effective", "url", "applies_to"}
    assert ref["law"] == "中华人民共和国刑法" and ref["effective"] == "2015-11-01"


def test_pattern_summary_names_the_2025_revision():
    refs = pattern_summary("fake-authority")["legal_refs"]
    assert "中华人民共和国治安管理处罚法（2025年修订）" in {r["law"] for r in refs}


# --- Validation ----------------------------------------------------------------------------


def test_the_shipped_content_loads_from_a_copy(content_copy):
    assert tuple(load_content(content_copy).patterns) == PATTERN_IDS


def test_schemas_are_valid_json_schemas():
    from jsonschema import Draft202012Validator

    for path in (CONTENT / "schema").glob("*.json"):
        Draft202012Validator.check_schema(json.loads(path.read_text()))


def test_a_missing_field_is_reported_with_the_file_and_field(content_copy):
    path = content_copy / "patterns" / "gift-qr-lure" / "pattern.yaml"
    edit_yaml(path, lambda d: d.pop("warning"))
    with pytest.raises(ContentError) as caught:
        load_content(content_copy)
    assert caught.value.path == path
    assert caught.value.field == "warning"
    assert "gift-qr-lure/pattern.yaml" in str(caught.value) and "warning" in str(caught.value)


def test_an_empty_advice_list_is_reported(content_copy):
    path = content_copy / "patterns" / "fake-authority" / "pattern.yaml"
    edit_yaml(path, lambda d: d["advice"].update(after=[]))
    with pytest.raises(ContentError, match=r"fake-authority/pattern\.yaml: advice\.after"):
        load_content(content_copy)


def test_a_blank_step_is_reported(content_copy):
    path = content_copy / "patterns" / "fake-authority" / "pattern.yaml"
    edit_yaml(path, lambda d: d["how_it_works"].__setitem__(1, "   "))
    with pytest.raises(ContentError, match=r"fake-authority/pattern\.yaml: how_it_works\[1\]"):
        load_content(content_copy)


def test_too_many_steps_are_reported(content_copy):
    path = content_copy / "patterns" / "fake-authority" / "pattern.yaml"
    edit_yaml(path, lambda d: d["how_it_works"].extend(["多一步"] * 3))
    with pytest.raises(ContentError, match=r"fake-authority/pattern\.yaml: how_it_works"):
        load_content(content_copy)


def test_a_misspelt_field_is_reported(content_copy):
    path = content_copy / "patterns" / "id-photo-collection" / "pattern.yaml"
    edit_yaml(path, lambda d: d.update(warnings="多写了一个字段"))
    with pytest.raises(ContentError) as caught:
        load_content(content_copy)
    assert caught.value.field == "warnings"


def test_an_article_missing_from_the_registry_is_reported(content_copy):
    path = content_copy / "patterns" / "card-account-rental" / "pattern.yaml"
    edit_yaml(path, lambda d: d["legal_refs"][0].update(law="criminal-law", article="第一百七十七条之一"))
    with pytest.raises(ContentError) as caught:
        load_content(content_copy)
    assert caught.value.path == path
    assert caught.value.field == "legal_refs[0].article"
    assert "第一百七十七条之一" in caught.value.message


def test_an_unknown_law_is_reported(content_copy):
    path = content_copy / "patterns" / "card-account-rental" / "pattern.yaml"
    edit_yaml(path, lambda d: d["legal_refs"][2].update(law="banking-law"))
    with pytest.raises(ContentError) as caught:
        load_content(content_copy)
    assert caught.value.field == "legal_refs[2].law"


def test_a_wrong_applies_to_is_reported(content_copy):
    path = content_copy / "patterns" / "card-account-rental" / "pattern.yaml"
    edit_yaml(path, lambda d: d["legal_refs"][0].update(applies_to="victim"))
    with pytest.raises(ContentError, match=r"legal_refs\[0\]\.applies_to"):
        load_content(content_copy)


def test_a_missing_pattern_file_is_reported(content_copy):
    (content_copy / "patterns" / "nominee-registration" / "pattern.yaml").unlink()
    with pytest.raises(ContentError) as caught:
        load_content(content_copy)
    assert caught.value.path.parts[-2:] == ("nominee-registration", "pattern.yaml")


def test_a_file_outside_the_taxonomy_is_reported(content_copy):
    (content_copy / "patterns" / "lottery-win").mkdir()
    (content_copy / "patterns" / "lottery-win" / "pattern.yaml").write_text("id: lottery-win\n")
    with pytest.raises(ContentError) as caught:
        load_content(content_copy)
    assert caught.value.path.name == "lottery-win" and caught.value.field == "(folder)"


def test_an_id_that_does_not_match_its_file_name_is_reported(content_copy):
    path = content_copy / "patterns" / "gift-qr-lure" / "pattern.yaml"
    edit_yaml(path, lambda d: d.update(id="excessive-authorization"))
    with pytest.raises(ContentError) as caught:
        load_content(content_copy)
    assert (caught.value.path, caught.value.field) == (path, "id")


def test_broken_yaml_is_reported_with_the_file(content_copy):
    path = content_copy / "patterns" / "gift-qr-lure" / "pattern.yaml"
    path.write_text("id: gift-qr-lure\ntitle: [unclosed\n")
    with pytest.raises(ContentError) as caught:
        load_content(content_copy)
    assert (caught.value.path, caught.value.field) == (path, "(yaml)")


def test_a_quote_below_confidence_h_is_refused(content_copy):
    path = content_copy / "laws.yaml"
    edit_yaml(path, lambda d: d["laws"][0]["articles"][0].update(confidence="M"))
    with pytest.raises(ContentError) as caught:
        load_content(content_copy)
    assert caught.value.path == path
    assert caught.value.field == "laws[0].articles[0].confidence"


def test_an_impossible_date_is_reported(content_copy):
    path = content_copy / "laws.yaml"
    text = path.read_text().replace("effective: 2022-12-01\n    url", "effective: 2022-13-01\n    url", 1)
    path.write_text(text)
    with pytest.raises(ContentError) as caught:
        load_content(content_copy)
    assert caught.value.field == "laws[1].effective"


def test_unquoted_dates_are_read_as_text_not_converted(content_copy):
    laws = load_content(content_copy).laws
    assert laws["anti-fraud-law"].effective.isoformat() == "2022-12-01"


def test_a_channel_citing_an_unknown_article_is_reported(content_copy):
    path = content_copy / "channels.yaml"
    edit_yaml(path, lambda d: d["channels"][1]["legal_basis"][0].update(article="第九十九条"))
    with pytest.raises(ContentError) as caught:
        load_content(content_copy)
    assert (caught.value.path, caught.value.field) == (path, "channels[1].legal_basis[0].article")


def test_the_system_check_reports_invalid_content_as_an_error(content_copy, settings):
    edit_yaml(content_copy / "patterns" / "gift-qr-lure" / "pattern.yaml", lambda d: d.pop("cases"))
    settings.CHECKER_CONTENT_DIR = content_copy
    errors = checks.check_content()
    assert [e.id for e in errors] == ["checker.E100"]
    assert "gift-qr-lure/pattern.yaml" in errors[0].msg and "cases" in errors[0].msg


def test_the_system_check_passes_on_the_shipped_content():
    assert checks.check_content() == []
