"""What people are checking (checker/trends.py): every check counted, nothing personal kept, small counts hidden."""

import csv
import io
import json
import logging
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from checker import trends
from checker.models import CheckCount, Result
from tests.samples import HIGH, LOW, MOBILE
from tests.screenshots import blank
from tests.test_multi_server import PG_ADMIN, admin_sql

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
from serve import migrate, server_env  # noqa: E402

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
PARTNER = "https://police.example.cn"


@pytest.fixture(autouse=True)
def nothing_waiting():
    # Counts wait in memory between writes; each test starts, and leaves, with none.
    trends.forget_waiting()
    yield
    trends.forget_waiting()


def counted() -> dict[tuple[str, str, str, str], int]:
    trends.flush()
    return {(r.channel, r.origin, r.level, r.pattern): r.count for r in CheckCount.objects.all()}


def api_check(client, text, save=False, **extra):
    body = json.dumps({"text": text, "save": save})
    return client.post("/api/v1/check", body, content_type="application/json", **extra)


def seed(**days_ago_counts):
    """Rows of today's date minus N days: ``seed(d0=[("high", "id-photo-collection", 4)])``."""
    today = trends.today()
    for name, rows in days_ago_counts.items():
        for level, pattern, count in rows:
            CheckCount.objects.create(
                day=today - timedelta(days=int(name[1:])), channel="site", level=level, pattern=pattern, count=count
            )


# --- Every check is counted, in the right row ---------------------------------------------------


def test_a_form_check_is_counted_for_the_site_by_day_level_and_top_pattern(client):
    assert client.post("/check", {"text": HIGH}).status_code == 302
    assert counted() == {("site", "", "high", "id-photo-collection"): 1}
    assert CheckCount.objects.get().day == trends.today()


def test_a_widget_check_is_counted_with_the_site_that_embeds_it(client):
    assert client.post("/widget/check", {"text": HIGH, "origin": PARTNER}).status_code == 200
    assert counted() == {("widget", PARTNER, "high", "id-photo-collection"): 1}


def test_a_widget_on_a_site_not_allowed_to_frame_it_is_counted_without_an_origin(client, settings):
    settings.WIDGET_FRAME_ANCESTORS = [PARTNER]
    client.post("/widget/check", {"text": HIGH, "origin": "https://elsewhere.example"})
    assert counted() == {("widget", "", "high", "id-photo-collection"): 1}


def test_an_api_check_is_counted_even_when_nothing_is_saved(client):
    assert api_check(client, LOW).status_code == 200
    assert not Result.objects.exists()
    assert counted() == {("api", "", "low", ""): 1}


def test_a_screenshot_check_is_counted_like_a_typed_one(client, monkeypatch):
    monkeypatch.setattr("checker.pipeline.read_image", lambda data: (HIGH, ()))
    image = SimpleUploadedFile("shot.png", blank(), content_type="image/png")
    assert client.post("/check", {"image": image}).status_code == 200
    assert counted() == {("site", "", "high", "id-photo-collection"): 1}


def test_a_refused_check_is_not_counted(client):
    assert api_check(client, "   ").status_code == 400
    assert client.post("/check", {"text": ""}).status_code == 400
    assert counted() == {}


def test_counts_wait_in_memory_and_are_added_up_when_written(client):
    for _ in range(3):
        api_check(client, HIGH)
    # The first check wrote at once; the next two wait for the first check FLUSH_SECONDS later.
    assert CheckCount.objects.get().count == 1
    assert trends.flush() == 2
    assert CheckCount.objects.get().count == 3


def test_a_check_after_the_interval_writes_what_waited(client, monkeypatch):
    monkeypatch.setattr(trends, "FLUSH_SECONDS", 0.0)
    api_check(client, HIGH)
    api_check(client, HIGH)
    assert CheckCount.objects.get().count == 2


# --- Counting never breaks a check ------------------------------------------------------------


def test_a_database_error_while_counting_leaves_the_check_working_and_logs_no_text(client, monkeypatch, caplog):
    # A real error from the database, not a mock: the statement names a table that does not exist.
    monkeypatch.setattr(trends, "_upsert_sql", lambda: "INSERT INTO no_such_table VALUES (%s, %s, %s, %s, %s, %s)")
    with caplog.at_level(logging.WARNING, logger="checker.trends"):
        api = api_check(client, HIGH + MOBILE)
        form = client.post("/check", {"text": HIGH + MOBILE})
    assert api.status_code == 200 and api.json()["risk_level"] == "high"
    assert form.status_code == 302
    assert "check counts not written" in caplog.text
    assert MOBILE not in caplog.text and "身份证" not in caplog.text
    # The counts were kept, and reach the database once it answers again.
    monkeypatch.undo()
    assert counted() == {("api", "", "high", "id-photo-collection"): 1, ("site", "", "high", "id-photo-collection"): 1}


def test_after_a_failed_save_the_check_is_counted_later_without_touching_the_database(client, monkeypatch):
    def broken(*args, **kwargs):
        from django.db import DatabaseError

        raise DatabaseError("down")

    monkeypatch.setattr("checker.results.save_result", broken)
    assert api_check(client, HIGH, save=True).json()["saved"] is False
    assert not CheckCount.objects.exists()  # the database is away: no second attempt in the same request
    assert counted() == {("api", "", "high", "id-photo-collection"): 1}


# --- Nothing personal ---------------------------------------------------------------------------


def test_the_counts_table_holds_no_text_token_or_address(client):
    text = f"{HIGH}我的手机{MOBILE}"
    address = "203.0.113.9"
    client.post("/check", {"text": text}, REMOTE_ADDR=address)
    client.post("/widget/check", {"text": text, "origin": PARTNER}, REMOTE_ADDR=address)
    api_check(client, text, save=True, REMOTE_ADDR=address)
    trends.flush()
    results = list(Result.objects.all())
    assert len(results) == 3  # each check made a share link
    secrets = [MOBILE, address, text, HIGH[:6], *(r.token for r in results), *(r.delete_key_hash for r in results)]

    table = CheckCount._meta.db_table
    with connection.cursor() as cursor:
        columns = [c.name for c in connection.introspection.get_table_description(cursor, table)]
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
        rows = cursor.fetchall()
    assert sorted(columns) == sorted(["id", "day", "channel", "origin", "level", "pattern", "count"])
    assert sum(row[columns.index("count")] for row in rows) == 3
    for row in rows:
        for column, value in zip(columns, row, strict=True):
            for secret in secrets:
                assert secret not in str(value), (column, value)
    assert {row[columns.index("origin")] for row in rows} == {"", PARTNER}


# --- Small numbers are hidden, everywhere ---------------------------------------------------------


def test_every_count_below_five_zero_included_is_shown_as_less_than_five():
    assert [trends.shown(n) for n in (0, 1, 4, 5, 123)] == ["<5", "<5", "<5", 5, 123]


def test_the_page_the_json_and_the_csv_hide_the_same_small_counts(client):
    seed(d0=[("high", "id-photo-collection", 4)], d1=[("high", "card-account-rental", 7)])

    page = client.get("/trends/").content.decode()
    assert "（今天）</th><td>&lt;5</td>" in page
    assert "<td>7</td>" in page
    assert "<td>4</td>" not in page

    body = client.get("/api/v1/trends").json()
    assert [d["checks"] for d in body["days"][-2:]] == [7, "<5"]
    assert body["total"] == 11
    by_id = {p["id"]: p for p in body["patterns"]}
    assert by_id["id-photo-collection"]["this_week"] == "<5"
    assert by_id["card-account-rental"]["this_week"] == 7
    assert 4 not in [d["checks"] for d in body["days"]]

    response = client.get("/trends.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == list(trends.CSV_HEADER)
    today = trends.today().isoformat()
    assert ["每天", today, today, "", "", "<5"] in rows
    assert any(r[3] == "id-photo-collection" and r[0] == "最近7天" and r[5] == "<5" for r in rows)
    assert not any(r[5] == "4" for r in rows)


def test_a_total_of_small_days_is_shown_once_it_reaches_five(client):
    seed(d0=[("low", "", 3)], d3=[("medium", "", 2)])
    body = client.get("/api/v1/trends").json()
    assert body["total"] == 5
    assert {d["checks"] for d in body["days"]} == {"<5"}


def test_this_week_is_the_last_seven_days_and_last_week_the_seven_before(client):
    seed(d6=[("high", "fake-authority", 5)], d7=[("high", "fake-authority", 6)], d14=[("high", "fake-authority", 9)])
    body = client.get("/api/v1/trends").json()
    authority = next(p for p in body["patterns"] if p["id"] == "fake-authority")
    assert (authority["this_week"], authority["last_week"]) == (5, 6)
    assert body["patterns"][0]["id"] == "fake-authority"  # most checked this week first
    assert body["this_week"]["to"] == trends.today().isoformat()


def test_the_page_names_each_pattern_in_chinese_with_a_link_to_its_page(client):
    seed(d0=[("high", "id-photo-collection", 8)])
    page = client.get("/trends/").content.decode()
    assert '<a href="/patterns/id-photo-collection/">手持证件照采集</a>' in page
    assert "不会记下来" in page  # the sentence on what is kept


def test_the_page_draws_an_accessible_chart_on_the_server(client):
    seed(d0=[("high", "", 12)], d2=[("low", "", 2)])
    page = client.get("/trends/").content.decode()
    assert page.count('class="trend-bar') == 30
    assert 'role="img"' in page and "<title id=" in page and "<desc id=" in page
    assert "最多的一天是" in page and "12 次" in page
    assert "<script" not in page.split("<main", 1)[1]  # nothing to run: the chart is plain SVG


def test_a_small_day_is_a_short_stub_whatever_its_true_count():
    seed(d0=[("high", "", 1)], d1=[("high", "", 4)])
    drawn = trends.chart(trends.figures().days)
    assert drawn.bars[-1].height == drawn.bars[-2].height == trends.FEW_HEIGHT
    assert drawn.busiest is None


def test_the_bars_stay_inside_the_chart():
    days = [trends.Day(trends.today() - timedelta(days=29 - i), n) for i, n in enumerate([*range(5, 34), "<5"])]
    drawn = trends.chart(days)
    assert drawn.busiest.checks == 33
    for bar in drawn.bars:
        assert drawn.left <= bar.x and bar.x + bar.width <= drawn.right
        assert bar.y >= 0 and bar.y + bar.height == pytest.approx(drawn.baseline)
    assert drawn.gridlines[-1].label >= 33


# --- The API and the download -------------------------------------------------------------------


def test_the_json_matches_its_documented_schema_and_is_open_to_other_sites(client):
    from tests.test_openapi import assert_matches

    seed(d0=[("high", "id-photo-collection", 6)], d1=[("low", "", 1)])
    document = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/trends" in document["paths"]
    response = client.get("/api/v1/trends", HTTP_ORIGIN=PARTNER)
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Content-Type"] == "application/json"
    assert_matches(document, "Trends", response.json())


def test_the_schema_refuses_a_small_count_given_as_a_number(client):
    from tests.test_openapi import validator_for

    document = client.get("/api/v1/openapi.json").json()
    assert not validator_for(document, "TrendCount").is_valid(4)
    assert validator_for(document, "TrendCount").is_valid("<5")


def test_the_csv_downloads_as_utf8_with_a_byte_order_mark_for_excel(client):
    response = client.get(reverse("trends_csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="trends-')
    assert response.content.startswith("\ufeff类别".encode())


def test_the_figures_may_be_cached_publicly_for_a_few_minutes(client):
    for url in ("/trends/", "/trends.csv", "/api/v1/trends"):
        assert "public" in client.get(url)["Cache-Control"]


# --- Retention and the admin --------------------------------------------------------------------


def test_prune_trends_deletes_counts_older_than_the_retention(settings):
    settings.CHECKER_TRENDS_DAYS = 30
    seed(d29=[("low", "", 1)], d30=[("low", "", 1)], d400=[("low", "", 1)])
    out = io.StringIO()
    call_command("prune_trends", stdout=out)
    assert "Deleted 2" in out.getvalue()
    assert list(CheckCount.objects.values_list("day", flat=True)) == [trends.today() - timedelta(days=29)]


def test_the_admin_shows_how_many_checks_each_sites_widget_served_this_month(admin_client):
    today = trends.today()
    month = today.replace(day=1)
    for origin, day, level, count in [
        (PARTNER, today, "high", 3),
        (PARTNER, month, "low", 4),
        ("https://school.example.cn", today, "high", 2),
        (PARTNER, month - timedelta(days=1), "high", 50),  # last month
    ]:
        CheckCount.objects.create(day=day, channel="widget", origin=origin, level=level, pattern="", count=count)
    CheckCount.objects.create(day=today, channel="site", level="high", pattern="", count=99)

    html = admin_client.get(reverse("admin:checker_checkcount_changelist")).content.decode()
    summary = html.split("本月各网站小组件的体检次数", 1)[1].split("</table>", 1)[0]
    assert summary.index(PARTNER) < summary.index("https://school.example.cn")
    assert f"<td>{PARTNER}</td><td>7</td>" in summary
    assert "<td>50</td>" not in summary and "<td>99</td>" not in summary


# --- Atomic under concurrency, on PostgreSQL ----------------------------------------------------

WRITER = """
import sys, time
import django
django.setup()
from datetime import date
from checker import trends
key = trends.Key(date(2026, 1, 1), "widget", "https://police.example.cn", "high", "id-photo-collection")
print("ready", flush=True)
sys.stdin.readline()
first = time.time()
for _ in range(int(sys.argv[1])):
    trends.write({key: 1})
print(first, time.time())
"""


@pytest.mark.slow
def test_two_processes_counting_the_same_row_on_postgresql_lose_no_count():
    import psycopg

    try:
        psycopg.connect(PG_ADMIN, connect_timeout=3).close()
    except psycopg.OperationalError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"CI must provide PostgreSQL: {exc}")
        pytest.skip(f"PostgreSQL not reachable here: {exc}")

    name = "checker_trends_concurrency"
    url = f"postgres://postgres@127.0.0.1:5432/{name}"
    admin_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)", f"CREATE DATABASE {name}")
    try:
        env = {**server_env(DATABASE_URL=url), "DJANGO_SETTINGS_MODULE": "checker.settings"}
        migrate(env)
        n = 1000
        writers = [
            subprocess.Popen(
                [sys.executable, "-c", WRITER, str(n)],
                cwd=ROOT,
                env=env,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        # Both have imported Django and wait; then both start at once, on a row that does not exist yet.
        assert [w.stdout.readline().strip() for w in writers] == ["ready", "ready"]
        for w in writers:
            w.stdin.write("go\n")
            w.stdin.flush()
        spans = [tuple(map(float, w.communicate(timeout=120)[0].split())) for w in writers]
        assert [w.returncode for w in writers] == [0, 0]
        (a_start, a_end), (b_start, b_end) = spans
        assert a_start < b_end and b_start < a_end, "the two writers did not overlap"
        with psycopg.connect(url) as conn:
            rows = conn.execute("SELECT count FROM checker_checkcount").fetchall()
        assert rows == [(2 * n,)]
    finally:
        admin_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def test_the_trends_api_answers_other_methods_with_405_not_a_csrf_page():
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    response = csrf_client.post("/api/v1/trends")
    assert response.status_code == 405 and response["Allow"] == "GET"
