"""The API's docs in a real browser: Swagger UI loads from our static files under the site's CSP, with no
violation or console error, and lists the operations from /api/v1/openapi.json."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_docs_render_under_the_csp(open_context, site):
    context = open_context()
    page = context.new_page()
    page.goto(f"{site}/api/v1/docs")
    page.wait_for_selector(".opblock-summary-path")
    paths = set(page.locator(".opblock-summary-path").all_inner_texts())
    assert {"/api/v1/topics", "/api/v1/search"} <= {p.strip().replace("\u200b", "") for p in paths}
    assert page.locator(".info .title").inner_text().startswith("Agora API")
    context.probe.assert_clean()
