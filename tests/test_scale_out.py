"""The scale-out report's arithmetic: the doubling verdict and the projected capacity.

The run itself (`make scale-out`) needs nginx, wrk and minutes of a quiet machine;
these check what it concludes from its figures.
"""

import importlib.util
from argparse import Namespace
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "scale_out.py"
_spec = importlib.util.spec_from_file_location("scale_out", SCRIPT)
scale_out = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(scale_out)

OPTIONS = Namespace(rounds=1, seconds=8, connections=8)


def run(rps, app_cores, idle_cores, *, app_ms=20.0, database_ms=4.0):
    """One measured row, as `measure` returns it."""
    return {
        "rps": rps,
        "errors": 0,
        "load": "1.00",
        "app_ms": app_ms,
        "primary_ms": database_ms / 4,
        "replica_ms": database_ms * 3 / 4,
        "database_ms": database_ms,
        "nginx_ms": 0.3,
        "wrk_ms": 0.2,
        "app_cores": app_cores,
        "primary_cores": 0.02,
        "replica_cores": 0.06,
        "database_cores": 0.08,
        "nginx_cores": 0.01,
        "wrk_cores": 0.01,
        "other_cores": 0.0,
        "idle_cores": idle_cores,
    }


def test_projection_grows_with_app_cores_until_the_database_core_is_used_up():
    rows = scale_out.projection(app_ms=20.0, database_ms=4.0, app_cores=(1, 2, 8))

    assert [(cores, round(rate)) for cores, rate, _used in rows] == [(1, 50), (2, 100), (8, 250)]
    assert rows[-1][2] == 1.0  # eight app cores would need more than one database core


def test_a_machine_without_idle_cores_says_it_cannot_show_a_doubling():
    results = {"1 app server": [run(50, 1.0, 0.1)], "2 app servers": [run(52, 1.0, 0.0)]}

    text = scale_out.report(results, OPTIONS, "/en/news/1/a/")

    assert "Two app servers / one: 1.04x" in text
    assert "This machine cannot show a doubling" in text
    assert "| 2 | 100 | 0.40 |" in text  # the projection: 2 app cores, one database core


def test_a_machine_with_idle_cores_takes_the_ratio_at_its_word():
    results = {"1 app server": [run(50, 1.0, 6.0)], "2 app servers": [run(98, 2.0, 4.8)]}

    text = scale_out.report(results, OPTIONS, "/en/news/1/a/")

    assert "Two app servers / one: 1.96x" in text
    assert "so the ratio measures the site" in text
    assert "cannot show" not in text


def test_a_page_that_costs_the_database_nothing_is_bound_by_app_cores_alone():
    # Measured so: an article served from rendered fragments reads no row.
    one, two = run(272, 0.97, 0.94, app_ms=3.7, database_ms=0.0), run(475, 1.9, 0.05)

    text = scale_out.report({"1 app server": [one], "2 app servers": [two]}, OPTIONS, "/a/")

    assert "Two app servers / one: 1.75x" in text
    assert "the database did no measurable work per page" in text
    assert "| 8 | 2162 | 0.00 |" in text  # eight app cores, no database bound
