"""Readers: every input form of inputs.md, errors that name the file, offsets into Document.text."""
from __future__ import annotations

import io
import json

import pytest

from minemap.extraction.documents import DocumentError, read_documents
from minemap.extraction.record import Document


def _read(paths, **kw):
    return list(read_documents([str(p) for p in paths], **kw))


def test_txt_header_line_with_and_without_leading_space(tmp_path):
    a = tmp_path / "a.txt"
    a.write_text(" date 2022-05-03 By Somebody\n\nSappers cleared 40 hectares.\n", encoding="utf-8")
    b = tmp_path / "b.txt"
    b.write_text("date 2022-05-04\nSappers cleared 41 hectares.\n", encoding="utf-8")
    da, db = _read([a, b])
    assert (da.doc_id, da.date, da.text) == ("a", "2022-05-03", "Sappers cleared 40 hectares.")
    assert da.source == "Somebody"
    assert (db.doc_id, db.date) == ("b", "2022-05-04")
    assert "date" not in db.text


def test_txt_with_front_matter_and_id(tmp_path):
    p = tmp_path / "file-name.txt"
    p.write_text("---\nid: custom-7\ndate: 2021-08-09\nsource: Outlet\n---\nBody text with 5 mines found.\n",
                 encoding="utf-8")
    [d] = _read([p])
    assert d.doc_id == "custom-7" and d.date == "2021-08-09" and d.source == "Outlet"
    assert d.text == "Body text with 5 mines found."


def test_md_title_is_prepended_once(tmp_path):
    p = tmp_path / "r.md"
    p.write_text('---\ntitle: "Deminers clear 90 hectares"\ndate: 2023-04-02\nurl: https://x.example/1\n---\n\n'
                 "The agency cleared 90 hectares in March.\n", encoding="utf-8")
    [d] = _read([p])
    assert d.title == "Deminers clear 90 hectares"
    assert d.text == "Deminers clear 90 hectares\n\nThe agency cleared 90 hectares in March."
    assert d.url == "https://x.example/1"
    q = tmp_path / "s.md"
    q.write_text("---\ntitle: Same start\ndate: 2023-04-02\n---\nSame start\n\nand the body.\n", encoding="utf-8")
    [e] = _read([q])
    assert e.text.count("Same start") == 1


def test_html_main_text_only(tmp_path):
    p = tmp_path / "page.html"
    p.write_text("""<html><head><meta property="article:published_time" content="2024-02-03T08:00:00+04:00">
<title>Site | Home</title><style>p{color:red}</style></head><body>
<nav>Menu 1 2 3</nav><header>Top 10</header>
<article><h1>Teams clear 12 hectares</h1><p>First paragraph about 12 hectares.</p><div>Second<br>line</div>
<div class="most-read"><p>5 killed elsewhere</p></div><form>Subscribe 99</form></article>
<aside>Most read: 44 things</aside><footer>2024 copyright</footer><script>var x = 77;</script></body></html>""",
                 encoding="utf-8")
    [d] = _read([p])
    assert d.date == "2024-02-03" and d.title == "Teams clear 12 hectares"
    assert d.text.split("\n\n") == ["Teams clear 12 hectares", "First paragraph about 12 hectares.", "Second",
                                    "line"]
    for junk in ("Menu", "Top 10", "killed", "Subscribe", "44", "copyright", "77", "color"):
        assert junk not in d.text


def test_html_time_element_date_and_page_title(tmp_path):
    p = tmp_path / "t.htm"
    p.write_text('<html><head><title>Forty mines found in Lachin - Example Site</title></head><body>'
                 '<time datetime="2022-10-11">Oct 11</time><main><p>Body &amp; more text.</p></main></body></html>',
                 encoding="utf-8")
    [d] = _read([p])
    assert d.date == "2022-10-11"
    assert d.title == "Forty mines found in Lachin"
    assert d.text == "Forty mines found in Lachin\n\nBody & more text."


def test_jsonl_lines_broken_line_reported_others_read(tmp_path):
    p = tmp_path / "feed.jsonl"
    lines = [
        json.dumps({"id": "one", "date": "2022-01-05", "title": "T1", "text": "Text one.", "source": "S"}),
        "{not json",
        json.dumps({"id": "three", "text": ""}),
        json.dumps({"title": "no id", "text": "x"}),
        "",
        json.dumps({"id": 4, "text": "Text four.", "url": "u"}),
    ]
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = _read([p])
    docs = [i for i in items if isinstance(i, Document)]
    errs = [i for i in items if isinstance(i, DocumentError)]
    assert [d.doc_id for d in docs] == ["one", "4"]
    assert docs[0].text == "T1\n\nText one." and docs[0].date == "2022-01-05" and docs[0].source == "S"
    assert docs[1].date is None and docs[1].url == "u"
    assert [e.path for e in errs] == [f"{p}:2", f"{p}:3", f"{p}:4"]
    assert "not JSON" in errs[0].reason and "empty" in errs[1].reason and "id" in errs[2].reason


def test_folder_recursive_sorted_skips_hidden_gold_unknown(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / ".hidden").mkdir()
    (tmp_path / "b" / "z.txt").write_text("Z text.", encoding="utf-8")
    (tmp_path / "a.md").write_text("A text.", encoding="utf-8")
    (tmp_path / ".secret.txt").write_text("hidden", encoding="utf-8")
    (tmp_path / ".hidden" / "c.txt").write_text("hidden", encoding="utf-8")
    (tmp_path / "a.gold.jsonl").write_text('{"doc_id": "a"}\n', encoding="utf-8")
    (tmp_path / "notes.rtf").write_bytes(b"{\\rtf1 5 mines}")
    items = _read([tmp_path])
    assert [d.doc_id for d in items if isinstance(d, Document)] == ["a", "z"]
    [skip] = [e for e in items if isinstance(e, DocumentError)]     # listed with its reason, not dropped
    assert skip.kind == "skip" and skip.path == str(tmp_path / "notes.rtf") and ".rtf" in skip.reason


def test_bad_encoding_warns_and_empty_is_error(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes("date 2022-01-01\nCleared 7 hectares in Ağdam".encode("utf-8") + b" \xff\xfe.\n")  # damaged UTF-8
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n\t\n", encoding="utf-8")
    d, e = _read([bad, empty])
    assert isinstance(d, Document) and d.warnings and "UTF-8" in d.warnings[0]
    assert "\ufffd" in d.text and d.date == "2022-01-01"
    assert isinstance(e, DocumentError) and e.reason == "empty document" and e.path == str(empty)


def test_missing_path_is_an_error(tmp_path):
    [e] = _read([tmp_path / "nope.txt"])
    assert isinstance(e, DocumentError) and "no such" in e.reason


def test_stdin_header_and_date_option():
    [d] = list(read_documents(["-"], stdin=io.StringIO(" date 2023-01-02 By X\nCleared 3 hectares.\n")))
    assert d.date == "2023-01-02" and d.text == "Cleared 3 hectares."
    [e] = list(read_documents(["-"], date="2024-05-06", stdin=io.StringIO("Cleared 3 hectares.\n")))
    assert e.date == "2024-05-06" and e.doc_id == "stdin"


def test_plain_text_headline_becomes_title(tmp_path):
    p = tmp_path / "h.txt"
    p.write_text("date 2022-02-02\n\nDeminers find 30 mines near Fuzuli\n\nBody sentence one.\n", encoding="utf-8")
    [d] = _read([p])
    assert d.title == "Deminers find 30 mines near Fuzuli"
    q = tmp_path / "dl.txt"
    q.write_text("date 2022-02-02\n\nBaku, February 2, AZERTAC\n\nBody.\n", encoding="utf-8")
    [e] = _read([q])
    assert e.title is None


@pytest.mark.parametrize("suffix", [".txt", ".md", ".html", ".jsonl"])
def test_streaming_is_lazy(tmp_path, suffix):
    # the reader is a generator: nothing is read before iteration starts
    gen = read_documents([tmp_path / f"missing{suffix}"])
    assert hasattr(gen, "__next__")
    assert isinstance(next(gen), DocumentError)


SIDEBAR_PAGE = """<html><head><title>Clearance goes on in Goranboy - Example Wire</title>
<meta name="pubdate" content="2024-05-20"></head><body>
<div class="wrap"><div class="left"><div class="story-head">Clearance goes on in Goranboy</div>
<div class="story"><p>From May 13 to 18, sappers cleared 61 hectares in the Goranboy district.</p></div></div>
<div class="right"><div class="box-title">Most read</div>
<div class="it">In March, 12 anti-tank mines were found in the Zangilan district</div>
<div class="it">Weather: 24 degrees</div></div>
<div class="right2"><h3>Related stories</h3><ul><li>Two shepherds were hurt by a mine in Kalbajar</li></ul></div>
</div></body></html>"""

ARTICLE_FIRST_TEXT = """<html><body><div class="page">Latest news
<article><h1>Clearance in Fuzuli</h1><p>In April 2024, 40 hectares were cleared in the Fuzuli district.</p>
</article></div></body></html>"""


def test_boxes_of_other_stories_are_dropped_by_their_heading():
    from minemap.extraction.html_text import html_to_document_parts

    body = html_to_document_parts(SIDEBAR_PAGE).body
    assert "61 hectares" in body
    assert "Zangilan" not in body and "Weather" not in body and "shepherds" not in body


def test_a_furniture_heading_never_drops_the_article():
    from minemap.extraction.html_text import html_to_document_parts

    body = html_to_document_parts(ARTICLE_FIRST_TEXT).body
    assert "40 hectares" in body
    # a heading word in ordinary text is not furniture
    page = "<html><body><div><p>Latest news from the field</p><p>In May, 9 mines were found in Lachin.</p></div></body></html>"
    assert "9 mines" in html_to_document_parts(page).body
