"""openftz.core.jsonio: the one reader of outside JSON refuses what Python's json lets through or crashes on, with its
own code, and never raises anything but InvalidJSON — checked on cases written as data and fuzzed with hypothesis."""
from __future__ import annotations

import json
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openftz.core import jsonio
from openftz.core.errors import OpenFTZError

REFUSED = [
    (b"1" * 5000, "number_too_large"),                  # Python: ValueError (int string conversion limit)
    (b'{"amount": -' + b"9" * 4301 + b"}", "number_too_large"),
    (b"9" * 309, "number_too_large"),                   # beyond a double's range
    (b"1e400", "number_too_large"),                     # Python: inf
    (b"[-1.5e309]", "number_too_large"),
    (b"NaN", "invalid_json"),                           # Python: accepted
    (b'{"a": Infinity}', "invalid_json"),
    (b"[-Infinity]", "invalid_json"),
    (b"[" * 100_000 + b"]" * 100_000, "too_deep"),      # Python: RecursionError
    (b"[" * (jsonio.MAX_DEPTH + 1) + b"]" * (jsonio.MAX_DEPTH + 1), "too_deep"),
    (b'{"a":' * 200 + b"1" + b"}" * 200, "too_deep"),
    (b'"\\ud800"', "invalid_json"),                     # Python: a str that cannot be written as UTF-8
    (b'{"\\udfff": 1}', "invalid_json"),
    (b'["ok", {"x": "\\uDBFF"}]', "invalid_json"),
    ('["\ud800"]', "invalid_json"),                     # a str holding a lone surrogate itself
    (b"\xff\xfe{}", "not_utf8"),
    ('{"a": 1}'.encode("utf-16"), "not_utf8"),
    (b"", "invalid_json"),
    (b"{", "invalid_json"),
    (b'{"a": 1} x', "invalid_json"),
]
ACCEPTED = [
    (b"1" + b"0" * 307, 10**307),
    (b"-" + b"1" * 308, -int("1" * 308)),
    (b"1" + b"0" * 308, 10**308),                       # 309 digits, still below 1.797e308
    (b"1.7976931348623157e308", 1.7976931348623157e308),
    (b"1e-400", 0.0),
    (b"[" * jsonio.MAX_DEPTH + b"]" * jsonio.MAX_DEPTH, json.loads("[" * jsonio.MAX_DEPTH + "]" * jsonio.MAX_DEPTH)),
    (b'"\\ud83d\\ude00 \\u4e2d"', "😀 中"),
    (b"\xef\xbb\xbf{}", {}),                           # a UTF-8 byte order mark is ignored
    ('{"名称": "浦东"}', {"名称": "浦东"}),
]


@pytest.mark.parametrize(("raw", "code"), REFUSED, ids=[f"refused-{i}" for i in range(len(REFUSED))])
def test_bad_json_is_refused_with_its_code(raw, code):
    with pytest.raises(jsonio.InvalidJSON) as exc:
        jsonio.loads(raw)
    error = exc.value
    assert (error.code, error.status) == (code, 400)
    assert set(error.as_dict()) == {"code", "message_zh", "message_en", "details"}
    assert error.message_zh and error.message_en and len(error.one_line()) < 300
    assert isinstance(error, ValueError) and isinstance(error, OpenFTZError)


@pytest.mark.parametrize(("raw", "value"), ACCEPTED, ids=[f"accepted-{i}" for i in range(len(ACCEPTED))])
def test_good_json_is_read_as_python_reads_it(raw, value):
    assert jsonio.loads(raw) == value


def test_a_file_that_cannot_be_read_or_is_bad_names_itself(tmp_path):
    with pytest.raises(jsonio.InvalidJSON) as exc:
        jsonio.load_path(tmp_path / "missing.json")
    assert exc.value.code == "unreadable"
    bad = tmp_path / "big.json"
    bad.write_bytes(b'{"n": ' + b"7" * 5000 + b"}")
    with pytest.raises(jsonio.InvalidJSON) as exc:
        jsonio.load_path(bad)
    assert exc.value.code == "number_too_large" and "big.json" in exc.value.message_en


def _outcome(raw):
    """The value, or the error's code; any other exception fails the test."""
    try:
        value = jsonio.loads(raw)
    except jsonio.InvalidJSON as exc:
        assert exc.code in ("not_utf8", "invalid_json", "number_too_large", "too_deep")
        return exc.code
    # whatever is accepted can be written back as strict JSON in UTF-8 and read again to the same value
    text = json.dumps(value, ensure_ascii=False, allow_nan=False)
    assert jsonio.loads(text.encode("utf-8")) == value
    return value


FRAGMENTS = st.sampled_from([
    "{", "}", "[", "]", ",", ":", '"', '"a"', '"\\ud800"', '"\\udc00"', '"\\ud83d\\ude00"', "\\", "NaN", "Infinity",
    "-Infinity", "1e999", "-1e999", "1e-999", "1" * 310, "9" * 4400, "0", "-0", "1.5", "true", "null", " ", "\n", "\xff",
    "中", "\ufeff", "\ud800", "[" * 300, "]" * 300, '{"a":' * 150,
])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(FRAGMENTS, max_size=30).map("".join))
def test_fuzz_json_like_text_is_read_or_refused_never_crashes(text):
    _outcome(text.encode("utf-8", "surrogatepass"))
    _outcome(text)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200))
def test_fuzz_any_bytes_are_read_or_refused_never_crash(raw):
    _outcome(raw)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(10**300), max_value=10**300)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(st.characters(exclude_categories=["Cs"])),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(st.characters(exclude_categories=["Cs"])), children, max_size=5),
    max_leaves=30,
)


@settings(max_examples=200, deadline=None)
@given(JSON_VALUES)
def test_fuzz_every_strict_json_value_is_read_back_unchanged(value):
    raw = json.dumps(value, ensure_ascii=False, allow_nan=False).encode("utf-8")
    read = jsonio.loads(raw)
    assert read == value or (isinstance(value, float) and math.isclose(read, value))
