import pytest

from checker.analysis import engine


@pytest.fixture
def no_model(settings, tmp_path):
    settings.CHECKER_MODEL_PATH = tmp_path / "missing.npz"
    engine.reset_engine()
    yield
    engine.reset_engine()


@pytest.mark.django_db
def test_a_missing_model_gives_a_clear_503_page_not_a_crash(client, no_model):
    response = client.post("/check", {"text": "有人收购银行卡"})
    assert response.status_code == 503
    assert "暂时不可用" in response.content.decode()
    assert response["Retry-After"] == "60"


def test_healthz_still_answers_without_a_model(client, no_model):
    assert client.get("/healthz").status_code == 200
