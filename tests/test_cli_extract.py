"""`minemap extract` and `minemap eval` through click (in process) and as a real subprocess."""
from __future__ import annotations

import json
import subprocess
import sys

from helpers import cli_runner

from minemap.cli import main


def _write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_extract_to_stdout_and_file_are_identical(tmp_path):
    _write(tmp_path, "a.txt", " date 2022-04-12 By X\n\nFrom April 4 to April 10, 33 anti-tank mines were "
                              "found in Aghdam.\n")
    _write(tmp_path, "b.md", "---\ndate: 2022-04-13\n---\nSo far 12,000 hectares have been cleared.\n")
    r = cli_runner().invoke(main, ["extract", str(tmp_path)])
    assert r.exit_code == 0, r.output
    lines = [json.loads(x) for x in r.stdout.splitlines()]
    assert [(x["doc_id"], x["metric"], x["value"]) for x in lines] == [("a", "at_mines", 33),
                                                                      ("b", "area_ha", 12000)]
    assert list(lines[0]) == ["doc_id", "metric", "value", "qualifier", "scope", "period_start", "period_end",
                              "districts", "group", "actor", "evidence"]
    out = tmp_path / "out" / "f.jsonl"
    out.parent.mkdir()
    r2 = cli_runner().invoke(main, ["extract", str(tmp_path / "a.txt"), str(tmp_path / "b.md"), "-o", str(out)])
    assert r2.exit_code == 0
    assert out.read_text(encoding="utf-8") == r.stdout
    assert [p.name for p in out.parent.iterdir()] == ["f.jsonl"]   # no temp file left behind


def test_unreadable_documents_reported_run_continues_strict_fails(tmp_path):
    _write(tmp_path, "good.txt", "date 2022-01-02\nIn December, 5 mines were found.\n")
    _write(tmp_path, "empty.txt", "   \n")
    _write(tmp_path, "feed.jsonl", '{"id": "x", "text": "In 2021, 4 mines were found."}\n{broken\n')
    r = cli_runner().invoke(main, ["extract", str(tmp_path)])
    assert r.exit_code == 0
    assert "empty.txt: empty document" in r.stderr
    assert "feed.jsonl:2" in r.stderr and "not JSON" in r.stderr
    assert {json.loads(x)["doc_id"] for x in r.stdout.splitlines()} == {"good", "x"}
    r2 = cli_runner().invoke(main, ["extract", "--strict", str(tmp_path)])
    assert r2.exit_code == 1
    assert len(r2.stdout.splitlines()) == 2


def test_stdin_with_date_option():
    r = cli_runner().invoke(main, ["extract", "-", "--date", "2022-03-03"],
                           input="On March 1, 2 anti-tank mines were found in Lachin.\n")
    assert r.exit_code == 0
    [rec] = [json.loads(x) for x in r.stdout.splitlines()]
    assert (rec["doc_id"], rec["period_start"], rec["districts"]) == ("stdin", "2022-03-01", ["AZ-LAC"])
    bad = cli_runner().invoke(main, ["extract", "-", "--date", "03/03/2022"], input="x")
    assert bad.exit_code != 0 and "YYYY-MM-DD" in bad.stderr


def test_failed_output_leaves_no_partial_file(tmp_path):
    target = tmp_path / "missing-dir" / "out.jsonl"
    r = cli_runner().invoke(main, ["extract", str(tmp_path), "-o", str(target)])
    assert r.exit_code != 0
    assert not target.exists()


def test_eval_prints_three_levels_and_misses(tmp_path):
    _write(tmp_path, "r.txt", "date 2022-05-02\nIn April, 17 anti-tank mines and 3 shells were found.\n")
    gold = {"doc_id": "r", "metric": "at_mines", "value": 17, "qualifier": "exact", "scope": "period",
            "period_start": "2022-04-01", "period_end": "2022-04-30", "districts": [], "group": None}
    _write(tmp_path, "r.gold.jsonl", json.dumps(gold) + "\n")
    r = cli_runner().invoke(main, ["eval", str(tmp_path), "--show-misses"])
    assert r.exit_code == 0, r.output
    assert 'spurious r: {"metric": "uxo", "value": 3' in r.stdout
    assert "value   precision 0.500  recall 1.000  F1 0.667" in r.stdout
    assert "full    precision 0.500  recall 1.000  F1 0.667" in r.stdout
    pred = _write(tmp_path, "p.jsonl", json.dumps(dict(gold, districts=["AZ-AGM"])) + "\n")
    r2 = cli_runner().invoke(main, ["eval", str(tmp_path), "--pred", str(pred), "--json"])
    res = json.loads(r2.stdout)
    assert res["value"]["f1"] == 1.0 and res["placed"]["f1"] == 0.0


def test_eval_without_gold_is_an_error(tmp_path):
    r = cli_runner().invoke(main, ["eval", str(tmp_path)])
    assert r.exit_code != 0 and "gold" in r.stderr


def test_real_process_and_light_imports(tmp_path):
    _write(tmp_path, "a.txt", "date 2022-04-12\nIn March, 9 mines were found.\n")
    code = ("import sys; from minemap.cli import main; sys.argv=['minemap','extract',%r];\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "assert 'geopandas' not in sys.modules, 'extract must not import geopandas'\n" % str(tmp_path))
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout.splitlines()[0])["value"] == 9


def test_eval_names_a_broken_gold_line(tmp_path):
    _write(tmp_path, "r.txt", " date 2022-04-12 By X\n\nFrom April 4 to April 10, 33 anti-tank mines were found in Aghdam.\n")
    _write(tmp_path, "r.gold.jsonl", '{"doc_id": "r", "metric": "at_mines", "value": 33}\n'
                                     '{"doc_id": "r", "metric": "at_mines"}\n')
    r = cli_runner().invoke(main, ["eval", str(tmp_path)])
    assert r.exit_code != 0 and "r.gold.jsonl:2: value None is not a number" in r.stderr
    _write(tmp_path, "r.gold.jsonl", '{"doc_id": "other", "metric": "at_mines", "value": 33}\n')
    r = cli_runner().invoke(main, ["eval", str(tmp_path)])
    assert r.exit_code != 0 and "r.gold.jsonl:1: doc_id 'other' is not the file's document 'r'" in r.stderr


# --- explanations ------------------------------------------------------------------------------------------------

def _sample_and_dev_documents():
    from pathlib import Path

    from minemap.extraction.sample import sample_paths
    paths = [str(p) for p in sample_paths()]
    dev = next((p / "shared" / "corpus" / "dev" for p in Path(__file__).resolve().parents[1:]
                if (p / "shared" / "corpus" / "dev").is_dir()), None)
    return paths + ([str(p) for p in sorted(dev.iterdir()) if not p.name.endswith(".gold.jsonl")] if dev else [])


def test_explain_gives_every_field_of_every_figure_on_sample_and_dev_documents():
    paths = _sample_and_dev_documents()
    r = cli_runner().invoke(main, ["explain", "--json", *paths])
    assert r.exit_code == 0, r.output
    rows = [json.loads(x) for x in r.stdout.splitlines()]
    explained = [x for x in rows if "figure" in x]
    plain = cli_runner().invoke(main, ["extract", *paths])
    assert [x["figure"] for x in explained] == [json.loads(x) for x in plain.stdout.splitlines()]
    for x in explained:
        why = x["why"]
        assert why["metric"] and why["scope"] and why["dates"] and why["districts"] and why["value"], x
        assert bool(why["group"]) == (x["figure"]["metric"] in ("killed", "injured", "victims")), x
    text = cli_runner().invoke(main, ["explain", *paths])
    assert text.exit_code == 0 and text.stdout.count("\n    metric ") == len(explained)


def test_extract_explain_keeps_the_records_byte_for_byte(tmp_path):
    _write(tmp_path, "a.txt", " date 2022-04-12 By X\n\nFrom April 4 to April 10, 33 anti-tank mines were "
                              "found in Aghdam. At 18:30 a 45-year-old man was seen.\n")
    plain = cli_runner().invoke(main, ["extract", str(tmp_path / "a.txt")])
    explained = cli_runner().invoke(main, ["extract", "--explain", str(tmp_path / "a.txt")])
    assert explained.exit_code == 0
    assert explained.stdout == plain.stdout
    assert "metric.item-noun" in explained.stderr and "scope.window" in explained.stderr
    assert "numbers.not-age" in explained.stderr


def test_explain_survives_odd_input(tmp_path):
    _write(tmp_path, "empty.txt", "  \n")
    _write(tmp_path, "junk.txt", "date 2022-01-02\n" + "\x00\x01 9" * 50 + "9" * 400 + " mines (((( ::: — 1,2,3,")
    _write(tmp_path, "nodate.md", "---\ntitle: Nothing\n---\nSome 5 mines and 3 km of roads, 2,5 ha, 1.5 million.")
    r = cli_runner().invoke(main, ["explain", str(tmp_path)])
    assert r.exit_code == 0, r.output
    assert "empty.txt" in r.stderr
    r = cli_runner().invoke(main, ["explain", "-", "--date", "2023-01-01"], input="In May, 4 mines were found.")
    assert r.exit_code == 0 and "metric.item-noun" in r.stdout


def test_eval_names_a_gold_file_without_its_document_and_counts_are_singular(tmp_path):
    _write(tmp_path, "r.txt", " date 2022-04-12 By X\n\nFrom April 4 to April 10, 33 anti-tank mines were found in Aghdam.\n")
    _write(tmp_path, "r.gold.jsonl", '{"doc_id": "r", "metric": "at_mines", "value": 33}\n')
    _write(tmp_path, "gone.gold.jsonl", '{"doc_id": "gone", "metric": "uxo", "value": 5}\n')
    r = cli_runner().invoke(main, ["eval", str(tmp_path)])
    assert r.exit_code == 0
    assert "gone.gold.jsonl: no document with id 'gone'" in r.stderr and "its 1 gold record counts as missed" in r.stderr
    assert "gold 2" in r.stdout
    r = cli_runner().invoke(main, ["extract", str(tmp_path / "r.txt")])
    assert "minemap: 1 figure from 1 document" in r.stderr


def test_extract_and_explain_fail_when_no_document_is_read(tmp_path):
    # a wrong path or an empty folder must not look like a corpus without figures to a script
    (tmp_path / "empty").mkdir()
    old = tmp_path / "old.jsonl"
    old.write_text('{"kept": true}\n', encoding="utf-8")
    for args in (["extract", str(tmp_path / "empty")], ["extract", str(tmp_path / "missing")],
                 ["extract", str(tmp_path / "empty"), "-o", str(old)], ["explain", str(tmp_path / "empty")]):
        r = cli_runner().invoke(main, args)
        assert r.exit_code == 1, (args, r.output)
        assert "no document read from" in r.stderr
    assert old.read_text(encoding="utf-8") == '{"kept": true}\n'   # the previous output stays
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".old.jsonl")]


def test_explain_counts_in_words(tmp_path):
    (tmp_path / "r.txt").write_text(" date 2024-02-02 By A\n\nIn January 2024, 12 hectares were cleared in "
                                     "Aghdam district.\n", encoding="utf-8")
    r = cli_runner().invoke(main, ["explain", str(tmp_path / "r.txt")])
    assert r.exit_code == 0 and "1 figure, 0 numbers set aside" in r.output
