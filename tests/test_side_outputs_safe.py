"""Issue 12, rows "injection in side outputs" and "a \\r in a feed's id or source": report text that starts a
formula is neutralised in every CSV (OWASP: a leading apostrophe), numbers stay numbers, control
characters never split a row or shift a column, HTML and Markdown in report text render as text in a
real Markdown renderer, and the JSON outputs keep the text exactly."""
from __future__ import annotations

import csv
import dataclasses
import io
import json
import os
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from markdown_it import MarkdownIt

import minemap
from minemap.cli import main
from minemap.extraction.documents import read_documents
from minemap.extraction.extract import extract
from minemap.extraction.record import Document
from minemap.layers import write_csv
from minemap.records import read_documents_csv, read_figures
from minemap.safe_text import FORMULA_START
from minemap.tables import write_documents_csv

SCRIPTS = ["<script>alert(1)</script>", "<img src=x onerror=alert(2)>", "[click](javascript:alert(3))",
           "![x](http://tracker.invalid/p.png)", "<a href='javascript:alert(4)'>a</a>", "&#60;script&#62;x",
           "`code` *em* _u_ ~~s~~ $x$ | pipe"]
FORMULAS = ["=cmd|' /C calc'!A0", "+SUM(1,2)", "-2+3", "@HYPERLINK(\"http://x\")", "\t=1+1", "\r=1+1",
            "  =1+1", "\uff1dSUM(1)", "'quoted"]
CONTROLS = ["id\rwith cr", "tab\tid", "nul\x00id", "line\u2028sep", "nl\nid", "vt\x0bff\x0cfs\x1c"]


def feed(path: Path) -> list[dict]:
    """One report per hostile text, each field carrying it, each with one figure to extract."""
    docs = []
    for i, bad in enumerate(SCRIPTS + FORMULAS + CONTROLS):
        docs.append({"id": f"{bad}#{i}", "date": "2023-05-02", "source": bad, "title": bad, "url": bad,
                     "text": f"{bad} Sappers found {100 + i} anti-personnel mines in the Aghdam district from "
                             f"April 3 to April 9, 2023, the agency said."})
    path.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    return docs


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    docs = feed(root / "feed.jsonl")
    out = root / "out"
    r = CliRunner().invoke(main, ["run", str(root / "feed.jsonl"), "-o", str(out), "--no-maps"],
                           catch_exceptions=False)
    assert r.exit_code == 0, r.output
    return out, docs


@pytest.fixture(scope="module")
def as_read(hostile_run):
    """The documents as the reader made them (it may trim fields): what the outputs must carry."""
    out, _ = hostile_run
    read = [d for d in read_documents([str(out.parent / "feed.jsonl")]) if isinstance(d, Document)]
    assert len(read) == len(SCRIPTS + FORMULAS + CONTROLS)
    return {d.doc_id: d for d in read}


def csv_cells(path: Path) -> tuple[list[str], list[list[str]]]:
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    return rows[0], rows[1:]


def test_formula_cells_in_every_csv_start_with_an_apostrophe(hostile_run):
    out, docs = hostile_run
    checked = 0
    for name in ("documents.csv", "facts.csv", "groups.csv", "districts.csv"):
        header, rows = csv_cells(out / name)
        for row in rows:
            assert len(row) == len(header), (name, row)
            for cell in row:
                for line in cell.split("\n") if name == "facts.csv" else [cell]:
                    checked += 1
                    assert not line.lstrip(" ").startswith(FORMULA_START + ("\t", "\r")), (name, cell)
    assert checked > 500
    header, rows = csv_cells(out / "documents.csv")
    outlets = {r[header.index("outlet")] for r in rows}
    # (the reader trims fields and turns a leading tab or \r into nothing: "\t=1+1" arrives as "=1+1")
    assert {"'=cmd|' /C calc'!A0", "'+SUM(1,2)", "'-2+3", "'=1+1", "'\uff1dSUM(1)", "''quoted"} <= outlets


def test_numbers_stay_numbers_only_text_cells_are_neutralised(tmp_path):
    path = tmp_path / "t.csv"
    write_csv([{"n": -5, "x": -0.25, "t": "-5", "list": ["=a", "b"], "sp": "  =1", "tab": "\t@x"}],
              ["n", "x", "t", "list", "sp", "tab"], path)
    assert path.read_text() == "n,x,t,list,sp,tab\n-5,-0.25,'-5,'=a;b,'  =1,' @x\n"


def test_control_characters_never_split_a_row_or_shift_columns(hostile_run, tmp_path):
    out, docs = hostile_run
    n_docs = len(docs)
    text = (out / "documents.csv").read_text(encoding="utf-8")
    # one physical line per document, whatever a reader takes for a line end (\r, \n, U+2028 ...)
    assert len(text.splitlines()) == n_docs + 1
    header, rows = csv_cells(out / "facts.csv")
    for row in rows:
        assert len(row) == len(header)
        n = int(row[header.index("n_reports")])
        for col in ("doc_ids", "outlets", "dates", "titles", "urls", "evidence"):
            assert len(row[header.index(col)].split("\n")) == n, (col, row)
        assert "\r" not in ",".join(row)
    # the writer is safe whatever the readers let through: a Document straight from Python
    bad = Document("a\rb\nc\u2028d", "", date="2023-01-01", source="x\r\ny", title="t\x85u", url="=u")
    write_documents_csv({bad.doc_id: bad}, tmp_path / "documents.csv")
    text = (tmp_path / "documents.csv").read_text(encoding="utf-8")
    assert len(text.splitlines()) == 2 and text.splitlines()[1].startswith("a b c d,2023-01-01,x  y,t u,'=u,")


def test_documents_csv_reads_back_the_text_that_was_written(hostile_run, as_read):
    out, _ = hostile_run
    back = read_documents_csv(out / "documents.csv")
    compared = 0
    for doc_id, d in as_read.items():
        if any(c in doc_id + (d.source or "") for c in "\r\t\x00\u2028\n\x0b"):
            continue                      # control characters were made spaces: not the same text
        assert back[doc_id].source == d.source and back[doc_id].title == d.title
        compared += 1
    assert compared >= len(SCRIPTS + FORMULAS) - 2


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.attrs, self.text = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += attrs

    def handle_data(self, data):
        self.text.append(data)


def test_summary_md_renders_report_text_as_text(hostile_run):
    """Rendered by markdown-it (CommonMark with raw HTML on, as permissive as viewers get, plus GFM
    tables and strikethrough): only the summary's own tags appear, and each hostile text is there as
    the same text."""
    out, docs = hostile_run
    md = (out / "summary.md").read_text(encoding="utf-8")
    html = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"]).render(md)
    page = Tags()
    page.feed(html)
    assert set(page.tags) <= {"h1", "h2", "p", "table", "thead", "tbody", "tr", "th", "td", "code"}
    assert all(name == "style" for name, _ in page.attrs)          # text-align of table columns only
    text = "".join(page.text)
    for bad in SCRIPTS + FORMULAS:
        assert " ".join(bad.split()) in text, bad
    table_lines = [line for line in md.splitlines() if line.startswith("|") and not line.startswith("|---")]
    assert html.count("<tr>") == len(table_lines)                  # no row broken in two or merged


def test_json_outputs_keep_the_text_unchanged(hostile_run, as_read):
    out, _ = hostile_run
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    listed = {d["doc_id"]: d for d in summary["documents"]["list"]}
    assert listed.keys() == as_read.keys()
    for doc_id, d in as_read.items():
        assert listed[doc_id]["source"] == d.source and listed[doc_id]["title"] == d.title
    lines = (out / "figures.jsonl").read_text(encoding="utf-8").split("\n")[:-1]
    evidence = [json.loads(line)["evidence"]["text"] for line in lines]
    assert any(e.startswith("=cmd|") for e in evidence) and any("<script>" in e for e in evidence)


def test_figures_jsonl_with_line_separators_in_text_reads_back_whole(hostile_run):
    """JSON strings may hold U+2028, \x85 ... as they are: reading figures.jsonl back (run --figures,
    Run.figures) splits lines at \n only, so no record is cut in two."""
    out, _ = hostile_run
    lines = (out / "figures.jsonl").read_text(encoding="utf-8").split("\n")[:-1]
    assert any("\u2028" in line for line in lines)
    figures, skipped = read_figures(out / "figures.jsonl")
    assert skipped == [] and len(figures) == len(lines)
    again = minemap.run(figures=out / "figures.jsonl")
    assert len(again.figures) == len(lines)


def test_a_file_name_that_is_not_utf8_gives_utf8_outputs(tmp_path):
    """Issue 12: "a file name that is not valid UTF-8". The reader names it with \\xNN escapes; the run
    completes and every text output is valid UTF-8."""
    reports = tmp_path / "reports"
    reports.mkdir()
    name = os.fsencode(reports) + b"/caf\xc3\xa9-\xff.txt"
    with open(name, "w", encoding="utf-8") as fh:
        fh.write("Sappers found 120 anti-personnel mines in the Aghdam district from April 3 to April 9, 2023.\n")
    out = tmp_path / "out"
    r = CliRunner().invoke(main, ["run", str(reports), "-o", str(out), "--no-maps", "--date", "2023-05-01"])
    assert r.exit_code == 0, r.output
    for p in out.iterdir():
        if p.suffix != ".gpkg":
            p.read_bytes().decode("utf-8")                  # every text file is UTF-8
    assert json.loads((out / "summary.json").read_text(encoding="utf-8"))["figures"]["found"] == 1


def test_lone_surrogates_from_python_callers_give_utf8_outputs(tmp_path):
    """Whatever reaches the writers (here Figure records from Python whose doc_id holds a lone surrogate,
    as os.fsdecode makes of a name that is not UTF-8): the CSV and Markdown files show U+FFFD, the JSON
    files a \\udcXX escape that reads back to the same id."""
    doc = Document("caf\udcff", "Sappers found 120 anti-personnel mines in the Aghdam district from April 3 "
                   "to April 9, 2023.", date="2023-05-01")
    figs = [dataclasses.replace(f, doc_id=doc.doc_id) for f in extract(doc)]
    assert figs
    out = tmp_path / "out"
    minemap.run(figures=figs).save(out, maps=False)
    for p in out.iterdir():
        if p.suffix != ".gpkg":
            p.read_bytes().decode("utf-8")
    header, rows = csv_cells(out / "documents.csv")
    assert rows[0][header.index("doc_id")] == "caf\ufffd"
    assert "caf\ufffd" in (out / "summary.md").read_text(encoding="utf-8")
    assert "caf\\udcff" in (out / "figures.jsonl").read_text(encoding="utf-8")
    back, skipped = read_figures(out / "figures.jsonl")
    assert skipped == [] and {f.doc_id for f in back} == {"caf\udcff"}
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert [d["doc_id"] for d in summary["documents"]["list"]] == ["caf\udcff"]
