"""Practice checks: plain-language verdicts, no tracebacks, and no expected value in the key."""

import json

import altair as alt
import pandas as pd
import pytest

from kit.exercises import keys, practice, verdicts
from kit.exercises import observe as observing
from kit.exercises.keys import encode_key, fingerprint
from kit.exercises.observe import observe, observe_value
from kit.exercises.practice import Grader
from kit.exercises.verdicts import compare

NUMBER = {"question": "q1", "answer": "share", "kind": "number", "decimals": 2}
COUNT = {"question": "q2", "answer": "n", "kind": "number", "decimals": 0}
TABLE = {"question": "q3", "answer": "table", "kind": "table", "columns": ["country", "gap_pct"], "decimals": 2}
ITEMS = {"question": "q4", "answer": "names", "kind": "items"}
TEXT = {"question": "q5", "answer": "who", "kind": "text"}
CHART = {"question": "q6", "answer": "chart", "kind": "chart", "mark": "bar", "fields": ["country", "gap_pct"], "decimals": 2}

EXPECTED_TABLE = pd.DataFrame({"country": ["Poland", "France", "Spain"], "gap_pct": [-0.98, 1.45, 1.5]})


def entry(spec, value):
    return fingerprint(observe_value(value, spec), spec, salt="test-salt")


def verdict(spec, expected, given):
    return compare(observe_value(given, spec), entry(spec, expected), spec)


def test_numbers_right_close_wrong():
    assert verdict(NUMBER, 3.7912, 3.79).status == "right"
    assert verdict(NUMBER, 3.7912, 3.791234).status == "right"
    assert verdict(NUMBER, 3.5 - 2.05, 1.45).status == "right"        # float noise does not matter
    close = verdict(NUMBER, 3.7912, 3.8)
    assert close.status == "close" and "rounded" in close.message
    assert verdict(NUMBER, 3.7912, 3.78).status == "wrong"
    assert verdict(NUMBER, 3.7912, 4).status == "close"                   # a whole number matching when rounded
    assert verdict(NUMBER, 3.7912, 4.2).status == "wrong"                 # one decimal, but not the same
    assert verdict(COUNT, 23, 23.0).status == "right"
    assert verdict(COUNT, 23, 22).status == "wrong"


def test_wrong_type_names_both_types():
    result = verdict(NUMBER, 3.79, pd.DataFrame({"a": [1, 2]}))
    assert result.status == "wrong_type"
    assert "expected a number, got a DataFrame" in result.message
    one = verdict(NUMBER, 3.79, pd.Series([3.79]))
    assert one.status == "wrong_type" and ".item()" in one.message
    assert verdict(NUMBER, 3.79, "3.79").status == "wrong_type"
    assert verdict(NUMBER, 3.79, True).status == "wrong_type"
    assert verdict(TABLE, EXPECTED_TABLE, 4).status == "wrong_type"


def test_placeholder_missing_and_nan_are_explained():
    assert verdict(NUMBER, 3.79, ...).status == "unanswered"
    assert "`...`" in verdict(NUMBER, 3.79, ...).message
    undefined = compare(observe({}, NUMBER), entry(NUMBER, 3.79), NUMBER)
    assert undefined.status == "undefined" and "`share`" in undefined.message
    nan = verdict(NUMBER, 3.79, float("nan"))
    assert nan.status == "wrong" and "missing value" in nan.message


def test_tables_ignore_row_order_and_index_but_not_values():
    shuffled = EXPECTED_TABLE.iloc[[2, 0, 1]].reset_index(drop=True)
    assert verdict(TABLE, EXPECTED_TABLE, shuffled).status == "right"
    as_index = EXPECTED_TABLE.set_index("country")               # e.g. a groupby result
    assert verdict(TABLE, EXPECTED_TABLE, as_index).status == "right"
    series = EXPECTED_TABLE.set_index("country")["gap_pct"]
    assert verdict(TABLE, EXPECTED_TABLE, series).status == "right"
    extra = EXPECTED_TABLE.assign(note="x")
    assert verdict(TABLE, EXPECTED_TABLE, extra).status == "right"

    missing = verdict(TABLE, EXPECTED_TABLE, EXPECTED_TABLE[["country"]])
    assert missing.status == "wrong_shape" and "gap_pct" in missing.message
    short = verdict(TABLE, EXPECTED_TABLE, EXPECTED_TABLE.head(2))
    assert short.status == "wrong_shape" and "2 row(s)" in short.message and "3" not in short.message.replace("q3", "")
    rounded = verdict(TABLE, EXPECTED_TABLE, EXPECTED_TABLE.assign(gap_pct=[-1.0, 1.4, 1.5]))
    assert rounded.status == "close"
    wrong = verdict(TABLE, EXPECTED_TABLE, EXPECTED_TABLE.assign(gap_pct=[0.0, 1.45, 1.5]))
    assert wrong.status == "wrong"


def test_ordered_tables_check_the_order():
    spec = dict(TABLE, ordered=True)
    assert verdict(spec, EXPECTED_TABLE, EXPECTED_TABLE).status == "right"
    assert verdict(spec, EXPECTED_TABLE, EXPECTED_TABLE.iloc[::-1]).status == "wrong"


def test_table_text_ignores_case_and_dates_may_be_text():
    spec = {"question": "q7", "answer": "t", "kind": "table", "columns": ["date", "member"], "decimals": 0}
    expected = pd.DataFrame({"date": pd.to_datetime(["2025-08-15", "2026-01-06"]), "member": [True, False]})
    as_text = pd.DataFrame({"date": ["2025-08-15", "2026-01-06"], "member": ["True", "False"]})
    assert verdict(spec, expected, as_text).status == "right"
    assert verdict(spec, expected, as_text.assign(member=["False", "True"])).status == "wrong"


def test_missing_values_in_tables_stay_missing():
    with_gap = pd.DataFrame({"country": ["Iceland", "Poland"], "gap_pct": [float("nan"), -0.98]})
    as_zero = with_gap.fillna({"gap_pct": 0.0})
    assert verdict(TABLE, with_gap, as_zero).status == "wrong"


def test_items_and_text():
    expected = ["Ukraine", "Australia", "New Zealand", "Japan"]
    assert verdict(ITEMS, expected, ["japan", " Ukraine", "New  Zealand", "Australia"]).status == "right"
    assert verdict(ITEMS, expected, pd.Series(expected)).status == "right"
    short = verdict(ITEMS, expected, expected[:3])
    assert short.status == "wrong_shape" and "4" not in short.message.replace("q4", "")
    assert verdict(ITEMS, expected, expected[:3] + ["Canada"]).status == "wrong"
    assert verdict(ITEMS, expected, "Ukraine").status == "wrong_type"
    assert verdict(TEXT, "Poland", "  poland ").status == "right"
    assert verdict(TEXT, "Poland", "Latvia").status == "wrong"


def _chart(frame, mark="bar"):
    return getattr(alt.Chart(frame), f"mark_{mark}")().encode(x="gap_pct:Q", y="country:N")


def test_charts_are_checked_by_mark_fields_and_data():
    assert verdict(CHART, _chart(EXPECTED_TABLE), _chart(EXPECTED_TABLE.iloc[::-1])).status == "right"
    layered = _chart(EXPECTED_TABLE) + alt.Chart(EXPECTED_TABLE).mark_rule().encode(x="gap_pct:Q")
    assert verdict(CHART, _chart(EXPECTED_TABLE), layered).status == "right"
    line = verdict(CHART, _chart(EXPECTED_TABLE), _chart(EXPECTED_TABLE, "line"))
    assert line.status == "wrong_shape" and "mark_bar" in line.message
    fields = alt.Chart(EXPECTED_TABLE).mark_bar().encode(x="gap_pct:Q")
    assert "country" in verdict(CHART, _chart(EXPECTED_TABLE), fields).message
    other_data = verdict(CHART, _chart(EXPECTED_TABLE), _chart(EXPECTED_TABLE.head(2)))
    assert other_data.status == "wrong_shape" and "chart's data" in other_data.message
    not_chart = verdict(CHART, _chart(EXPECTED_TABLE), EXPECTED_TABLE)
    assert not_chart.status == "wrong_type" and "an Altair chart" in not_chart.message


def test_the_key_holds_no_expected_value():
    values = {"q1": 3.7912, "q2": 10564, "q3": EXPECTED_TABLE, "q4": ["Ukraine", "Japan"], "q5": "Poland"}
    specs = {"q1": NUMBER, "q2": COUNT, "q3": TABLE, "q4": ITEMS, "q5": TEXT}
    key = {"exercise": "x", "questions": specs,
           "entries": {q: fingerprint(observe_value(values[q], specs[q]), specs[q], "s") for q in specs}}
    text = json.dumps(keys.decode_key(encode_key(key)))
    for needle in ("3.79", "3.8", "10564", "Poland", "poland", "Ukraine", "ukraine", "1.45", "-0.98"):
        assert needle not in text, needle


def test_messages_never_reveal_the_expected_value():
    wrong_answers = [4.2, 3.8, 3.78, "x", pd.DataFrame({"a": [1]}), None, float("nan"), [1, 2], ...]
    for given in wrong_answers:
        message = verdict(NUMBER, 3.7912, given).message
        assert "3.79" not in message and "3.8" not in message.replace("3.8,", ""), message


def test_grader_checks_by_value_and_by_name_and_never_raises():
    key = encode_key({"exercise": "demo", "questions": {"q1": NUMBER},
                      "entries": {"q1": entry(NUMBER, 3.7912)}})
    grader = Grader("demo", key=key)
    assert grader.check("q1", 3.79).passed
    assert practice.check("q1", 3.79).passed                        # the module-level shortcut uses the last grader
    namespace = {"grader": grader}
    exec("share = 3.79\nresult = grader.check('q1')", namespace)  # looks the variable up where it is called
    assert namespace["result"].status == "right"

    class Hostile:
        def __float__(self):
            raise RuntimeError("no")

        def __eq__(self, other):
            raise RuntimeError("no")

    assert grader.check("q1", Hostile()).status in ("wrong_type", "error")
    assert grader.check("q9", 1).status == "nokey" and "q1" in grader.check("q9", 1).message
    assert Grader("demo", key="not a key!").check("q1", 1).status == "nokey"
    assert Grader("demo").check("q1", 1).status == "nokey"


def test_feedback_says_it_is_practice_and_escapes_html():
    result = verdicts.Result("q1", "wrong", "q1: <b>not</b> right yet.")
    assert verdicts.PRACTICE_NOTE in repr(result)
    html = result._repr_html_()
    assert "&lt;b&gt;" in html and "not your grade" in html


@pytest.mark.parametrize("value, decimals, text", [(2.675, 2, "2.68"), (-0.004, 2, "0.00"), (10564, 0, "10564"),
                                                    (0.1 + 0.2, 1, "0.3"), (3.5 - 2.85, 2, "0.65")])
def test_number_text_rounds_half_up_without_float_noise(value, decimals, text):
    assert observing.number_text(value, decimals) == text


def test_the_imports_in_released_notebooks_keep_working(tmp_path):
    """Student notebooks already in classrooms say `from kit.checks import Grader` and `import kit.render`."""
    import subprocess
    import sys

    code = ("from kit.checks import Grader, check\n"
            "import kit.render\n"
            "assert callable(kit.render.enable)\n"
            "print(Grader('demo').check('q1', 1).status)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert done.returncode == 0 and done.stdout.strip() == "nokey", done.stderr
    import kit.checks

    assert kit.checks.Grader is Grader and kit.checks.compare is compare and kit.checks.observe is observe
