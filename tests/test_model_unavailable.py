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


@pytest.fixture
def model_for_fewer_patterns(settings, tmp_path):
    """The shipped model, relabelled as if trained before the last pattern was added to the taxonomy."""
    import json

    from checker.analysis import model

    payload = model.read_meta(settings.CHECKER_MODEL_PATH)
    meta = json.loads(payload["meta"])
    meta["patterns"] = meta["patterns"][:-1]
    model.save(payload | {"meta": json.dumps(meta)}, tmp_path / "old-labels.npz")
    settings.CHECKER_MODEL_PATH = tmp_path / "old-labels.npz"
    engine.reset_engine()
    yield
    engine.reset_engine()


@pytest.mark.django_db
def test_a_model_trained_for_other_patterns_is_a_503_not_a_500(client, model_for_fewer_patterns):
    page = client.post("/check", {"text": "有人收购银行卡"})
    assert page.status_code == 503
    api = client.post("/api/v1/check", {"text": "有人收购银行卡"}, content_type="application/json")
    assert api.status_code == 503 and api.json()["error"] == "model_unavailable"


def test_the_system_check_names_a_model_trained_for_other_patterns(model_for_fewer_patterns):
    from checker.checks import check_model

    warnings = check_model()
    assert warnings and "other labels" in warnings[0].msg


@pytest.fixture
def misshapen_model(settings, tmp_path):
    """The shipped model with one output column cut from its weights, metadata left as it was."""
    from checker.analysis import model

    payload = model.read_meta(settings.CHECKER_MODEL_PATH)
    model.save(payload | {"weights": payload["weights"][:, :-1]}, tmp_path / "misshapen.npz")
    settings.CHECKER_MODEL_PATH = tmp_path / "misshapen.npz"
    engine.reset_engine()
    yield
    engine.reset_engine()


@pytest.mark.django_db
def test_a_model_with_misshapen_arrays_is_a_503_not_a_500(client, misshapen_model):
    api = client.post("/api/v1/check", {"text": "有人收购银行卡"}, content_type="application/json")
    assert api.status_code == 503 and api.json()["error"] == "model_unavailable"
    assert client.post("/check", {"text": "有人收购银行卡"}).status_code == 503


def test_the_system_check_names_a_misshapen_model(misshapen_model):
    from checker.checks import check_model

    warnings = check_model()
    assert warnings and "malformed" in warnings[0].msg and "weights" in warnings[0].msg
