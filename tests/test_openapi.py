"""The OpenAPI document at /api/v1/openapi.json matches what POST /api/v1/check really returns."""

import json
import re

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from jsonschema import Draft202012Validator, FormatChecker
from schemathesis import checks as st_checks
from schemathesis.config import SchemathesisConfig

from checker.analysis.types import PATTERN_IDS
from checker.openapi import openapi_document
from tests.samples import LOW

pytestmark = pytest.mark.django_db

HIGH = "兼职招聘：在家拍一张手持身份证正反面的照片，审核通过就给200元。我的手机13812345678"


@pytest.fixture
def document(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def validator_for(document, component):
    # The whole document is the root, so "#/components/schemas/…" references resolve inside it.
    schema = {**document, "$ref": f"#/components/schemas/{component}"}
    return Draft202012Validator(schema, format_checker=FormatChecker())


def assert_matches(document, component, instance):
    errors = sorted(validator_for(document, component).iter_errors(instance), key=str)
    assert errors == [], [f"{list(e.absolute_path)}: {e.message}" for e in errors]


def post(client, data):
    return client.post("/api/v1/check", json.dumps(data), content_type="application/json")


def test_the_document_is_openapi_3_1_and_names_the_check_operation(document):
    assert document["openapi"].startswith("3.1")
    operation = document["paths"]["/api/v1/check"]["post"]
    assert set(operation["responses"]) == {"200", "400", "405", "413", "415", "422", "429", "503"}
    assert document["servers"] == [{"url": "http://testserver"}]


def test_the_descriptions_are_in_chinese_as_well_as_english(document, settings):
    cjk = re.compile(r"[\u4e00-\u9fff]{4,}")
    latin = re.compile(r"[A-Za-z]{4,} [A-Za-z]{2,}")
    info = document["info"]["description"]
    assert cjk.search(info) and latin.search(info)
    check = document["paths"]["/api/v1/check"]["post"]
    assert cjk.search(check["summary"]) and cjk.search(check["description"])
    text = document["components"]["schemas"]["CheckRequest"]["properties"]["text"]["description"]
    assert cjk.search(text) and latin.search(text)
    # The rate limit is said in words in Chinese, and follows the setting.
    settings.RATELIMIT_CHECKS = "100/h"
    assert "每小时 100 次" in openapi_document("http://testserver")["info"]["description"]


def test_the_schemas_are_valid_json_schema(document):
    for schema in document["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)


def test_the_document_lists_exactly_the_taxonomy_pattern_ids(document):
    assert document["components"]["schemas"]["Pattern"]["properties"]["id"]["enum"] == list(PATTERN_IDS)


def test_the_documented_length_limit_follows_the_setting(client, settings):
    settings.CHECKER_MAX_CHARS = 1234
    document = client.get("/api/v1/openapi.json").json()
    assert document["components"]["schemas"]["CheckRequest"]["properties"]["text"]["maxLength"] == 1234


@pytest.mark.parametrize("data", [{"text": HIGH}, {"text": HIGH, "save": True}, {"text": LOW}, {"text": "你好"}])
def test_a_successful_check_matches_the_assessment_schema(client, document, data):
    response = post(client, data)
    assert response.status_code == 200
    assert_matches(document, "Assessment", response.json())


def test_the_schema_would_catch_a_missing_field(client, document):
    body = post(client, {"text": HIGH}).json()
    del body["patterns"][0]["legal_refs"]
    assert list(validator_for(document, "Assessment").iter_errors(body))


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"nope", 400),
        (b"{}", 400),
        (b'{"text": 1}', 400),
        (b'{"text": ""}', 400),
        (b'{"text": "' + b"x" * 6000 + b'"}', 413),
    ],
)
def test_every_error_matches_the_error_schema_and_a_documented_status(client, document, body, status):
    response = client.generic("POST", "/api/v1/check", body, content_type="application/json")
    assert response.status_code == status
    assert str(status) in document["paths"]["/api/v1/check"]["post"]["responses"]
    assert_matches(document, "Error", response.json())


def test_a_rate_limited_answer_matches_the_schema_and_its_header(client, document, settings):
    settings.RATELIMIT_CHECKS = "1/m"
    post(client, {"text": LOW})
    response = post(client, {"text": LOW})
    assert response.status_code == 429
    assert_matches(document, "Error", response.json())
    assert "Retry-After" in document["paths"]["/api/v1/check"]["post"]["responses"]["429"]["headers"]


def test_the_request_schema_accepts_what_the_api_accepts_and_refuses_what_it_refuses(document):
    request = validator_for(document, "CheckRequest")
    assert request.is_valid({"text": HIGH, "save": False})
    for bad in ({}, {"text": 1}, {"text": ""}, {"text": "  "}, {"text": "a\x00b"}, {"text": "a", "save": "no"}):
        assert not request.is_valid(bad), bad


# --- Schemathesis: generated requests against the in-process app ---------------------------------

# A too-long text is refused with 413, which schemathesis does not expect of invalid input by default.
CONFIG = SchemathesisConfig.from_dict(
    {"checks": {"negative_data_rejection": {"expected-statuses": [400, 405, 413, 429]}}}
)
schema = schemathesis.openapi.from_dict(openapi_document("http://testserver"), config=CONFIG)
CHECKS = [
    st_checks.not_a_server_error,
    st_checks.status_code_conformance,
    st_checks.content_type_conformance,
    st_checks.response_schema_conformance,
    st_checks.response_headers_conformance,
    st_checks.negative_data_rejection,
    # Not positive_data_acceptance: text of only unassigned or zero-width characters is schema-valid but
    # refused as empty, and no JSON Schema pattern can list every such character (the document says so).
]


@pytest.fixture
def generous_rate_limit(settings):
    settings.RATELIMIT_CHECKS = "100000/m"


@pytest.fixture
def connections_kept_open():
    # Django's test Client stops request_finished from closing the database connection; this test calls
    # the WSGI app directly, so it does the same. Otherwise, on PostgreSQL, the connection that holds the
    # test's transaction is closed after the first request, and the next write inside it fails.
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.slow
@schema.parametrize()
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
def test_generated_requests_get_documented_answers_and_never_a_500(case, generous_rate_limit, connections_kept_open):
    # Every real server sets REMOTE_ADDR, which the rate limit keys on; the WSGI test transport does not.
    response = case.call(app=get_wsgi_application(), environ_base={"REMOTE_ADDR": "192.0.2.10"})
    case.validate_response(response, checks=CHECKS)
