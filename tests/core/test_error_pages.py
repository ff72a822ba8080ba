"""A server error reaches the user as a Chinese page in the layout with the request id, never
Django's English "Server Error (500)"."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import path

from chempark import urls as project_urls
from chempark.core.roles import Role
from tests.conftest import SmallPark


def _broken(request: Any) -> Any:
    raise RuntimeError("boom")


urlpatterns = [path("broken/", _broken), *project_urls.urlpatterns]
handler500 = project_urls.handler500


@pytest.mark.urls("tests.core.test_error_pages")
def test_a_failing_page_answers_in_chinese_with_the_request_id(park: SmallPark) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(park.users[Role.DISPATCHER])
    response = client.get("/broken/", headers={"X-Request-ID": "req-12345"})
    page = response.content.decode()
    assert response.status_code == 500
    assert "系统内部错误" in page and "req-12345" in page
    assert "Server Error" not in page
    assert "值班调度" in page  # inside the layout, with the signed-in user's header
