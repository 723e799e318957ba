"""The query language: validation, safe compilation, and property-based fuzzing (hypothesis).

Fuzzing claims: (1) any JSON value or any text given to the parsers either
yields a valid query or raises QueryError, never anything else; (2) every valid
query compiles to a pipeline without $where/$function/$regex/$expr and with user
values only as literals; (3) running it returns only integer counts.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from node.query.compiler import FORBIDDEN_OPERATORS, assert_safe, compile_pipeline
from node.query.engine import ExactCounts, count_patients
from node.query.fields import FIELDS, MODALITIES
from node.query.spec import QueryError, parse_query
from node.query.where import query_from_cli
from tests.query_helpers import open_filled_store, synthetic_docs


def test_where_expression_compiles_to_literal_match() -> None:
    q = query_from_cli('age >= 60 and modality = MR and body_region = head and text contains "Glioma!"', ["sex"])
    match = compile_pipeline(q)[0]["$match"]
    assert match == {"$and": [{"query.age_at_note": {"$gte": 60}}, {"query.modality": {"$eq": "MR"}},
                              {"query.body_region": {"$eq": "head"}}, {"query.tokens": {"$all": ["glioma"]}}]}
    assert q.fields_used() == {"age", "modality", "body_region", "text", "sex"}


@pytest.mark.parametrize("text, fragment", [
    ("foo = 1", "unknown field 'foo'"),
    ("age >= 200", "age must be a whole number from 0 to 90"),
    ("age contains 3", "operator 'contains' is not allowed on 'age'"),
    ("sex = $where", "cannot read the expression"),
    ("note_date >= 2020-01-05", "'YYYY' or a month 'YYYY-MM'"),
    ("term = 'a.*'", "normalized term"),
    ("text contains '!!'", "1 to 16 words"),
    ("(age > 3", "expected ')'"),
    ("age between 50 and 40", "low <= high"),
])
def test_bad_expressions_are_clear_errors(text: str, fragment: str) -> None:
    with pytest.raises(QueryError) as err:
        query_from_cli(text)
    assert fragment in str(err.value)


@pytest.mark.parametrize("spec, fragment", [
    ({"where": {"field": "sex", "op": "$where", "value": "1"}}, "op"),
    ({"where": {"$where": "sleep(1000)"}}, "where"),
    ({"where": {"field": "sex", "op": "eq", "value": {"$gt": ""}}}, "value"),
    ({"where": {"field": "sex", "op": "eq", "value": "female", "extra": 1}}, "extra"),
    ({"by": ["sex", "age_band", "note_type"]}, "by"),
    ({"by": ["text"]}, "cannot break down by 'text'"),
    ({"return": "documents"}, "return"),
])
def test_unknown_keys_operators_and_operator_values_rejected(spec: dict, fragment: str) -> None:
    with pytest.raises(QueryError) as err:
        parse_query(spec)
    assert fragment in str(err.value)


def test_same_query_has_one_canonical_form() -> None:
    a = parse_query({"where": {"field": "sex", "op": "in", "value": ["male", "female", "male"]}})
    b = query_from_cli("sex in (female, male)")
    assert a.canonical() == b.canonical()


# ---------------------------------------------------------------- fuzzing

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**12, 10**12) | st.floats(allow_nan=True) | st.text(max_size=12),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(
        st.sampled_from(["where", "by", "and", "or", "not", "field", "op", "value", "$where", "$function"])
        | st.text(max_size=6), children, max_size=4),
    max_leaves=20,
)

field_names = st.sampled_from(sorted(FIELDS) + ["foo", "$where", "query.sex", ""])
ops = st.sampled_from(["eq", "ne", "in", "gt", "gte", "lt", "lte", "between", "contains", "$regex", "$function"])
scalars = st.one_of(st.integers(-5, 120), st.sampled_from(
    ["female", "male", "MR", "CT", "head", "glioma", "60-69", "radiology_report", "2031", "2031-05", "$where",
     ".*", "a|b", "{\"$gt\": 1}", "hospital-a"]), st.text(max_size=10))
comparisons = st.fixed_dictionaries({"field": field_names, "op": ops,
                                     "value": scalars | st.lists(scalars, max_size=4)})
conditions = st.recursive(comparisons, lambda c: st.one_of(
    st.fixed_dictionaries({"and": st.lists(c, max_size=3)}), st.fixed_dictionaries({"or": st.lists(c, max_size=3)}),
    st.fixed_dictionaries({"not": c})), max_leaves=8)
specs = st.fixed_dictionaries({"where": conditions},
                              optional={"by": st.lists(st.sampled_from(sorted(FIELDS) + ["x"]), max_size=3)})


def _check_safe(query) -> None:
    pipeline = compile_pipeline(query, ["PX-OPTED"])
    assert_safe(pipeline)
    text = json.dumps(pipeline)
    for op in FORBIDDEN_OPERATORS:
        assert f'"{op}"' not in text


@settings(max_examples=250, deadline=None)
@given(json_values)
def test_fuzz_arbitrary_json_never_crashes(value) -> None:
    try:
        query = parse_query(json.dumps(value) if not isinstance(value, dict) else value)
    except QueryError:
        return
    _check_safe(query)


@settings(max_examples=300, deadline=None)
@given(specs)
def test_fuzz_structured_specs_never_crash(spec) -> None:
    try:
        query = parse_query(spec)
    except QueryError:
        return
    _check_safe(query)


where_tokens = st.sampled_from(["age", ">=", "60", "and", "or", "not", "(", ")", "sex", "=", "female", "in",
                                "between", "contains", "'glioma'", '"x"', ",", "modality", "MR", "$where", "term",
                                "note_date", "2031-05", "!=", "<", "{", "'", "\\", "999999999999999999999"])


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=60), st.lists(where_tokens, max_size=14).map(" ".join)))
def test_fuzz_where_text_never_crashes(text) -> None:
    try:
        query = query_from_cli(text)
    except QueryError:
        return
    _check_safe(query)


@pytest.fixture
def small_store(store_uri: str, database_name: str):
    store = open_filled_store(store_uri, database_name, synthetic_docs("hospital-a", 25, seed=3))
    yield store
    store.close()


def test_fuzz_valid_queries_return_only_counts(small_store) -> None:
    """Run fuzzed valid queries on a store: the result holds integers only, never rows or ids."""
    seen = 0

    @settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
    @given(specs)
    def run(spec) -> None:
        nonlocal seen
        try:
            query = parse_query(spec)
        except QueryError:
            return
        result = count_patients(small_store, query)
        assert isinstance(result, ExactCounts)
        assert all(type(v) is int for v in result.vector())
        assert 0 <= result.total <= 25 and all(0 <= v <= 25 for v in result.values)
        assert len(result.values) == len(query.cells())
        seen += 1

    run()
    assert seen > 0


def test_images_fields_match_nothing_until_images_land(small_store) -> None:
    for value in MODALITIES:
        assert count_patients(small_store, query_from_cli(f"modality = {value}")).total == 0
    assert count_patients(small_store, query_from_cli("not modality = MR")).total == 25
    assert count_patients(small_store, query_from_cli("body_region != head")).total == 0


# ---------------------------------------------------------------- bad input is a clear error (issue 12, item 13)

@pytest.mark.parametrize("text", ["age >= " + "9" * 5000, "age = -" + "1" * 4400, "age in (1, " + "7" * 30 + ")"])
def test_a_huge_number_in_where_is_a_clear_error(text: str) -> None:
    with pytest.raises(QueryError) as err:  # was a bare ValueError from int() (4300-digit limit)
        query_from_cli(text)
    assert "digits" in str(err.value) and "character" in str(err.value)


def test_a_huge_number_in_a_json_spec_is_a_clear_error() -> None:
    text = '{"where": {"field": "age", "op": "eq", "value": ' + "9" * 5000 + "}}"
    with pytest.raises(QueryError, match="digits"):
        parse_query(text)
    with pytest.raises(QueryError, match="age must be a whole number"):
        parse_query({"where": {"field": "age", "op": "eq", "value": 10 ** 5000}})


@pytest.mark.parametrize("data", [b"\xff\xfe{}", b'{"by": ["\xe9"]}', "[" * 16000, '{"by": NaN}', '{"where": 1e999}'])
def test_malformed_json_specs_are_clear_errors(data) -> None:
    with pytest.raises(QueryError) as err:
        parse_query(data)
    assert str(err.value).startswith(("query spec", "invalid query", "conditions nest"))


def _names_the_problem(message: str) -> bool:
    """A rejection says where (a character position, a part of the spec) or what (a field, a limit)."""
    return any(word in message for word in ("character", "expression", "where", "by", "field", "query",
                                            "operator", "value", "digits", "nests", "longer"))


digit_runs = st.integers(1, 6000).map(lambda n: "9" * n)
where_parts = st.one_of(where_tokens, digit_runs, st.sampled_from(["(" * 40, ")" * 40, "not " * 20, "'" + "x" * 300]),
                        st.text(alphabet=st.characters(codec="utf-8"), max_size=8))


@settings(max_examples=400, deadline=None)
@given(st.lists(where_parts, max_size=12).map(" ".join))
def test_fuzz_where_rejections_are_clear_errors(text) -> None:
    """Any text, numbers of any length, deep nesting, any Unicode: a query or a QueryError naming the problem."""
    try:
        query = query_from_cli(text)
    except QueryError as exc:
        message = str(exc)
        assert message and len(message) < 600 and "Traceback" not in message
        assert _names_the_problem(message), message
        return
    _check_safe(query)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200) | st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_fuzz_spec_bytes_never_crash(data: bytes) -> None:
    try:
        query = parse_query(data)
    except QueryError as exc:
        assert _names_the_problem(str(exc)) or str(exc).startswith("query spec"), str(exc)
        return
    _check_safe(query)


def test_inputs_at_the_size_bounds_are_answered() -> None:
    """The worst inputs the bounds let through are parsed and refused, not left hanging."""
    worst = ["(" * 16000, "not " * 4000, "age in (" + ", ".join(["1"] * 5000) + ")", "a" * 16384,
             "age = 1 and " * 1300 + "age = 1"]
    for text in worst:
        with pytest.raises(QueryError):
            query_from_cli(text)
    with pytest.raises(QueryError, match="longer than"):
        query_from_cli("a" * 16385)
