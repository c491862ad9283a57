"""Hostile input: whatever a user feeds the reader and the extractor, every document ends as valid
records or as a per-document error naming it, and the rest of the corpus is still processed.

The report templates below are written for these tests (they are not copies of real reports)."""
from __future__ import annotations

import json
import math
import sys
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from minemap.boundaries.units import CODES
from minemap.extraction.documents import DocumentError, read_documents
from minemap.extraction.extract import extract
from minemap.extraction.record import Document, Figure

SUFFIXES = (".txt", ".md", ".html", ".htm", ".jsonl")

TEMPLATES = (
    "From {m} {d1} to {d2}, deminers of the national agency removed {a} anti-personnel mines, {b} anti-tank "
    "mines and {c} unexploded munitions in the {p1} and {p2} districts. They also cleared {h} hectares.",
    "A farmer was killed and {n} others were wounded on {m} {d1} when a landmine went off in {p1}.",
    "Since the start of clearance work, {h} hectares and {k} km of roads have been checked, the ministry said.",
    "In {y}, the teams surveyed {h} hectares in {p1}, {h2} hectares in {p2} and found {c} explosive items.",
    "The bridge near {p1} was {k} metres long, and {n} buses carried families back to {p2} this week.",
)
PLACES = ("Aghdam", "Fuzuli", "Jabrayil", "Zangilan", "Gubadli", "Lachin", "Kalbajar", "Shusha", "Tartar")
MONTHS = ("January", "March", "May", "July", "September", "November")


def fill(t: str, seed: int) -> str:
    r = seed
    def pick(seq):
        nonlocal r
        r = (r * 1103515245 + 12345) % 2**31
        return seq[r % len(seq)]
    return t.format(m=pick(MONTHS), d1=pick(range(1, 15)), d2=pick(range(15, 29)), a=pick(range(500)),
                    b=pick(range(90)), c=f"{pick(range(1, 40000)):,}", h=f"{pick(range(1, 9000)):,}.{pick(range(10))}",
                    h2=pick(range(1, 900)), k=pick(range(2, 800)), n=pick(range(1, 9)), y=pick(range(2021, 2026)),
                    p1=pick(PLACES), p2=pick(PLACES))


def check_records(doc: Document, figures: list[Figure]) -> None:
    """What every record must satisfy, whatever the input."""
    for f in figures:
        assert isinstance(f, Figure)
        assert f.doc_id == doc.doc_id
        assert 0 <= f.evidence.start <= f.evidence.end <= len(doc.text)
        assert doc.text[f.evidence.start:f.evidence.end] == f.evidence.text, f
        assert math.isfinite(f.value) and f.value >= 0, f
        assert set(f.districts) <= CODES, f
        for d in (f.period_start, f.period_end):
            assert d is None or date.fromisoformat(d), f
        json.dumps(f.to_dict(), allow_nan=False)          # strict JSON: no Infinity/NaN
        assert Figure.from_dict(json.loads(f.to_json())) == f


def read_all(paths, **kw) -> tuple[list[Document], list[DocumentError]]:
    docs, errors = [], []
    for item in read_documents([str(p) for p in paths], **kw):
        if isinstance(item, DocumentError):
            assert item.reason and item.path, item
            errors.append(item)
            continue
        check_records(item, extract(item))
        docs.append(item)
    return docs, errors


# ---------------------------------------------------------------- property-based: text straight to extract

@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=3000), st.one_of(st.none(), st.dates().map(date.isoformat)))
def test_arbitrary_unicode_text(text, doc_date):
    doc = Document(doc_id="u", text=text, date=doc_date)
    check_records(doc, extract(doc))


@st.composite
def mutated_report(draw):
    paras = [fill(draw(st.sampled_from(TEMPLATES)), draw(st.integers(0, 10**6)))
             for _ in range(draw(st.integers(1, 5)))]
    text = "\n\n".join(paras)
    for _ in range(draw(st.integers(0, 6))):
        op = draw(st.sampled_from(["delete", "duplicate", "insert", "digits", "swap", "newline", "case"]))
        i = draw(st.integers(0, len(text)))
        j = draw(st.integers(i, min(len(text), i + 60)))
        if op == "delete":
            text = text[:i] + text[j:]
        elif op == "duplicate":
            text = text[:j] + text[i:j] + text[j:]
        elif op == "insert":
            text = text[:i] + draw(st.text(max_size=30)) + text[i:]
        elif op == "digits":
            text = text[:i] + draw(st.sampled_from(["9" * 400, "1e308", "1,000,000,000,000,000,000,000", "0.000001",
                                                    "٣٤", "１２３", "10^400", "-5", "3/4", "2021-13-45"])) + text[j:]
        elif op == "swap" and j - i >= 2:
            text = text[:i] + text[j - 1] + text[i + 1:j - 1] + text[i] + text[j:]
        elif op == "newline":
            text = text[:i] + draw(st.sampled_from(["\n", "\n\n", "\r\n", "\u2028", "\x00", "\t"])) + text[i:]
        elif op == "case":
            text = text[:i] + text[i:j].upper() + text[j:]
    return text


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_report(), st.one_of(st.none(), st.sampled_from(["2022-05-10", "2021-01-01", "2025-12-31"])))
def test_mutated_reports(text, doc_date):
    doc = Document(doc_id="m", text=text, date=doc_date)
    check_records(doc, extract(doc))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=4000), suffix=st.sampled_from(SUFFIXES))
def test_arbitrary_bytes_in_any_file_type(tmp_path, data, suffix):
    p = tmp_path / f"blob{suffix}"
    p.write_bytes(data)
    docs, errors = read_all([p])
    for e in errors:
        assert "blob" in e.path


# ---------------------------------------------------------------- enormous numbers

@pytest.mark.parametrize("number", ["9" * 400, "10^400", "1e308", "1.7976931348623157e308", "9" * 305, "9" * 308,
                                    ",".join(["999"] * 120), "0." + "0" * 400 + "1"])
@pytest.mark.parametrize("unit", ["anti-personnel mines", "hectares", "thousand hectares", "sq km",
                                  "million square metres", "km of roads"])
def test_enormous_numbers_give_finite_values(number, unit):
    text = f"Between May 2 and May 9, 2022, {number} {unit} were cleared in the Kalbajar district."
    doc = Document(doc_id="n", text=text, date="2022-05-10")
    check_records(doc, extract(doc))


# ---------------------------------------------------------------- HTML

def test_ten_thousand_nested_divs_and_broken_html(tmp_path):
    report = fill(TEMPLATES[0], 7)
    (tmp_path / "deep.html").write_text("<html><body>" + "<div>" * 10_000 + f"<p>{report}</p>"
                                        + "</div>" * 10_000 + "</body></html>", encoding="utf-8")
    (tmp_path / "unclosed.html").write_text("<html><body><article>" + "<div><span><b>" * 5_000
                                            + f"<p>{report}", encoding="utf-8")
    (tmp_path / "broken.html").write_text(f"<div<div <p class='x>{report}</dvi></p><!-- never closed "
                                          "<script>alert(1)", encoding="utf-8")
    (tmp_path / "script-only.html").write_text("<script>" + "var a = 1;" * 1000, encoding="utf-8")
    (tmp_path / "stray-closers.html").write_text("</div>" * 10_000 + f"<p>{report}</p>" + "</p>" * 5000,
                                                 encoding="utf-8")
    docs, errors = read_all([tmp_path])
    names = {Path(d.path).name for d in docs} | {Path(e.path).name for e in errors}
    assert names == {"deep.html", "unclosed.html", "broken.html", "script-only.html", "stray-closers.html"}
    by_name = {Path(d.path).name: d for d in docs}
    for name in ("deep.html", "unclosed.html", "stray-closers.html"):
        assert "anti-personnel" in by_name[name].text, name
        assert extract(by_name[name]), name


# ---------------------------------------------------------------- empty, whitespace, binary, encodings

@pytest.mark.parametrize("suffix", SUFFIXES)
@pytest.mark.parametrize("content", [b"", b"   \n\t\n  ", b"\xef\xbb\xbf", b"\n\n\n\r\n"])
def test_empty_and_whitespace_files_are_named_errors(tmp_path, suffix, content):
    p = tmp_path / f"empty{suffix}"
    p.write_bytes(content)
    docs, errors = read_all([p])
    assert not docs
    assert len(errors) == 1 and "empty" in errors[0].reason and "empty" in Path(errors[0].path).name


def test_front_matter_only_is_an_error(tmp_path):
    p = tmp_path / "header-only.md"
    p.write_text("---\ndate: 2022-01-01\ntitle:\n---\n\n   \n", encoding="utf-8")
    docs, errors = read_all([p])
    assert not docs and [Path(e.path).name for e in errors] == ["header-only.md"]


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_binary_files_do_not_stop_the_others(tmp_path, suffix):
    (tmp_path / f"image{suffix}").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 40)
    (tmp_path / "good.txt").write_text(" date 2022-05-10 By Desk\n" + fill(TEMPLATES[0], 3), encoding="utf-8")
    docs, errors = read_all([tmp_path])
    good = [d for d in docs if d.doc_id == "good"]
    assert len(good) == 1 and extract(good[0])
    for d in docs:
        if d.doc_id != "good":
            assert d.warnings, "binary read as text must carry a warning"


def test_invalid_utf8_is_read_with_a_warning(tmp_path):
    body = fill(TEMPLATES[0], 11).encode("utf-8")
    p = tmp_path / "latin.txt"
    p.write_bytes(b" date 2022-05-10 By Desk\nCaf\xe9 \xff\xfe F\xc3\xbczuli " + body + b" \xc3\x28")  # damaged UTF-8
    docs, errors = read_all([p])
    assert not errors and len(docs) == 1
    doc = docs[0]
    assert any("UTF-8" in w for w in doc.warnings)
    assert "\ufffd" in doc.text and extract(doc)


# ---------------------------------------------------------------- JSON Lines and YAML headers

def test_broken_json_lines(tmp_path):
    good = {"id": "ok-1", "date": "2022-05-10", "text": fill(TEMPLATES[0], 5)}
    lines = [
        json.dumps(good),
        '{"id": "cut", "text": "Between May',                    # truncated
        "[1, 2, 3]",                                              # not an object
        '{"text": "no id here"}',
        '{"id": "no-text"}',
        '{"id": "num-text", "text": 12}',
        '{"id": "nul", "text": "5 mines\\u0000 in Aghdam", "date": "2022-99-99", "title": {"a": 1}}',
        "\x00\x01\x02",
        '{"id": "deep", "text": ' + "[" * 5000 + "]" * 5000 + "}",   # nesting beyond the JSON parser's limit
        json.dumps({"id": "ok-2", "date": "2023-01-01", "text": fill(TEMPLATES[3], 9)}),
    ]
    p = tmp_path / "feed.jsonl"
    p.write_bytes("\n".join(lines).encode("utf-8") + b"\n\xff\xfe{bad bytes}\n")
    docs, errors = read_all([p])
    assert {d.doc_id for d in docs} >= {"ok-1", "ok-2"}
    for e in errors:
        assert e.path.startswith(f"{p}:"), e       # names the file and the line
    assert {e.path.rsplit(":", 1)[1] for e in errors} >= {"2", "3", "4", "5", "6"}


@pytest.mark.parametrize("bad", ["2021-13-45", "2021-02-30", "yesterday", "'2021-13-45'", "[2021, 1]", "0000-00-00"])
def test_yaml_header_with_a_bad_date(tmp_path, bad):
    """A bad date is not a reason to lose the report: it is read undated (or refused with a reason that says
    the date is the problem)."""
    p = tmp_path / "report.md"
    p.write_text(f"---\ndate: {bad}\ntitle: Weekly clearance note\n---\n{fill(TEMPLATES[0], 4)}\n", encoding="utf-8")
    docs, errors = read_all([p])
    if errors:
        assert "date" in errors[0].reason.lower() and errors[0].path == str(p), errors[0]
    else:
        assert docs[0].date is None and extract(docs[0])


# ---------------------------------------------------------------- a large document
# Its time and memory, at sizes that show they grow linearly, are in test_inputs_hostile.py; the 50 MB run
# is tests/benchmarks/fuzz_inputs.py.


# ---------------------------------------------------------------- the run goes on, and counts

@pytest.fixture()
def hostile_corpus(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    for i, t in enumerate(TEMPLATES[:4]):
        (d / f"good-{i}.md").write_text(f"---\nid: good-{i}\ndate: 2022-0{i + 1}-15\nsource: Desk\n---\n"
                                        f"{fill(t, i)}\n", encoding="utf-8")
    (d / "empty.txt").write_bytes(b"")
    (d / "blank.md").write_bytes(b"  \n\n ")
    (d / "binary.html").write_bytes(bytes(range(256)) * 10)
    (d / "latin.txt").write_bytes(b" date 2022-05-10 By Desk\nCaf\xe9. " + fill(TEMPLATES[0], 21).encode())
    (d / "deep.html").write_text("<div>" * 10_000 + fill(TEMPLATES[1], 2), encoding="utf-8")
    (d / "feed.jsonl").write_text(json.dumps({"id": "feed-1", "date": "2022-06-01", "text": fill(TEMPLATES[0], 8)})
                                  + "\n{broken\n" + json.dumps({"id": "feed-2", "text": "nothing here"}) + "\n",
                                  encoding="utf-8")
    (d / "nested.jsonl").write_text(json.dumps({"id": "nested-1", "text": fill(TEMPLATES[3], 5)}) + "\n"
                                    + '{"id": "deep", "text": ' + "[" * 5000 + "]" * 5000 + "}\n", encoding="utf-8")
    (d / "badyaml.md").write_text("---\ndate: [unclosed\n---\nSome text.\n", encoding="utf-8")
    (d / "undated.md").write_text("---\ndate: yesterday\n---\n" + fill(TEMPLATES[2], 1), encoding="utf-8")
    return d


def test_run_on_a_hostile_corpus_counts_read_and_skipped(tmp_path, hostile_corpus):
    from minemap.cli import main

    out = tmp_path / "out"
    r = CliRunner().invoke(main, ["run", str(hostile_corpus), "-o", str(out), "--no-maps"], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    s = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    skipped = {Path(x["path"].rsplit(":", 1)[0] if x["path"][-2:-1] == ":" else x["path"]).name: x["reason"]
               for x in s["documents"]["skipped_list"]}
    assert {"empty.txt", "blank.md", "feed.jsonl", "badyaml.md", "nested.jsonl"} <= set(skipped), skipped
    read = {row["doc_id"] for row in s["documents"]["list"]}
    assert {"good-0", "good-1", "good-2", "good-3", "latin", "deep", "feed-1", "feed-2", "undated",
            "nested-1"} <= read
    assert s["documents"]["read"] == len(s["documents"]["list"])
    assert s["documents"]["skipped"] == len(s["documents"]["skipped_list"])
    assert s["documents"]["read"] + s["documents"]["skipped"] == 16
    assert f"{s['documents']['read']} read, {s['documents']['skipped']} inputs skipped" in r.output
    latin = next(row for row in s["documents"]["list"] if row["doc_id"] == "latin")
    assert any("UTF-8" in w for w in latin["warnings"])
    for line in (out / "figures.jsonl").read_text(encoding="utf-8").splitlines():
        json.loads(line, parse_constant=lambda c: pytest.fail(f"non-finite number {c} in figures.jsonl"))


def test_jobs_give_the_same_outputs(tmp_path, hostile_corpus):
    from minemap.cli import main

    outs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}"
        r = CliRunner().invoke(main, ["run", str(hostile_corpus), "-o", str(out), "--no-maps", "--jobs", jobs],
                               catch_exceptions=False)
        assert r.exit_code == 0, r.output
        outs.append({p.name: p.read_bytes() for p in sorted(out.iterdir())})
    assert outs[0] == outs[1]


def test_extract_stream_jobs_same_records_same_order(hostile_corpus):
    from minemap.extraction.pipeline import extract_stream
    from minemap.extraction.sample import SAMPLE_DIR

    def key(r):
        if isinstance(r, DocumentError):
            return ("error", r.path, r.reason)
        doc, figs = r
        assert doc.text == ""                               # results carry metadata, not texts
        return (doc.doc_id, doc.path, [f.to_json() for f in figs])

    paths = [SAMPLE_DIR, hostile_corpus]
    one = [key(r) for r in extract_stream(paths, jobs=1)]
    two = [key(r) for r in extract_stream(paths, jobs=2)]
    assert one == two and len(one) > 30
    assert sum(len(k[2]) for k in one if k[0] != "error") > 50
    # a consumer that stops early does not hang the pool
    stream = extract_stream(paths, jobs=2)
    next(stream)
    stream.close()


def test_fuzz_bounded():
    """CI's slice of tests/benchmarks/fuzz_extract.py (the full run is 10,000 cases)."""
    sys.path.insert(0, str(Path(__file__).parent / "benchmarks"))
    try:
        import fuzz_extract
    finally:
        sys.path.pop(0)
    r = fuzz_extract.run(300, seed=7, verbose=False)
    assert r["crashed"] == 0, r["examples"]
    assert r["docs"] > 50 and r["figures"] > 100
