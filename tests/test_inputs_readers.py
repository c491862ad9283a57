"""The inputs people have: PDF and DOCX read like the same text saved as .txt, other files listed as
skipped with their reason, encodings named, fields cleaned, duplicate ids kept apart, dates checked.

The reports here are written for these tests; PDFs are made with fpdf2 and DOCX files with python-docx,
both real files with a real text layer, read back with pypdf and python-docx."""
from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import docx
import pytest
from helpers import cli_runner
from fpdf import FPDF

from minemap.cli import main
from minemap.extraction.documents import DocumentError, read_documents
from minemap.extraction.extract import extract
from minemap.extraction.record import Document
from minemap.safe_text import markdown_text

HEADER = " date 2022-03-10 By Field Desk"
PARAGRAPHS = [
    "Deminers clear 212 hectares in Aghdam and Fuzuli",
    "Between March 3 and 9, the teams of the national agency found 14 anti-personnel mines, 3 anti-tank mines "
    "and 1,250 unexploded munitions in the Aghdam and Fuzuli districts, and over the same days they cleared "
    "212.5 hectares of land near the villages that families are expected to return to this year.",
    "A shepherd was injured on March 6 when a landmine went off near a village in Tartar.",
    "Since the start of the work, 12,000 hectares have been cleared, the agency said.",
]


def write_txt(path: Path, paragraphs=PARAGRAPHS, header=HEADER) -> Path:
    path.write_text("\n\n".join(([header] if header else []) + paragraphs) + "\n", encoding="utf-8")
    return path


def write_pdf(path: Path, paragraphs=PARAGRAPHS, header=HEADER, created=datetime(2024, 1, 5, tzinfo=timezone.utc)):
    pdf = FPDF()
    pdf.set_creation_date(created)
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    for para in ([header] if header else []) + paragraphs:
        pdf.multi_cell(0, 6, para, new_x="LMARGIN", new_y="NEXT")   # long ones wrap over several lines
        pdf.ln(4)
    pdf.output(str(path))
    return path


def write_docx(path: Path, paragraphs=PARAGRAPHS, header=HEADER, created=None):
    d = docx.Document()
    for para in ([header] if header else []) + paragraphs:
        d.add_paragraph(para)
    if created is not None:
        d.core_properties.created = created
    d.save(str(path))
    return path


def one(path, **kw) -> Document:
    [doc] = list(read_documents([str(path)], **kw))
    assert isinstance(doc, Document), doc
    return doc


# ---------------------------------------------------------------- PDF and DOCX

@pytest.mark.parametrize("writer", [write_pdf, write_docx], ids=["pdf", "docx"])
def test_pdf_and_docx_give_the_records_of_the_same_text(tmp_path, writer):
    """What must be equal: the text the extractor reads (paragraphs, with a paragraph's wrapped lines joined),
    hence every record, evidence offsets included; the date (from the date line) and the doc_id (the
    file name without extension, as for .txt)."""
    (tmp_path / "txt").mkdir()
    (tmp_path / "office").mkdir()
    txt = one(write_txt(tmp_path / "txt" / "report.txt"))
    ext = ".pdf" if writer is write_pdf else ".docx"
    office = one(writer(tmp_path / "office" / f"report{ext}"))
    assert office.text == txt.text
    assert (office.doc_id, office.date, office.source, office.title) == (txt.doc_id, txt.date, txt.source, txt.title)
    records = [f.to_dict() for f in extract(txt)]
    assert len(records) >= 6
    assert [f.to_dict() for f in extract(office)] == records


def test_pdf_date_line_wins_over_a_later_creation_date_which_is_the_fallback(tmp_path):
    assert one(write_pdf(tmp_path / "dated.pdf")).date == "2022-03-10"          # created 2024-01-05
    undated = one(write_pdf(tmp_path / "undated.pdf", header=None, created=datetime(2023, 6, 1, tzinfo=timezone.utc)),
                  date="2020-01-01")
    assert undated.date == "2023-06-01"
    # a date line below the headline ("near the top") counts too, and is not report text
    below = one(write_pdf(tmp_path / "below.pdf", paragraphs=[PARAGRAPHS[0], HEADER, *PARAGRAPHS[1:]], header=None))
    assert below.date == "2022-03-10" and "date 2022" not in below.text


def test_docx_date_from_core_properties_else_the_date_option(tmp_path):
    created = datetime(2023, 2, 14, 9, 30, tzinfo=timezone.utc)
    assert one(write_docx(tmp_path / "props.docx", header=None, created=created)).date == "2023-02-14"
    assert one(write_docx(tmp_path / "both.docx", created=created)).date == "2022-03-10"
    # python-docx's template stamps 2013-12-23 on every file made from it: no date of the report
    assert one(write_docx(tmp_path / "bare.docx", header=None), date="2024-05-06").date == "2024-05-06"


def test_docx_tables_keep_each_number_with_its_row(tmp_path):
    d = docx.Document()
    d.add_paragraph(HEADER)
    d.add_paragraph("Mines found in February, by district:")
    table = d.add_table(rows=2, cols=2)
    for r, (place, n) in enumerate((("Aghdam", "41 anti-personnel mines"), ("Lachin", "7 anti-tank mines"))):
        table.cell(r, 0).text, table.cell(r, 1).text = place, n
    d.save(str(tmp_path / "table.docx"))
    doc = one(tmp_path / "table.docx")
    assert "Aghdam: 41 anti-personnel mines\nLachin: 7 anti-tank mines" in doc.text


def test_broken_pdf_and_docx_are_named_errors_and_the_others_are_read(tmp_path):
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF")
    (tmp_path / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    write_txt(tmp_path / "good.txt")
    items = list(read_documents([tmp_path]))
    errors = {Path(e.path).name: e.reason for e in items if isinstance(e, DocumentError)}
    assert set(errors) == {"broken.pdf", "broken.docx"}
    assert [d.doc_id for d in items if isinstance(d, Document)] == ["good"]


def test_what_pypdf_says_of_a_damaged_pdf_is_a_warning_of_that_document(tmp_path, capfd):
    path = write_pdf(tmp_path / "damaged.pdf")
    path.write_bytes(b"junk before the header\n" + path.read_bytes())   # offsets all off by this line
    doc = one(path)
    assert "anti-tank" in doc.text
    assert any(w.startswith("pypdf: ") for w in doc.warnings), doc.warnings
    assert "pypdf" not in capfd.readouterr().err   # nothing printed bare by the library


@pytest.mark.parametrize("module, form", [("pypdf", ".pdf"), ("docx", ".docx")])
def test_missing_reader_library_says_what_to_install(tmp_path, monkeypatch, module, form):
    path = (write_pdf if form == ".pdf" else write_docx)(tmp_path / f"r{form}")
    monkeypatch.setitem(__import__("sys").modules, module, None)   # as if the package were not installed
    [err] = list(read_documents([path]))
    package = "pypdf" if form == ".pdf" else "python-docx"
    assert isinstance(err, DocumentError) and f"pip install {package}" in err.reason and err.path == str(path)


# ---------------------------------------------------------------- other files: listed, not silently ignored

def test_other_files_are_listed_as_skipped_in_summary_and_on_stderr(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    write_txt(src / "report.txt")
    (src / "notes.rtf").write_bytes(b"{\\rtf1 5 mines}")
    (src / "scan.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (src / "table.xlsx").write_bytes(b"PK\x03\x04")
    (src / ".hidden.txt").write_text("3 mines", encoding="utf-8")                 # not a document: silent
    (src / "report.gold.jsonl").write_text("{}\n", encoding="utf-8")              # gold annotations: silent
    out = tmp_path / "out"
    r = cli_runner().invoke(main, ["run", str(src), "-o", str(out), "--no-maps"])
    assert r.exit_code == 0, r.output
    s = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    listed = {Path(x["path"]).name: x["reason"] for x in s["documents"]["skipped_list"]}
    assert set(listed) == {"notes.rtf", "scan.png", "table.xlsx"}
    assert all("not a document minemap reads" in why for why in listed.values())
    for name in listed:
        assert f"skipped {src / name}: not a document minemap reads" in r.stderr
    assert "hidden" not in r.stderr and "gold" not in r.stderr
    md = (out / "summary.md").read_text(encoding="utf-8")
    assert "notes.rtf" in md and "scan.png" in md and "table.xlsx" in md
    e = cli_runner().invoke(main, ["extract", str(src)])
    assert e.exit_code == 0 and "3 skipped" in e.stderr and "skipped" in e.stderr


def test_a_folder_of_only_other_files_is_an_error_that_lists_them(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.rtf").write_bytes(b"{\\rtf1}")
    r = cli_runner().invoke(main, ["run", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--no-maps"])
    assert r.exit_code != 0 and "no documents" in r.stderr and "a.rtf" in r.stderr
    assert not (tmp_path / "out").exists()


def test_a_file_named_directly_with_another_type_is_an_error_for_strict(tmp_path):
    p = tmp_path / "notes.rtf"
    p.write_bytes(b"{\\rtf1 5 mines}")
    [err] = list(read_documents([p]))
    assert err.kind == "read" and ".rtf" in err.reason
    assert cli_runner().invoke(main, ["extract", "--strict", str(p)]).exit_code == 1


# ---------------------------------------------------------------- encodings

@pytest.mark.parametrize("codec, named", [("utf-16", "UTF-16"), ("utf-32", "UTF-32"), ("utf-8-sig", None)])
def test_byte_order_marks_decide_the_encoding(tmp_path, codec, named):
    base = one(write_txt(tmp_path / "plain.txt"))
    p = tmp_path / "bom.txt"
    p.write_bytes(p.with_name("plain.txt").read_text(encoding="utf-8").encode(codec))
    doc = one(p)
    assert doc.text == base.text and doc.date == base.date
    assert [f.to_dict() | {"doc_id": ""} for f in extract(doc)] == [f.to_dict() | {"doc_id": ""} for f in extract(base)]
    assert doc.warnings == ((f"decoded as {named} (byte-order mark)",) if named else ())


def test_utf16_feed_is_read_line_by_line(tmp_path):
    p = tmp_path / "feed.jsonl"
    lines = [json.dumps({"id": f"f{i}", "date": "2023-01-0%d" % (i + 1), "text": PARAGRAPHS[1]}, ensure_ascii=False)
             for i in range(3)]
    p.write_bytes("\n".join(lines).encode("utf-16"))
    docs = list(read_documents([p]))
    assert [d.doc_id for d in docs] == ["f0", "f1", "f2"]
    assert all("UTF-16" in d.warnings[0] for d in docs) and all(extract(d) for d in docs)


@pytest.mark.parametrize("codec", ["latin-1", "cp1254"])
def test_legacy_8bit_files_keep_their_district_names(tmp_path, codec):
    # Latin-1 has ü (Füzuli); Windows-1254 (Turkish/Azerbaijani Latin) has ğ and ş (Ağdam, Şuşa) too
    text = ("date 2022-05-10\nFrom May 2 to May 8, deminers found 12 anti-tank mines in Füzuli and "
            + ("Ağdam and 4 in Şuşa." if codec == "cp1254" else "Tərtər.".replace("ə", "e")) + "\n")
    p = tmp_path / "legacy.txt"
    p.write_bytes(text.encode(codec))
    doc = one(p)
    assert doc.text == text.split("\n", 1)[1].strip()
    assert any("not UTF-8: decoded as" in w for w in doc.warnings)
    districts = {d for f in extract(doc) for d in f.districts}
    assert "AZ-FUZ" in districts
    if codec == "cp1254":
        assert {"AZ-AGM", "AZ-SUS"} <= districts


# ---------------------------------------------------------------- fields, ids, dates

def test_control_characters_are_cleaned_from_ids_and_fields(tmp_path):
    p = tmp_path / "feed.jsonl"
    p.write_text(json.dumps({"id": "wire\r\n42\x00", "source": "Desk\rA", "title": "Five\x0bmines\u2028found",
                             "url": "https://x.example/a\r\nb", "date": "2022-05-10",
                             "text": "On May 9, 5 anti-tank mines\x00 were found in Aghdam."}) + "\n", encoding="utf-8")
    doc = one(p)
    assert (doc.doc_id, doc.source, doc.title, doc.url) == ("wire 42", "Desk A", "Five mines found",
                                                            "https://x.example/ab")
    assert "\x00" not in doc.text and extract(doc)


def test_duplicate_ids_keep_both_documents_and_say_so(tmp_path):
    write_txt(tmp_path / "a-report.txt")
    (tmp_path / "b-feed.jsonl").write_text(
        json.dumps({"id": "a-report", "date": "2023-01-05", "text": PARAGRAPHS[3]}) + "\n"
        + json.dumps({"id": "a-report", "date": "2023-01-06", "text": PARAGRAPHS[2]}) + "\n", encoding="utf-8")
    out = tmp_path.parent / f"{tmp_path.name}-out"   # not inside the input folder: that is refused
    r = cli_runner().invoke(main, ["run", str(tmp_path), "-o", str(out), "--no-maps"])
    assert r.exit_code == 0, r.output
    s = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    rows = {d["doc_id"]: d for d in s["documents"]["list"]}
    assert set(rows) == {"a-report", "a-report~2", "a-report~3"} and not s["documents"]["skipped_list"]
    assert rows["a-report"]["figures"] >= 6 and rows["a-report~2"]["figures"] >= 1
    assert "duplicate document id 'a-report'" in rows["a-report~2"]["warnings"][0]
    assert "duplicate document id 'a-report'" in r.stderr
    assert markdown_text("a-report~3") in (out / "summary.md").read_text(encoding="utf-8")   # as escaped there
    figs = [json.loads(x) for x in (out / "figures.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {f["doc_id"] for f in figs} == {"a-report", "a-report~2", "a-report~3"}


@pytest.mark.parametrize("bad", ["0001-01-01", "9999-12-31", "1989-12-31"])
def test_dates_outside_the_plausible_range_are_reported_and_missing(tmp_path, bad):
    (tmp_path / "r.md").write_text(f"---\ndate: {bad}\n---\n{PARAGRAPHS[1]}\n", encoding="utf-8")
    (tmp_path / "f.jsonl").write_text(json.dumps({"id": "f", "date": bad, "text": PARAGRAPHS[1]}) + "\n",
                                      encoding="utf-8")
    (tmp_path / "p.html").write_text(f'<meta property="article:published_time" content="{bad}T10:00:00">'
                                     f"<p>{PARAGRAPHS[1]}</p>", encoding="utf-8")
    docs = list(read_documents([tmp_path]))
    assert len(docs) == 3
    for d in docs:
        assert d.date is None and any(bad in w and "outside" in w for w in d.warnings), d
    out = tmp_path.parent / f"{tmp_path.name}-out"   # not inside the input folder: that is refused
    r = cli_runner().invoke(main, ["run", str(tmp_path), "-o", str(out), "--no-maps", "--by", "month"])
    assert r.exit_code == 0, r.output
    assert f"r.md: date {bad} is outside" in r.stderr


def test_yaml_aliases_are_refused_quickly(tmp_path):
    lol = "---\n" + "a0: &a0 [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]\n" for i in range(1, 10)) + "---\n5 mines found.\n"
    (tmp_path / "lol.md").write_text(lol, encoding="utf-8")
    write_txt(tmp_path / "good.txt")
    items = list(read_documents([tmp_path]))
    [err] = [i for i in items if isinstance(i, DocumentError)]
    assert "aliases" in err.reason and "\n" not in err.reason and err.path.endswith("lol.md")
    assert [d.doc_id for d in items if isinstance(d, Document)] == ["good"]
