"""Hostile and oversized uploads: a zip bomb is refused by the web request before anything is
opened; a 100,000-row workbook is stored, and the worker stops reading it at the row limit; a file
with thousands of errors lists the first 200 and says how many there are. The web process's memory
stays flat throughout (tracemalloc peak of the request)."""

from __future__ import annotations

import io
import time
import tracemalloc
from collections.abc import Callable, Iterable
from typing import Any

import pytest
from django.test import Client

from chempark.core.models import Job, JobStatus
from chempark.core.roles import Role
from chempark.park.models import ImportJob, ImportStatus, Inventory
from chempark.park.workbook import archive_problem
from tests.conftest import SmallPark
from tests.park import xlsx
from tests.park.test_import import headers

MiB = 1024 * 1024


def zeros(total: int) -> Iterable[bytes]:
    block = b"\0" * MiB
    for _ in range(total // MiB):
        yield block


def shared_strings_bomb() -> bytes:
    """A valid little sheet whose shared-strings part inflates to 64 MiB (1000:1)."""
    return xlsx.package("存量", [b"<worksheet/>"], extra={"xl/sharedStrings.xml": b"".join(zeros(64 * MiB))})


def sheet_bomb() -> bytes:
    """A sheet below the size caps (20 MiB) that inflates 1000 times — no real workbook does."""
    return xlsx.package("存量", zeros(20 * MiB))


def inventory_rows(park: SmallPark, count: int, current: Any = 12.5) -> list[list[Any]]:
    return [headers("inventory"), *[[park.enterprise_a.uscc, f"U{n}", "7782-50-5", 40, current] for n in range(count)]]


def upload(client: Client, content: bytes, name: str = "upload.xlsx") -> tuple[Any, float, int]:
    """POST the file to the import page; returns the response, its seconds and its tracemalloc peak."""
    file = io.BytesIO(content)
    file.name = name
    tracemalloc.start()
    started = time.perf_counter()
    try:
        response = client.post("/registry/import/", {"file": file})
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return response, time.perf_counter() - started, peak


@pytest.fixture
def inspector(park: SmallPark, client: Client) -> Client:
    client.force_login(park.users[Role.INSPECTOR])
    assert client.get("/registry/import/").status_code == 200  # the first request imports the views: not measured
    return client


@pytest.mark.parametrize("bomb", [shared_strings_bomb, sheet_bomb], ids=["shared-strings", "ratio"])
def test_a_zip_bomb_is_refused_at_once_with_the_reason(inspector: Client, bomb: Callable[[], bytes]) -> None:
    content = bomb()
    assert len(content) < 200 * 1024
    response, seconds, peak = upload(inspector, content)
    page = response.content.decode()
    assert response.status_code == 422 and "疑似压缩炸弹" in page
    assert seconds < 5
    assert peak < 10 * MiB, f"the request held {peak / MiB:.1f} MiB for a {len(content) / 1024:.0f} KiB upload"
    assert not ImportJob.objects.exists() and not Job.objects.exists()


def test_archive_limits_name_what_they_refuse() -> None:
    assert "sharedStrings.xml" in (archive_problem(shared_strings_bomb()) or "")
    assert "压缩比" in (archive_problem(sheet_bomb()) or "")
    many = xlsx.package("存量", [b"<worksheet/>"], extra={f"x/{n}.xml": b"" for n in range(300)})
    assert "305 个文件，超过上限 200" in (archive_problem(many) or "")
    assert archive_problem(xlsx.workbook("存量", [["a"], ["b"]])) is None


def test_a_100000_row_workbook_is_stored_at_once_and_refused_at_the_row_limit(
    park: SmallPark, inspector: Client, run_jobs: Callable[[], int], settings: Any
) -> None:
    assert settings.IMPORT_MAX_ROWS == 10_000
    content = xlsx.workbook("存量", inventory_rows(park, 100_000))
    before = Inventory.objects.count()
    response, seconds, peak = upload(inspector, content, "big.xlsx")
    assert response.status_code == 302 and seconds < 5
    assert peak < len(content) + 10 * MiB  # the upload itself, and little else
    started = time.perf_counter()
    tracemalloc.start()
    try:
        assert run_jobs() == 1
        worker_peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert time.perf_counter() - started < 60
    assert worker_peak < 64 * MiB, f"reading held {worker_peak / MiB:.0f} MiB"
    record = ImportJob.objects.get()
    assert record.status == ImportStatus.FAILED and record.content == b""
    assert "超过上限 10000 行" in record.errors[0]["message"]
    job = Job.objects.get()
    assert job.status == JobStatus.SUCCEEDED
    assert job.progress_done <= 10_001, "reading went on past the limit"
    page = inspector.get(response["Location"])
    assert "超过上限 10000 行" in page.content.decode() and len(page.content) < 30_000
    assert Inventory.objects.count() == before


def test_thousands_of_errors_are_counted_and_the_first_200_listed(
    park: SmallPark, inspector: Client, run_jobs: Callable[[], int]
) -> None:
    content = xlsx.workbook("存量", inventory_rows(park, 3000, current="很多"))
    response, _seconds, _peak = upload(inspector, content)
    run_jobs()
    record = ImportJob.objects.get()
    assert record.error_count == 3000 and len(record.errors) == 200
    page = inspector.get(response["Location"]).content.decode()
    assert "发现 3000 个错误" in page and "以下只列出前 200 个" in page
    assert len(page) < 100_000


def test_an_enterprise_user_has_one_import_at_a_time(
    park: SmallPark, client: Client, run_jobs: Callable[[], int]
) -> None:
    client.force_login(park.users[Role.ENTERPRISE])
    content = xlsx.workbook("存量", inventory_rows(park, 3))
    first, _s, _p = upload(client, content)
    assert first.status_code == 302
    second, _s, _p = upload(client, content)
    assert second.status_code == 409 and "已有一个导入正在进行" in second.content.decode()
    assert ImportJob.objects.count() == 1
    assert run_jobs() == 1
    third, _s, _p = upload(client, content)
    assert third.status_code == 302
