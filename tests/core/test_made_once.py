"""core/made_once.py: a file drawn once for its content, drawn again for other content, and drawn anyway when
the cache fails or the file is too big to keep."""

import pytest
from django.core.cache import cache

from core import made_once as module
from core.made_once import content_key, made_once


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


class Maker:
    def __init__(self, result=b"%PDF drawn"):
        self.calls, self.result = 0, result

    def __call__(self):
        self.calls += 1
        return self.result


def test_the_same_content_is_drawn_once():
    make = Maker()
    assert made_once("certificate", ("v1", "Nguyễn Văn Tèo"), make) == b"%PDF drawn"
    assert made_once("certificate", ("v1", "Nguyễn Văn Tèo"), make) == b"%PDF drawn"
    assert make.calls == 1


def test_other_content_another_namespace_or_another_drawing_code_is_drawn_again():
    make = Maker()
    made_once("certificate", ("v1", "Nguyễn Văn Tèo"), make)
    made_once("certificate", ("v1", "Nguyễn Văn Teo"), make)  # one diacritic less
    made_once("official-list", ("v1", "Nguyễn Văn Tèo"), make)
    made_once("certificate", ("v2", "Nguyễn Văn Tèo"), make)  # the layout changed
    assert make.calls == 4
    assert len({content_key("certificate", ("v1", name)) for name in ("Tèo", "Teo", "Tèo ")}) == 3


def test_too_big_to_keep_is_drawn_each_time(monkeypatch):
    monkeypatch.setattr(module, "MAX_BYTES", 4)
    make = Maker(b"12345")
    made_once("certificates", ("v1",), make)
    made_once("certificates", ("v1",), make)
    assert make.calls == 2


def test_a_cache_that_fails_costs_the_drawing_only(monkeypatch, caplog):
    def down(*args, **kwargs):
        raise ConnectionError("Redis does not answer")

    monkeypatch.setattr(module.cache, "get", down)
    make = Maker()
    assert made_once("certificate", ("v1",), make) == b"%PDF drawn"
    assert make.calls == 1
    assert "cache unavailable" in caplog.text


def test_a_cache_that_cannot_keep_still_answers(monkeypatch, caplog):
    def full(*args, **kwargs):
        raise ConnectionError("OOM command not allowed")

    monkeypatch.setattr(module.cache, "set", full)
    assert made_once("certificate", ("v1",), Maker()) == b"%PDF drawn"
    assert "not kept" in caplog.text
