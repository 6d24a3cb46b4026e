"""Date resolution: every rule of kb-format.md "Dates", every error, ordering and grouping."""
from __future__ import annotations

import pytest

from builder.dates import (DateInput, Relative, Resolved, Where, extent, group_key, parse_duration_days,
                           placement, resolve, sort_key, start_year)
from builder.edtf import day_number, parse_edtf, weekday, xsd_date, ymd

WED = 2


def at(line: int) -> Where:
    return Where("kb/test.ttl", line, 5)


def written(*texts: str, line: int = 1) -> tuple:
    return tuple((parse_edtf(t), at(line + i)) for i, t in enumerate(texts))


def rel(anchor: str, line: int = 50, **kw) -> Relative:
    return Relative(anchor=anchor, where=at(line), **kw)


def thing(iri: str, *texts: str, relatives=(), sources=(), line: int = 1) -> DateInput:
    return DateInput(iri, written(*texts, line=line), tuple(relatives), tuple(sources), at(line))


def run(*things: DateInput, **kw):
    return resolve({t.iri: t for t in things}, **kw)


def bounds(r: Resolved) -> tuple[str | None, str | None]:
    return (None if r.earliest is None else xsd_date(r.earliest),
            None if r.latest is None else xsd_date(r.latest))


QAANI = thing("id:qaani", "2024-01-29")
MENA = thing("id:mena", "2024-02")


# ---- the seed examples -------------------------------------------------------------------------

def test_seed_examples():
    res, problems = run(
        QAANI, MENA,
        thing("id:kh-suspends", relatives=[rel("id:qaani", offset=1, phrases=(("en", "the next day"),))]),
        thing("id:tower-22", relatives=[rel("id:qaani", earliest_offset=-2, latest_offset=0)]),
        thing("id:kafr-sousa", relatives=[rel("id:mena", weekday=WED)]),
        thing("id:us-troops", relatives=[rel("id:mena", offset=0)], sources=["id:mena"]),
    )
    assert problems == []
    assert bounds(res["id:qaani"]) == ("2024-01-29", "2024-01-29")
    assert bounds(res["id:kh-suspends"]) == ("2024-01-30", "2024-01-30")
    assert bounds(res["id:tower-22"]) == ("2024-01-27", "2024-01-29")
    kafr = res["id:kafr-sousa"]
    assert bounds(kafr) == ("2024-01-31", "2024-02-28")
    assert weekday(kafr.earliest) == weekday(kafr.latest) == WED and kafr.weekday == WED
    assert bounds(res["id:us-troops"]) == ("2024-02-01", "2024-02-29")
    assert res["id:us-troops"].precision == "month"
    assert res["id:kh-suspends"].relative.phrases == (("en", "the next day"),)


# ---- each rule ---------------------------------------------------------------------------------

def test_written_date_gives_its_bounds_and_precision_and_qualifiers():
    res, _ = run(thing("id:a", "2023-12~"), thing("id:b", "2024-02-21?"), thing("id:c", "2014"))
    assert (bounds(res["id:a"]), res["id:a"].precision, res["id:a"].approximate) == \
        (("2023-12-01", "2023-12-31"), "month", True)
    assert (res["id:b"].precision, res["id:b"].uncertain, res["id:b"].kind) == ("day", True, "point")
    assert res["id:c"].precision == "year" and res["id:c"].relative is None


def test_offset_moves_the_anchors_interval():
    res, _ = run(MENA, thing("id:a", relatives=[rel("id:mena", offset=-2)]),
                 thing("id:b", relatives=[rel("id:mena", offset=7)]))
    assert bounds(res["id:a"]) == ("2024-01-30", "2024-02-27")
    assert bounds(res["id:b"]) == ("2024-02-08", "2024-03-07")
    assert res["id:a"].precision == "range"


def test_offset_range_uses_earliest_offset_for_earliest_and_latest_for_latest():
    res, _ = run(MENA, thing("id:a", relatives=[rel("id:mena", earliest_offset=-3, latest_offset=5)]))
    assert bounds(res["id:a"]) == ("2024-01-29", "2024-03-05")


def test_weekday_runs_from_the_last_weekday_on_or_before_each_bound():
    d22 = thing("id:d22", "2024-02-22")
    d21 = thing("id:d21", "2024-02-21")
    res, _ = run(d22, d21, thing("id:a", relatives=[rel("id:d22", weekday=WED)]),
                 thing("id:b", relatives=[rel("id:d21", weekday=WED)]),
                 thing("id:c", relatives=[rel("id:d21", weekday=6)]))
    assert bounds(res["id:a"]) == ("2024-02-21", "2024-02-21")
    assert bounds(res["id:b"]) == ("2024-02-21", "2024-02-21")  # on or before: the day itself
    assert bounds(res["id:c"]) == ("2024-02-18", "2024-02-18")  # the Sunday before
    assert res["id:a"].precision == "day" and res["id:a"].weekday == WED


def test_a_weekday_range_that_fills_a_month_is_still_a_range():
    # February 2012 began and ended on a Wednesday
    res2, _ = run(thing("id:a", "2012-02"), thing("id:m", "2012-02"),
                  thing("id:b", "2012-02", relatives=[rel("id:m", weekday=WED)]))
    assert bounds(res2["id:b"]) == ("2012-02-01", "2012-02-29")
    assert (res2["id:a"].precision, res2["id:b"].precision) == ("month", "range")


def test_statements_intersect_then_bounds_move_inward_to_the_weekday():
    res, problems = run(MENA, thing("id:a", "2024-02", relatives=[rel("id:mena", weekday=WED)]))
    assert problems == []
    assert bounds(res["id:a"]) == ("2024-02-07", "2024-02-28")


def test_a_relative_date_can_make_a_date_precise():
    res, _ = run(QAANI, thing("id:a", "2024-01", relatives=[rel("id:qaani", offset=2)]))
    assert (bounds(res["id:a"]), res["id:a"].precision) == (("2024-01-31", "2024-01-31"), "day")
    assert res["id:a"].written.text == "2024-01" and res["id:a"].relative.offset == 2


def test_the_relative_shown_is_the_one_that_bounds_most():
    res, _ = run(QAANI, MENA, thing("id:a", relatives=[rel("id:qaani", earliest_offset=0),
                                                       rel("id:mena", latest_offset=0)]))
    assert bounds(res["id:a"]) == ("2024-01-29", "2024-02-29")
    assert res["id:a"].relative.anchor == "id:qaani" and len(res["id:a"].relatives) == 2
    res, _ = run(QAANI, MENA, thing("id:b", relatives=[rel("id:mena", offset=0), rel("id:qaani", offset=30)]))
    assert res["id:b"].relative.anchor == "id:qaani"


def test_two_written_dates_intersect():
    res, _ = run(thing("id:a", "2024", "2024-02"))
    assert bounds(res["id:a"]) == ("2024-02-01", "2024-02-29")
    assert res["id:a"].written.text == "2024-02" and res["id:a"].precision == "month"


def test_on_or_after_is_bounded_by_the_latest_publication_of_its_own_sources():
    src1, src2 = thing("id:s1", "2024-02-05"), thing("id:s2", "2024-02-10")
    res, problems = run(QAANI, src1, src2, thing("id:a", relatives=[rel("id:qaani", earliest_offset=0)],
                                                 sources=["id:s1", "id:s2"]))
    assert problems == []
    assert bounds(res["id:a"]) == ("2024-01-29", "2024-02-10")


def test_on_or_after_without_dated_sources_stays_open():
    res, problems = run(QAANI, thing("id:reuters"),
                        thing("id:a", relatives=[rel("id:qaani", earliest_offset=1)], sources=["id:reuters"]))
    assert problems == [] and bounds(res["id:a"]) == ("2024-01-30", None)
    assert "id:reuters" not in res  # a thing without any date resolves to nothing, silently


def test_on_or_before_leaves_the_earliest_side_open():
    res, _ = run(MENA, thing("id:a", relatives=[rel("id:mena", latest_offset=0)], sources=["id:mena"]))
    assert bounds(res["id:a"]) == (None, "2024-02-29")


def test_shortly_after_is_earliest_offset_zero_bounded_by_the_report():
    res, _ = run(QAANI, MENA, thing("id:a", relatives=[rel("id:qaani", earliest_offset=0)], sources=["id:mena"]))
    assert bounds(res["id:a"]) == ("2024-01-29", "2024-02-29")


def test_sources_are_only_asked_for_when_needed_so_a_report_may_count_from_its_event():
    # the article was published the day after the event; the event is dated by the article
    event = thing("id:ev", relatives=[rel("id:art", latest_offset=0)], sources=["id:art"])
    article = thing("id:art", "2024-03-02")
    res, problems = run(event, article)
    assert problems == [] and bounds(res["id:ev"]) == (None, "2024-03-02")


def test_an_open_sided_source_lookup_that_loops_back_is_skipped_not_a_cycle():
    event = thing("id:ev", relatives=[rel("id:q", earliest_offset=0)], sources=["id:art"])
    article = thing("id:art", relatives=[rel("id:ev", offset=1)])
    res, problems = run(thing("id:q", "2024-01-29"), event, article)
    assert problems == []
    assert bounds(res["id:ev"]) == ("2024-01-29", None)
    assert bounds(res["id:art"]) == ("2024-01-30", None)


def test_chains_resolve_through_anchors_of_anchors():
    res, _ = run(QAANI, thing("id:b", relatives=[rel("id:qaani", offset=1)]),
                 thing("id:c", relatives=[rel("id:b", offset=1)]))
    assert bounds(res["id:c"]) == ("2024-01-31", "2024-01-31")


def test_a_chain_ten_thousand_deep_does_not_recurse():
    def name(i: int) -> str:  # the last link sorts first, so the whole chain is resolved from it
        return f"id:n{10000 - i:05d}"
    things = [thing(name(0), "2024-01-01")]
    things += [thing(name(i), relatives=[rel(name(i - 1), offset=1)]) for i in range(1, 10001)]
    res, problems = run(*things)
    assert problems == [] and len(res) == 10001
    assert res[name(10000)].earliest == day_number(2024, 1, 1) + 10000


def test_a_span_lasts_from_its_start_to_its_end():
    res, _ = run(thing("id:a", "2024-01-27/2024-01-29"), thing("id:b", "2014/.."), thing("id:c", "2014/"))
    a = res["id:a"]
    assert (a.kind, bounds(a), a.start_bounds, a.end_bounds) == (
        "span", ("2024-01-27", "2024-01-29"), (a.earliest, a.earliest), (a.latest, a.latest))
    assert bounds(res["id:b"]) == ("2014-01-01", None) and res["id:b"].open_end
    assert res["id:c"].unknown_end and not res["id:c"].open_end


def test_an_open_span_is_not_bounded_by_its_sources():
    res, _ = run(MENA, thing("id:a", "2014/..", sources=["id:mena"]))
    assert bounds(res["id:a"]) == ("2014-01-01", None)


def test_a_relative_date_places_the_start_of_a_span():
    res, problems = run(QAANI, thing("id:a", "2024-01/2024-03", relatives=[rel("id:qaani", offset=1)]))
    assert problems == []
    a = res["id:a"]
    assert a.start_bounds == (day_number(2024, 1, 30),) * 2
    assert bounds(a) == ("2024-01-30", "2024-03-31")


def test_one_of_range_and_time_of_day():
    res, _ = run(thing("id:a", "[2024-01-27..2024-01-29]"), thing("id:b", "2024-01-29T10:00:00Z"))
    assert (res["id:a"].kind, bounds(res["id:a"])) == ("one-of", ("2024-01-27", "2024-01-29"))
    assert res["id:b"].time == "10:00:00Z"


def test_anchor_may_be_a_span_or_open():
    res, _ = run(thing("id:war", "2014/.."), thing("id:a", relatives=[rel("id:war", earliest_offset=0)]))
    assert bounds(res["id:a"]) == ("2014-01-01", None)


# ---- errors --------------------------------------------------------------------------------------

def codes(problems) -> list[str]:
    return [p.code for p in problems]


def test_cycle_is_reported_once_naming_its_members_and_dependents_stay_quiet():
    res, problems = run(thing("id:a", relatives=[rel("id:b", offset=1, line=10)]),
                        thing("id:b", relatives=[rel("id:c", offset=1, line=20)]),
                        thing("id:c", relatives=[rel("id:a", offset=1, line=30)]),
                        thing("id:d", relatives=[rel("id:a", offset=1, line=40)]))
    assert codes(problems) == ["date-cycle"]
    assert "id:a → id:b → id:c → id:a" in problems[0].message
    assert (problems[0].path, problems[0].line) == ("kb/test.ttl", 30)
    assert res == {}


def test_a_thing_anchored_on_itself_is_a_cycle():
    _, problems = run(thing("id:a", relatives=[rel("id:a", offset=1)]))
    assert codes(problems) == ["date-cycle"] and "id:a → id:a" in problems[0].message


def test_missing_anchor():
    res, problems = run(thing("id:a", relatives=[rel("id:nowhere", offset=1, line=7)]))
    assert codes(problems) == ["missing-anchor"] and problems[0].line == 7
    assert "id:nowhere" in problems[0].message and "id:a" not in res


def test_anchor_without_a_date():
    _, problems = run(thing("id:reuters"), thing("id:a", relatives=[rel("id:reuters", offset=1, line=8)]))
    assert codes(problems) == ["anchor-undated"] and problems[0].line == 8
    _, problems = run(thing("id:a", relatives=[rel("id:reuters", offset=1)]), described={"id:reuters"})
    assert codes(problems) == ["anchor-undated"]


def test_an_undated_anchor_of_several_things_is_one_problem_at_the_anchor():
    """Five things counting from one source without its date are one mistake: one problem, where
    the source is described (locate), naming what counts from it; a thing counting from one of
    them is not reported at all."""
    things = [thing(f"id:ev-{n}", relatives=[rel("id:src", offset=n, line=10 + n)]) for n in range(7)]
    chained = thing("id:ev-next", relatives=[rel("id:ev-0", offset=1, line=30)])
    _, problems = run(*things, chained, described={"id:src"}, locate={"id:src": at(3)}.get)
    assert codes(problems) == ["anchor-undated"]
    assert problems[0].line == 3
    assert problems[0].message == ("id:src has no date, and 7 relative dates count from it: "
                                   "id:ev-0, id:ev-1, id:ev-2, id:ev-3, id:ev-4 and 2 more")
    _, problems = run(*things[:2], described={"id:src"})  # not known where: at the first relative date
    assert codes(problems) == ["anchor-undated"] and problems[0].line == 10


def test_empty_intersection_names_both_statements_and_their_dates():
    res, problems = run(QAANI, thing("id:a", "2024-02", relatives=[rel("id:qaani", offset=1, line=9,
                                                                          phrases=(("en", "the next day"),))]))
    assert codes(problems) == ["empty-intersection"] and problems[0].line == 9
    message = problems[0].message
    assert '"2024-02"' in message and "2024-02-01 to 2024-02-29" in message
    assert '"the next day"' in message and "2024-01-30" in message
    assert "id:a" not in res


def test_empty_intersection_of_a_weekday():
    _, problems = run(thing("id:d", "2024-02-22"),
                      thing("id:a", "2024-02-22", relatives=[rel("id:d", weekday=3, line=12)]))
    # 22 February 2024 is a Thursday: the last Thursday on or before it is that day
    assert problems == []
    _, problems = run(thing("id:d", "2024-02-22"),
                      thing("id:a", "2024-02-22", relatives=[rel("id:d", weekday=WED, line=12)]))
    assert codes(problems) == ["empty-intersection"]
    _, problems = run(thing("id:a", "2024-02-22", relatives=[rel("id:m", weekday=WED, line=12)]),
                      thing("id:m", "2024-02"), thing("id:b", "[2024-02-22..2024-02-26]",
                                                        relatives=[rel("id:m", weekday=WED, line=13)]))
    assert codes(problems) == ["empty-intersection", "empty-intersection"]
    assert "Wednesday" in problems[1].message and problems[1].line == 13


def test_empty_intersection_with_the_sources():
    _, problems = run(QAANI, thing("id:early", "2024-01-01"),
                      thing("id:a", relatives=[rel("id:qaani", earliest_offset=1)], sources=["id:early"]))
    assert codes(problems) == ["empty-intersection"] and "published" in problems[0].message


def test_no_bound():
    _, problems = run(thing("id:war", "2014/.."),
                      thing("id:a", relatives=[rel("id:war", latest_offset=0)], line=3))
    assert codes(problems) == ["no-bound"] and problems[0].line == 3


@pytest.mark.parametrize("bad", [
    dict(), dict(offset=1, weekday=WED), dict(offset=1, earliest_offset=0),
    dict(earliest_offset=2, latest_offset=1),
])
def test_malformed_relative_dates(bad):
    _, problems = run(QAANI, thing("id:a", relatives=[rel("id:qaani", line=4, **bad)]))
    assert codes(problems) == ["bad-relative-date"] and problems[0].line == 4


def test_short_renders_iris_in_messages_and_problems_are_deterministic():
    things = (thing("https://example.org/id/a", relatives=[rel("https://example.org/id/gone", offset=1)]),)
    _, problems = resolve({t.iri: t for t in things}, short=lambda i: i.replace("https://example.org/id/", "id:"))
    assert "id:gone" in problems[0].message and "https://" not in problems[0].message
    assert run(*things) == run(*things)


# ---- durations -------------------------------------------------------------------------------------

@pytest.mark.parametrize("text,days", [("P1D", 1), ("-P2D", -2), ("P0D", 0), ("P7D", 7), ("-P0D", 0),
                                       ("P365D", 365), ("PT0S", 0), ("PT48H", 2), ("-PT24H", -1),
                                       ("P1DT24H", 2), ("PT86400S", 1)])
def test_durations_in_whole_days(text, days):
    assert parse_duration_days(text) == days


@pytest.mark.parametrize("text,why", [("PT5H", "whole number of days"), ("P1DT2H", "whole number of days"),
                                      ("PT36H", "whole number of days"), ("PT0.5S", "whole number of days"),
                                      ("P1M", "months or years"),
                                      ("P1Y", "months or years"), ("1D", "not a duration"),
                                      ("P", "not a duration"), ("P1DT", "not a duration"), ("", "not a duration")])
def test_other_durations_are_errors(text, why):
    with pytest.raises(ValueError, match=why):
        parse_duration_days(text)


# ---- grouping and ordering ---------------------------------------------------------------------

def test_group_key_never_invents_precision():
    res, _ = run(QAANI, MENA, thing("id:y", "2014"), thing("id:w", relatives=[rel("id:mena", weekday=WED)]),
                 thing("id:s", "2023-12-30/2024-01-02"), thing("id:dec", "199X"),
                 thing("id:open", relatives=[rel("id:qaani", latest_offset=0)]),
                 thing("id:t", relatives=[rel("id:qaani", earliest_offset=-2, latest_offset=0)]))
    assert group_key(res["id:qaani"]) == (2024, 1, 29)
    assert group_key(res["id:mena"]) == (2024, 2, None)  # its month, never 1 February
    assert group_key(res["id:y"]) == (2014, None, None)
    assert group_key(res["id:w"]) == (2024, None, None)  # 31 January to 28 February
    assert group_key(res["id:s"]) == (2023, 12, 30)  # a span is listed where it starts
    assert group_key(res["id:dec"]) == (None, None, None)
    assert group_key(res["id:open"]) == (2024, 1, 29)  # "on or before 29 January": at its known bound
    assert group_key(res["id:t"]) == (2024, 1, None)


def test_one_sided_dates_are_placed_at_their_known_bound():
    src = thing("id:src", "2023-03-10")
    res, _ = run(src, thing("id:report", relatives=[rel("id:src", latest_offset=0)]),
                 thing("id:until", "/2019-11-15"), thing("id:until-month", "../2019-12"),
                 thing("id:from", "2019-11-15/"), thing("id:still", "2019-06/.."))
    assert res["id:report"].earliest is None  # "on or before 10 March 2023" stays open …
    assert placement(res["id:report"]) == (res["id:src"].latest,) * 2  # … but is listed at 10 March
    assert group_key(res["id:report"]) == (2023, 3, 10)
    assert group_key(res["id:until"]) == (2019, 11, 15)  # an unknown start: placed at its end
    assert group_key(res["id:until-month"]) == (2019, 12, None)
    assert group_key(res["id:from"]) == (2019, 11, 15)  # an unknown end: placed at its start
    assert group_key(res["id:still"]) == (2019, 6, None)
    assert [start_year(res[i]) for i in ("id:report", "id:until", "id:from")] == [2023, 2019, 2019]
    assert extent(res["id:report"]) == placement(res["id:report"])  # an open side adds no years


def test_dates_across_years_are_listed_from_the_year_they_may_start_in():
    res, _ = run(thing("id:dec", "201X"), thing("id:cent", "20XX"), thing("id:span", "2019-03-01/2021-06-30"),
                 thing("id:bce", "-0232"))
    assert group_key(res["id:dec"]) == (None, None, None)
    assert start_year(res["id:dec"]) == 2010
    assert [ymd(d)[0] for d in extent(res["id:dec"])] == [2010, 2019]
    assert [ymd(d)[0] for d in extent(res["id:cent"])] == [2000, 2099]
    assert group_key(res["id:span"]) == (2019, 3, 1)  # a span is listed where it starts …
    assert [ymd(d)[0] for d in extent(res["id:span"])] == [2019, 2021]  # … and touches the years it lasts
    assert start_year(res["id:bce"]) == -232


def test_sort_key_puts_one_sided_dates_at_their_known_bound_never_first():
    src = thing("id:src", "2023-03-10")
    res, _ = run(src, thing("id:report", relatives=[rel("id:src", latest_offset=0)]), thing("id:bce", "-0232"),
                 thing("id:dec", "201X"), thing("id:until", "/2019-11-15"), thing("id:mar", "2023-03-09"),
                 thing("id:after", "2023-03-11"))
    order = [r.iri for r in sorted(res.values(), key=sort_key)]
    assert order == ["id:bce", "id:dec", "id:until", "id:mar", "id:report", "id:src", "id:after"]


def test_sort_key_orders_by_earliest_open_first_then_latest_time_and_iri():
    res, _ = run(thing("id:a", "2024-02"), thing("id:b", "2024-02-01"), thing("id:c", "2024-02-01T09:00:00"),
                 thing("id:d", "2024-02-01T08:00:00"), thing("id:e", "../2024-01"), thing("id:f", "2024-02-01/.."),
                 thing("id:g", "2024-02-01"))
    order = sorted(res.values(), key=sort_key)
    # f ("from 1 February 2024, still going") is placed at its first day, before the month
    assert [r.iri for r in order] == ["id:e", "id:b", "id:g", "id:d", "id:c", "id:f", "id:a"]
