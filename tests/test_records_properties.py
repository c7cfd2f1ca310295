"""Property tests of what every signature rests on: RFC 8785 canonical JSON and instruction parsing."""
import json
import math
import re

from hypothesis import given, settings, strategies as st

from openftz.core import crypto
from openftz.core.errors import InvalidInput
from openftz.records import rules

SAFE_INT = st.integers(min_value=-(2**53) + 1, max_value=2**53 - 1)
# Floats within ±(2**53 - 1): a larger float's canonical form (e.g. 9007199254740992) reads back in Python as an int
# beyond the safe domain, which canonical_json then refuses, as RFC 8785 asks.
FLOATS = st.floats(allow_nan=False, allow_infinity=False, min_value=-(2.0**53 - 1), max_value=2.0**53 - 1)
JSON = st.recursive(
    st.none() | st.booleans() | SAFE_INT | FLOATS | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(JSON)
def test_canonical_json_is_a_fixed_point_and_whitespace_free(value):
    try:
        first = crypto.canonical_json(value)
    except crypto.CryptoError:  # lone surrogates in strings have no UTF-8 form: refused, never mis-encoded
        return
    again = crypto.canonical_json(json.loads(first))
    assert again == first
    outside_strings = re.sub(rb'"(?:[^"\\]|\\.)*"', b'""', first)
    assert not re.search(rb"\s", outside_strings), first


@given(st.dictionaries(st.text(min_size=1, max_size=6), SAFE_INT, min_size=2, max_size=6))
def test_key_order_does_not_change_the_bytes(mapping):
    reordered = dict(reversed(list(mapping.items())))
    assert crypto.canonical_json(mapping) == crypto.canonical_json(reordered)


@given(st.sampled_from([math.nan, math.inf, -math.inf, 2**53 + 1, -(2**53) - 1]))
def test_values_without_a_canonical_form_are_refused(value):
    try:
        crypto.canonical_json({"v": value})
    except crypto.CryptoError:
        return
    raise AssertionError(f"{value!r} was canonicalised")


@settings(max_examples=300, deadline=None)
@given(st.one_of(JSON, st.fixed_dictionaries({f: JSON for f in rules.INSTRUCTION_FIELDS})))
def test_any_json_is_an_instruction_or_a_clear_refusal(raw):
    try:
        ins = rules.parse_instruction(raw)
    except InvalidInput as exc:
        assert exc.message_zh and exc.message_en
        return
    assert ins.op in rules.OPERATIONS and ins.seq >= 1


@settings(max_examples=500, deadline=None)
@given(st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**60), max_value=2**60) | FLOATS
    | st.text(alphabet=st.characters(exclude_categories=()), max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=20))
def test_the_fast_path_writes_exactly_what_rfc8785_writes(value):
    """canonical_json takes the json module for plain data: its bytes must be rfc8785's, and it must refuse alike."""
    import rfc8785

    try:
        expected = rfc8785.dumps(value)
    except (rfc8785.CanonicalizationError, TypeError, UnicodeEncodeError):
        expected = None
    try:
        got = crypto.canonical_json(value)
    except crypto.CryptoError:
        got = None
    assert got == expected


def test_keys_sort_by_utf16_code_units_as_rfc8785_says():
    """U+FB01 sorts after U+1F600 in UTF-16 (0xFB01 > 0xD83D) but before it by code point: the fast path must not
    be taken for astral keys."""
    value = {"\ufb01": 1, "\U0001f600": 2}
    assert crypto.canonical_json(value) == '{"\U0001f600":2,"\ufb01":1}'.encode()
