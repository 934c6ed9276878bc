import io
import json

from django.core.management import call_command


def run_assess(monkeypatch, stdin: str) -> list[dict]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    out = io.StringIO()
    call_command("assess", stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_assess_writes_one_result_per_line_in_order(monkeypatch):
    lines = [
        {"id": "a", "text": "有人高价收购银行卡和电话卡"},
        {"id": "b", "text": "坐高铁刷身份证进站"},
    ]
    out = run_assess(monkeypatch, "\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n")
    assert [r["id"] for r in out] == ["a", "b"]
    assert out[0]["risk_level"] == "high"
    assert out[0]["patterns"][0]["id"] == "card-account-rental"
    assert out[1]["risk_level"] == "low"


def test_bad_lines_get_an_error_object_and_the_run_goes_on(monkeypatch):
    stdin = "\n".join(
        [
            "this is not json",
            json.dumps({"id": "no-text"}),
            json.dumps({"id": "empty", "text": "  "}),
            json.dumps(["a", "list"]),
            json.dumps({"id": "ok", "text": "陌生人让我把验证码发给他"}),
        ]
    )
    out = run_assess(monkeypatch, stdin)
    assert len(out) == 5
    assert out[0] == {"id": None, "error": "line is not valid JSON"}
    assert out[1]["id"] == "no-text" and "text" in out[1]["error"]
    assert out[2]["id"] == "empty" and out[2]["code"] == "empty"
    assert "error" in out[3]
    assert out[4]["id"] == "ok" and out[4]["risk_level"] == "high"


def test_non_string_text_is_an_error_object(monkeypatch):
    out = run_assess(monkeypatch, json.dumps({"id": 7, "text": 42}) + "\n")
    assert out == [{"id": 7, "error": "内容必须是文字（字符串）。", "code": "wrong_type"}]


def test_a_missing_model_is_one_clear_error_naming_the_command(monkeypatch, settings, tmp_path):
    import pytest
    from django.core.management import CommandError

    from checker.analysis import engine

    settings.CHECKER_MODEL_PATH = tmp_path / "missing.npz"
    engine.reset_engine()
    monkeypatch.setattr("sys.stdin", io.StringIO('{"id": 1, "text": "x"}\n'))
    try:
        with pytest.raises(CommandError, match="manage.py train"):
            call_command("assess", stdout=io.StringIO())
    finally:
        engine.reset_engine()
