"""The benchmark's ratios: each page against the calibration runs just around it.

The runs themselves (`make bench`) need minutes and a database of their own; these
check what the report concludes from its figures.
"""

import importlib.util
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent.parent / "scripts" / "bench.py"
_spec = importlib.util.spec_from_file_location("bench", SCRIPT)
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)


def runs(*pairs):
    """Runs as `measure` returns them, numbered: (place in the server's sequence, req/s)."""
    return [{"at": at, "rps": rps} for at, rps in pairs]


def test_a_page_is_compared_with_the_mean_of_the_calibrations_around_it():
    calibration = runs((1, 1000), (3, 600))
    page = runs((2, 240))

    assert bench.bracketed_ratio(page, calibration) == 240 / 800


def test_the_machine_slowing_within_a_round_is_not_charged_to_the_page():
    # The machine fast for the round's first calibration, slow around the page: the
    # first calibration of the round alone would say 0.2.
    calibration = runs((1, 1200), (5, 700), (7, 700))
    page = runs((6, 240))

    assert bench.bracketed_ratio(page, calibration) == 240 / 700


def test_each_round_gives_one_ratio_and_the_report_takes_their_median():
    calibration = runs((1, 1000), (3, 1000), (5, 500), (7, 500), (9, 800), (11, 800))
    page = runs((2, 300), (6, 100), (10, 200))

    assert bench.bracketed_ratio(page, calibration) == 0.25  # 0.3, 0.2 and 0.25


def test_a_page_with_calibration_on_one_side_only_uses_that_side():
    assert bench.bracketed_ratio(runs((4, 300)), runs((1, 1000), (3, 600))) == 0.5


def test_the_calibration_view_compared_with_itself_is_one():
    calibration = runs((1, 1000), (3, 600))

    assert bench.bracketed_ratio(calibration, calibration) == 1.0


def test_no_calibration_gives_no_ratio():
    assert bench.bracketed_ratio(runs((2, 240)), []) is None
    assert bench.bracketed_ratio(runs((2, 240)), runs((1, 0))) is None


PAGES = {
    "no-DB view": {},
    "one-query view": {},
    "front page": {},
    "search, mid word, never repeated": {},
    "search, 1 in 100, never repeated": {"when_named": True},
}


def test_a_lone_name_holding_commas_is_one_page():
    chosen = bench.chosen_pages(PAGES, "search, mid word, never repeated")

    assert list(chosen) == ["no-DB view", "one-query view", "search, mid word, never repeated"]


def test_names_are_separated_by_semicolons_when_one_holds_a_comma():
    chosen = bench.chosen_pages(PAGES, "front page;search, 1 in 100, never repeated")

    assert "front page" in chosen and "search, 1 in 100, never repeated" in chosen


def test_by_default_every_page_but_the_search_shapes():
    assert "search, 1 in 100, never repeated" not in bench.chosen_pages(PAGES, "")
    assert "front page" in bench.chosen_pages(PAGES, "")


def test_a_name_that_is_no_page_stops_the_run():
    with pytest.raises(SystemExit, match="no such page"):
        bench.chosen_pages(PAGES, "front page,serach")
