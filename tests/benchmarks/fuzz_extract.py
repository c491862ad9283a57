"""Fuzz the reader and the extractor: `python tests/benchmarks/fuzz_extract.py [--cases N] [--seed S]`.

Each case is one generated hostile file (mutated reports, random Unicode, binary, broken HTML and JSON
Lines, bad YAML headers, enormous numbers, empty files) read with `read_documents` and extracted. A case
fails when anything raises, or a record is invalid (evidence offsets that do not point at the evidence,
a non-finite value, an unknown district code), or a DocumentError does not name the file. Prints the
counts and exits 1 when any case failed. The templates are written for this script.
"""
from __future__ import annotations

import argparse
import json
import math
import random
import sys
import tempfile
import time
import traceback
from collections import Counter
from datetime import date
from pathlib import Path

from minemap.boundaries.units import CODES
from minemap.extraction.documents import DocumentError, read_documents
from minemap.extraction.extract import extract

TEMPLATES = (
    "From {m} {d1} to {d2}, deminers removed {a} anti-personnel mines, {b} anti-tank mines and {c} unexploded "
    "munitions in the {p1} and {p2} districts. They also cleared {h} hectares.",
    "A shepherd was killed and {n} others were wounded on {m} {d1} when a mine went off near {p1}.",
    "Since the start of the work, {h} hectares and {k} km of roads have been checked, the ministry said.",
    "In {y}, teams surveyed {h} hectares in {p1}, {h2} hectares in {p2} and found {c} explosive items.",
    "The bridge near {p1} is {k} metres long; {n} buses brought families back to {p2} on {m} {d1}.",
    "Over the past week about {a} mines and {c} shells were neutralised across {p1}, {p2} and {p3}.",
)
PLACES = ("Aghdam", "Fuzuli", "Jabrayil", "Zangilan", "Gubadli", "Lachin", "Kalbajar", "Shusha", "Tartar",
          "Khojavend", "Aghdara", "Khankendi", "Baku")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
NASTY_NUMBERS = ("9" * 400, "10^400", "1e308", "1.7976931348623157e308", "9" * 308, ",".join(["999"] * 130),
                 "0." + "0" * 300 + "1", "-17", "٣٤", "１２３", "½", "3/4", "2021-13-45", "NaN", "inf", "0x1F")
NASTY_TEXT = ("\x00", "\ufeff", "\u202e", "\u2028", "\r", "\r\n", "\t", "\U0001F4A3", "ﬁ", "İ", "ß", "\u0301",
              "<script>alert(1)</script>", "&amp;", "&#0;", "&#x110000;", "]]>", "---", "{", "\\")


def report(rnd: random.Random) -> str:
    return "\n\n".join(rnd.choice(TEMPLATES).format(
        m=rnd.choice(MONTHS), d1=rnd.randint(1, 14), d2=rnd.randint(15, 31), a=rnd.randint(0, 900),
        b=rnd.randint(0, 90), c=f"{rnd.randint(1, 90000):,}", h=f"{rnd.randint(1, 60000):,}.{rnd.randint(0, 9)}",
        h2=rnd.randint(1, 900), k=rnd.randint(1, 900), n=rnd.randint(1, 12), y=rnd.randint(2019, 2027),
        p1=rnd.choice(PLACES), p2=rnd.choice(PLACES), p3=rnd.choice(PLACES)) for _ in range(rnd.randint(1, 6)))


def random_unicode(rnd: random.Random, n: int) -> str:
    out = []
    for _ in range(n):
        r = rnd.random()
        if r < 0.6:
            out.append(chr(rnd.randint(32, 126)))
        elif r < 0.8:
            out.append(chr(rnd.randint(0x80, 0x2FFF)))
        elif r < 0.9:
            out.append(rnd.choice(NASTY_TEXT))
        else:
            cp = rnd.randint(0, 0x10FFFF)
            out.append(chr(cp) if not 0xD800 <= cp <= 0xDFFF else "?")
    return "".join(out)


def mutate(rnd: random.Random, text: str) -> str:
    for _ in range(rnd.randint(0, 8)):
        i = rnd.randint(0, len(text))
        j = min(len(text), i + rnd.randint(0, 80))
        op = rnd.randrange(7)
        if op == 0:
            text = text[:i] + text[j:]
        elif op == 1:
            text = text[:j] + text[i:j] * rnd.randint(1, 5) + text[j:]
        elif op == 2:
            text = text[:i] + random_unicode(rnd, rnd.randint(1, 40)) + text[i:]
        elif op == 3:
            text = text[:i] + rnd.choice(NASTY_NUMBERS) + text[j:]
        elif op == 4:
            text = text[:i] + rnd.choice(NASTY_TEXT) + text[i:]
        elif op == 5:
            text = text[:i] + text[i:j].upper() + text[j:]
        else:
            text = text[:i] + rnd.choice(PLACES) + " " + rnd.choice(MONTHS) + text[j:]
    return text


def body(rnd: random.Random) -> str:
    r = rnd.random()
    if r < 0.6:
        return mutate(rnd, report(rnd))
    if r < 0.8:
        return random_unicode(rnd, rnd.randint(0, 3000))
    return mutate(rnd, report(rnd) + "\n\n" + random_unicode(rnd, rnd.randint(0, 500)))


def header(rnd: random.Random) -> str:
    d = rnd.choice(["2022-05-10", "2021-13-45", "yesterday", "0000-00-00", "2024-02-29", "[1, 2", "'2023-01-01'",
                    "2023-06-31", "", "2022-05-10T25:61:00+99:00", "9999-12-31", "1970-01-01"])
    t = rnd.choice(["Weekly note", "", "[broken", "{a: 1}", "\"quoted: title\"", "null", random_unicode(rnd, 20)])
    return f"---\ndate: {d}\ntitle: {t}\n---\n" if rnd.random() < 0.8 else f" date {d} By {t}\n"


def make_case(rnd: random.Random, folder: Path, i: int) -> Path:
    kind = rnd.choice(["txt", "txt", "md", "md", "html", "html", "jsonl", "jsonl", "binary", "empty"])
    if kind == "binary":
        p = folder / f"case{i}{rnd.choice(['.txt', '.md', '.html', '.jsonl'])}"
        p.write_bytes(rnd.randbytes(rnd.randint(0, 5000)))
        return p
    if kind == "empty":
        p = folder / f"case{i}{rnd.choice(['.txt', '.md', '.html', '.htm', '.jsonl'])}"
        p.write_bytes(rnd.choice([b"", b" ", b"\n\n\t", b"\xef\xbb\xbf", b"---\n---\n"]))
        return p
    p = folder / f"case{i}.{kind}"
    if kind == "txt":
        data = ((header(rnd) if rnd.random() < 0.7 else "") + body(rnd)).encode("utf-8", "surrogatepass")
    elif kind == "md":
        data = (header(rnd) + body(rnd)).encode("utf-8", "surrogatepass")
    elif kind == "html":
        depth = rnd.choice([0, 1, 10, 1000, 10_000])
        tag = rnd.choice(["div", "span", "article", "p", "section", "script", "nav"])
        page = ("<html><head><meta property='article:published_time' content='" + rnd.choice(["2022-05-10", "x"])
                + "'><title>" + random_unicode(rnd, 10) + "</title></head><body>" + f"<{tag}>" * depth
                + "<p>" + body(rnd).replace("\n\n", "</p><p>") + "</p>" + f"</{tag}>" * rnd.randint(0, depth)
                + rnd.choice(["", "</body></html>", "<!-- open", "<script>", "<div<div", "</p>" * 100]))
        data = mutate(rnd, page).encode("utf-8", "surrogatepass")
    else:
        lines = []
        for n in range(rnd.randint(1, 8)):
            rec = {"id": rnd.choice([f"c{i}-{n}", "", None, 7, f"c{i}-{n}"]), "text": rnd.choice(
                [body(rnd), body(rnd), "", None, 12, ["list"]]), "date": rnd.choice(["2022-05-10", "2021-13-45", 5, None]),
                "title": rnd.choice(["Note", None, {"a": 1}, random_unicode(rnd, 15)])}
            line = json.dumps(rec, ensure_ascii=rnd.random() < 0.5)
            if rnd.random() < 0.2:
                line = line[: rnd.randint(0, len(line))]
            if rnd.random() < 0.05:
                line = "[" * 3000 + "]" * 3000
            lines.append(line)
        data = "\n".join(lines).encode("utf-8", "surrogatepass")
    if rnd.random() < 0.1:  # a stray invalid byte
        k = rnd.randint(0, len(data))
        data = data[:k] + bytes([rnd.randint(0x80, 0xFF)]) + data[k:]
    p.write_bytes(data)
    return p


def check(path: Path) -> tuple[int, int, int]:
    """Read and extract one file; returns (documents, errors, figures); raises on any failure."""
    n_docs = n_err = n_figs = 0
    for item in read_documents([path]):
        if isinstance(item, DocumentError):
            if path.name not in item.path or not item.reason:
                raise AssertionError(f"error does not name the file: {item}")
            n_err += 1
            continue
        n_docs += 1
        for f in extract(item):
            if item.text[f.evidence.start:f.evidence.end] != f.evidence.text:
                raise AssertionError(f"evidence offsets do not match: {f}")
            if not math.isfinite(f.value) or f.value < 0:
                raise AssertionError(f"bad value {f.value}: {f.evidence.text[:100]!r}")
            if not set(f.districts) <= CODES:
                raise AssertionError(f"unknown district in {f}")
            for d in (f.period_start, f.period_end):
                if d is not None:
                    date.fromisoformat(d)
            json.dumps(f.to_dict(), allow_nan=False)
            n_figs += 1
    return n_docs, n_err, n_figs


def run(cases: int, seed: int = 1, verbose: bool = True, keep: Path | None = None) -> dict:
    rnd = random.Random(seed)
    crashes: Counter = Counter()
    examples: dict[str, str] = {}
    totals = Counter()
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="minemap-fuzz-") as tmp:
        folder = Path(tmp)
        for i in range(cases):
            path = make_case(rnd, folder, i)
            try:
                d, e, f = check(path)
                totals.update(docs=d, errors=e, figures=f)
            except Exception as exc:
                key = f"{type(exc).__name__}: {str(exc)[:120]}"
                kind = type(exc).__name__ + ":" + (str(exc).split(":")[0][:40])
                crashes[kind] += 1
                if kind not in examples:
                    examples[kind] = key
                    if keep is not None:
                        keep.mkdir(parents=True, exist_ok=True)
                        (keep / path.name).write_bytes(path.read_bytes())
                    if verbose:
                        traceback.print_exc(limit=3, file=sys.stderr)
            finally:
                path.unlink(missing_ok=True)
    result = {"cases": cases, "crashed": sum(crashes.values()), "seconds": round(time.perf_counter() - t0, 1),
              **totals, "by_kind": dict(crashes), "examples": examples}
    return result


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--keep", type=Path, help="Copy one failing file per kind of failure here.")
    args = ap.parse_args(argv)
    r = run(args.cases, args.seed, keep=args.keep)
    print(f"{r['cases']} cases in {r['seconds']} s: {r.get('docs', 0)} documents read, "
          f"{r.get('errors', 0)} per-document errors, {r.get('figures', 0)} figures; crashed: {r['crashed']}")
    for kind, n in sorted(r["by_kind"].items(), key=lambda kv: -kv[1]):
        print(f"  {n:6d}  {r['examples'][kind]}")
    return 1 if r["crashed"] else 0


if __name__ == "__main__":
    sys.exit(main())
