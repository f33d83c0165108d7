"""Cursor pagination: list_all, delete_all and destroy_all over scripted page layouts."""

from __future__ import annotations

from typing import Any

import pytest
from _driver import Driver, Router, api_error, file_json, make_config, response, transcription_json
from hypothesis import given, settings
from hypothesis import strategies as st

from soniox_core import (
    File,
    HttpRequest,
    HttpResponse,
    SonioxInvalidRequestError,
    SonioxServerError,
    Transcription,
)
from soniox_core._ops import files, transcriptions

CONFIG = make_config()

# A layout is a list of page sizes; the last page ends with a null, missing or empty cursor.
layouts = st.lists(st.integers(min_value=0, max_value=5), min_size=1, max_size=6)
endings = st.sampled_from(["null", "missing", "empty"])


class Pages:
    """Serves ``layout`` as pages of files or transcriptions, checking each cursor."""

    def __init__(self, layout: list[int], ending: str, kind: str) -> None:
        self.kind = kind
        self.pages: list[dict[str, Any]] = []
        counter = 0
        for index, size in enumerate(layout):
            items = []
            for _ in range(size):
                counter += 1
                item_id = f"{kind[0]}-{counter}"
                items.append(
                    file_json(item_id) if kind == "files" else transcription_json(item_id, "completed")
                )
            page: dict[str, Any] = {kind: items}
            last = index == len(layout) - 1
            if not last:
                page["next_page_cursor"] = f"cursor/{index + 1}+x"
            elif ending == "null":
                page["next_page_cursor"] = None
            elif ending == "empty":
                page["next_page_cursor"] = ""
            self.pages.append(page)
        self.served = 0

    @property
    def ids(self) -> list[str]:
        return [item["id"] for page in self.pages for item in page[self.kind]]

    def __call__(self, request: HttpRequest) -> HttpResponse:
        expected_cursor = None if self.served == 0 else f"cursor/{self.served}+x"
        from urllib.parse import parse_qs, urlsplit

        query = parse_qs(urlsplit(request.target).query)
        assert query.get("cursor", [None])[0] == expected_cursor
        assert self.served < len(self.pages), "asked for a page past the last one"
        page = self.pages[self.served]
        self.served += 1
        return response(200, page)


@settings(max_examples=60)
@given(layout=layouts, ending=endings, limit=st.integers(min_value=1, max_value=1000))
def test_files_list_all_yields_everything_in_order(layout: list[int], ending: str, limit: int) -> None:
    pages = Pages(layout, ending, "files")
    driver = Driver(pages)
    items = driver.iterate(files.list_all(CONFIG, limit))
    assert all(isinstance(item, File) for item in items)
    assert [item.id for item in items] == pages.ids
    assert len(driver.sent) == len(layout)
    assert all(s.query["limit"] == str(limit) for s in driver.sent)
    assert "cursor" not in driver.sent[0].query
    for index, sent in enumerate(driver.sent[1:], start=1):
        assert sent.query["cursor"] == pages.pages[index - 1]["next_page_cursor"]


@settings(max_examples=60)
@given(layout=layouts, ending=endings)
def test_transcriptions_list_all_yields_everything_in_order(layout: list[int], ending: str) -> None:
    pages = Pages(layout, ending, "transcriptions")
    driver = Driver(pages)
    items = driver.iterate(transcriptions.list_all(CONFIG))
    assert all(isinstance(item, Transcription) for item in items)
    assert [item.id for item in items] == pages.ids
    assert driver.calls == [("GET", "/v1/transcriptions")] * len(layout)


@pytest.mark.parametrize("ending", ["null", "missing", "empty"])
def test_single_page_is_one_request(ending: str) -> None:
    pages = Pages([3], ending, "files")
    driver = Driver(pages)
    assert len(driver.iterate(files.list_all(CONFIG))) == 3
    assert len(driver.sent) == 1
    assert driver.sent[0].query == {"limit": "100"}


def test_empty_listing() -> None:
    driver = Driver(Pages([0], "null", "files"))
    assert driver.iterate(files.list_all(CONFIG)) == []
    assert len(driver.sent) == 1


def test_stopping_early_fetches_no_more_pages() -> None:
    pages = Pages([2, 2, 2], "null", "files")
    driver = Driver(pages)
    items = driver.iterate(files.list_all(CONFIG), stop_after=3)
    assert [i.id for i in items] == ["f-1", "f-2", "f-3"]
    assert len(driver.sent) == 2


def test_list_all_error_on_a_later_page_raises_after_earlier_items() -> None:
    page = {"files": [file_json("f-1")], "next_page_cursor": "c"}
    router = Router(
        {("GET", "/v1/files"): [response(200, page), response(400, api_error(400, "invalid_cursor"))]}
    )
    driver = Driver(router)
    with pytest.raises(SonioxInvalidRequestError):
        driver.iterate(files.list_all(CONFIG))
    assert [f.id for f in driver.emitted] == ["f-1"]


def test_list_all_retries_a_page_that_failed_transiently() -> None:
    page = {"files": [file_json("f-1")], "next_page_cursor": None}
    driver = Driver(Router({("GET", "/v1/files"): [response(503, None), response(200, page)]}))
    assert [f.id for f in driver.iterate(files.list_all(CONFIG))] == ["f-1"]
    assert len(driver.sent) == 2


# --- delete_all and destroy_all -------------------------------------------------------


@settings(max_examples=30)
@given(layout=layouts, ending=endings)
def test_files_delete_all_deletes_every_listed_file(layout: list[int], ending: str) -> None:
    pages = Pages(layout, ending, "files")
    deleted: list[str] = []

    def handler(request: HttpRequest) -> HttpResponse:
        if request.method == "GET":
            return pages(request)
        assert request.method == "DELETE"
        deleted.append(request.path.rsplit("/", 1)[1])
        return response(204)

    driver = Driver(handler)
    assert driver.run(files.delete_all(CONFIG)) is None
    assert deleted == pages.ids
    assert len([s for s in driver.sent if s.method == "GET"]) == len(layout)


def test_transcriptions_delete_all() -> None:
    page1 = {"transcriptions": [transcription_json("t1", "completed")], "next_page_cursor": "c"}
    page2 = {"transcriptions": [transcription_json("t2", "completed", file_id="f2")]}
    driver = Driver(
        Router(
            {
                ("GET", "/v1/transcriptions"): [response(200, page1), response(200, page2)],
                ("DELETE", "/v1/transcriptions/t1"): [response(204)],
                ("DELETE", "/v1/transcriptions/t2"): [response(404, api_error(404))],
            }
        )
    )
    driver.run(transcriptions.delete_all(CONFIG, limit=1))
    assert driver.calls == [
        ("GET", "/v1/transcriptions"),
        ("DELETE", "/v1/transcriptions/t1"),
        ("GET", "/v1/transcriptions"),
        ("DELETE", "/v1/transcriptions/t2"),
    ]
    assert driver.sent[0].query == {"limit": "1"}
    assert driver.sent[2].query == {"limit": "1", "cursor": "c"}


def test_delete_all_stops_at_the_first_failure() -> None:
    page = {"files": [file_json("f1"), file_json("f2"), file_json("f3")]}
    driver = Driver(
        Router(
            {
                ("GET", "/v1/files"): [response(200, page)],
                ("DELETE", "/v1/files/f1"): [response(204)],
                ("DELETE", "/v1/files/f2"): [response(500, api_error(500))],
                ("DELETE", "/v1/files/f3"): [response(204)],
            }
        )
    )
    with pytest.raises(SonioxServerError):
        driver.run(files.delete_all(CONFIG))
    assert ("DELETE", "/v1/files/f3") not in driver.calls
    assert driver.calls.count(("DELETE", "/v1/files/f2")) == 3  # DELETE is idempotent: retried


def test_destroy_all_three_transcriptions_two_with_files() -> None:
    page = {
        "transcriptions": [
            transcription_json("t1", "completed", file_id="f1"),
            transcription_json("t2", "error"),
            transcription_json("t3", "completed", file_id="f3"),
        ],
        "next_page_cursor": None,
    }
    driver = Driver(
        Router(
            {
                ("GET", "/v1/transcriptions"): [response(200, page)],
                ("DELETE", "/v1/transcriptions/t1"): [response(204)],
                ("DELETE", "/v1/transcriptions/t2"): [response(204)],
                ("DELETE", "/v1/transcriptions/t3"): [response(204)],
                ("DELETE", "/v1/files/f1"): [response(204)],
                ("DELETE", "/v1/files/f3"): [response(404, api_error(404))],
            }
        )
    )
    assert driver.run(transcriptions.destroy_all(CONFIG)) is None
    assert driver.calls == [
        ("GET", "/v1/transcriptions"),
        ("DELETE", "/v1/transcriptions/t1"),
        ("DELETE", "/v1/files/f1"),
        ("DELETE", "/v1/transcriptions/t2"),
        ("DELETE", "/v1/transcriptions/t3"),
        ("DELETE", "/v1/files/f3"),
    ]
    deletes = [path for method, path in driver.calls if method == "DELETE"]
    assert sum(p.startswith("/v1/transcriptions/") for p in deletes) == 3
    assert sum(p.startswith("/v1/files/") for p in deletes) == 2


def test_destroy_all_over_several_pages() -> None:
    page1 = {"transcriptions": [transcription_json("t1", "completed", file_id="f1")], "next_page_cursor": "n"}
    page2 = {
        "transcriptions": [transcription_json("t2", "completed", file_id="f2")],
        "next_page_cursor": None,
    }
    driver = Driver(
        Router(
            {
                ("GET", "/v1/transcriptions"): [response(200, page1), response(200, page2)],
                ("DELETE", "/v1/transcriptions/t1"): [response(204)],
                ("DELETE", "/v1/transcriptions/t2"): [response(204)],
                ("DELETE", "/v1/files/f1"): [response(204)],
                ("DELETE", "/v1/files/f2"): [response(204)],
            }
        )
    )
    driver.run(transcriptions.destroy_all(CONFIG))
    assert [p for m, p in driver.calls if m == "DELETE"] == [
        "/v1/transcriptions/t1",
        "/v1/files/f1",
        "/v1/transcriptions/t2",
        "/v1/files/f2",
    ]
