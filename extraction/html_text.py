"""The main text of a news web page, with the stdlib HTML parser.

Only the article counts: navigation, "most read" and "related" boxes, footers, forms and scripts carry
numbers that are not report figures. Block elements become paragraph breaks so that sentences of two
paragraphs never run together.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

SKIP_TAGS = {"nav", "aside", "footer", "header", "script", "style", "form", "noscript", "template",
             "svg", "iframe", "button", "select", "figcaption", "menu"}
BLOCK_TAGS = {"p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul",
              "ol", "br", "table", "blockquote", "pre", "dd", "dt", "dl", "hr", "figure"}
# A table row becomes one line "label: value" (cells joined by ": "), a table one paragraph, so that a
# row's number pairs with its own label and never with the next row's.
_ROW, _CELL = "\x1e", "\x1f"
VOID_TAGS = {"br", "hr", "img", "meta", "link", "input", "source", "wbr", "area", "base", "col", "embed",
             "param", "track"}
# class/id words of page furniture that is not the report itself
_FURNITURE = re.compile(
    r"(?i)(?:^|[\s_-])(?:most[-_ ]?read|most[-_ ]?popular|popular|related|trending|sidebar|side-bar|"
    r"nav|navbar|navigation|menu|breadcrumbs?|share|sharing|social|comments?|newsletter|subscribe|"
    r"advert|ads?|banner|promo|footer|header|byline-share|tags|read-?more|also-?read|latest-?news)(?:$|[\s_-])")
# Headings of page furniture that sites build from plain <div>s: a box whose first text is one of these
# ("Latest news", "Most read", ...) is a list of other stories, whose numbers are not this report's.
_FURNITURE_HEADING = re.compile(
    r"(?i)^\W*(?:(?:latest|last|other|more|top|popular|related|recent|breaking)\s+(?:news|stories|articles|"
    r"posts|headlines)|most\s+(?:read|viewed|popular|commented|shared)|read\s+(?:also|more)|also\s+read|"
    r"see\s+also|editor'?s\s+(?:choice|picks?)|recommended(?:\s+for\s+you)?|you\s+may\s+also\s+like|"
    r"news\s+feed|in\s+other\s+news)\W*$")


@dataclass
class HtmlParts:
    body: str
    title: str | None
    dates: list[str]      # candidate publication dates, best first (the reader checks them)
    url: str | None
    source: str | None


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []   # (tag, skipped)
        # per open element: [chunks before it (all, main), texts before it, furniture found inside,
        # landmarks before it]; landmarks count <article>, <main> and <h1>: a box holding one is never furniture
        self.frames: list[list] = []
        self.texts = 0
        self.landmarks = 0
        # open elements per tag name: an end tag that matches nothing open is dropped at once, not after a
        # walk down the whole stack (100,000 stray end tags in a deep page took minutes that way)
        self.open_count: dict[str, int] = {}
        self.skip_depth = 0
        self.meta: dict[str, str] = {}
        self.time_datetime: str | None = None
        self.title_parts: list[str] = []
        self.in_title = False
        self.h1_parts: list[str] = []
        self.h1_depth = 0
        self.h1_done = False
        # text chunks of the whole body and of the first <article>/<main>
        self.all_chunks: list[str] = []
        self.main_chunks: list[str] = []
        self.main_depth = 0
        self.main_seen = False
        self.h1_in_main = False
        self.cell_depth = 0

    def _block(self) -> None:
        # inside a table cell a block break is only a space: the row stays one line
        self._emit(" " if self.cell_depth else "\n\n")

    def _emit(self, s: str) -> None:
        if self.skip_depth:
            return
        self.all_chunks.append(s)
        if self.main_depth:
            self.main_chunks.append(s)

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "meta":
            key = (a.get("property") or a.get("name") or a.get("itemprop") or "").lower()
            if key and "content" in a:
                self.meta.setdefault(key, a["content"])
            return
        if tag == "time" and self.time_datetime is None and a.get("datetime") and not self.skip_depth:
            self.time_datetime = a["datetime"]
        if tag == "title":
            self.in_title = True
        if tag in VOID_TAGS:
            if tag in BLOCK_TAGS:
                self._block()
            return
        furniture = bool(_FURNITURE.search(a.get("class", "") + " " + a.get("id", ""))) and tag not in (
            "article", "main", "body", "html")
        skipped = tag in SKIP_TAGS or furniture or a.get("hidden") is not None or a.get("aria-hidden") == "true"
        self.stack.append((tag, skipped))
        self.frames.append([len(self.all_chunks), len(self.main_chunks), self.texts, False, self.landmarks])
        if tag in ("article", "main", "h1"):
            self.landmarks += 1
        self.open_count[tag] = self.open_count.get(tag, 0) + 1
        if skipped:
            self.skip_depth += 1
        if tag in ("article", "main") and not self.skip_depth:
            if self.main_depth or not self.main_seen:
                self.main_depth += 1
                self.main_seen = True
        if tag == "h1" and not self.skip_depth and not self.h1_done:
            self.h1_depth += 1
            self.h1_in_main = bool(self.main_depth)
        if tag in BLOCK_TAGS:
            self._block()
        elif tag == "tr":
            self._emit(_ROW)
        elif tag in ("td", "th"):
            self._emit(_CELL)
            self.cell_depth += 1

    def handle_endtag(self, tag):
        if tag == "title":
            self.in_title = False
        if tag in VOID_TAGS:
            return
        # close up to the matching open tag (HTML in the wild is not always well nested); each element is
        # popped once, so this is linear in the page however the tags nest
        if not self.open_count.get(tag):
            return
        while True:
            t, skipped = self.stack.pop()
            start_all, start_main, _, furniture, landmarks = self.frames.pop()
            if furniture and landmarks == self.landmarks:  # a box of other stories: none of it is the report
                del self.all_chunks[start_all:]
                del self.main_chunks[start_main:]
            self.open_count[t] -= 1
            if t in ("td", "th") and self.cell_depth:
                self.cell_depth -= 1
            if tag in BLOCK_TAGS or t in BLOCK_TAGS:
                self._block()
            elif t == "tr":
                self._emit(_ROW)
            if skipped:
                self.skip_depth -= 1
            if t in ("article", "main") and self.main_depth:
                self.main_depth -= 1
            if t == "h1" and self.h1_depth:
                self.h1_depth -= 1
                if not self.h1_depth:
                    self.h1_done = True
            if t == tag:
                break

    def handle_data(self, data):
        if self.in_title:
            self.title_parts.append(data)
            return
        if self.h1_depth and not self.skip_depth:
            self.h1_parts.append(data)
        if not self.skip_depth and data.strip():
            # the first text of the element holding this one names it: "Latest news" heads a box of links
            if (len(self.frames) >= 2 and self.frames[-2][2] == self.texts and len(data) < 60
                    and self.stack[-2][0] not in ("article", "main", "body", "html")
                    and _FURNITURE_HEADING.search(data.strip())):
                self.frames[-2][3] = True
            self.texts += 1
        self._emit(data)


def _clean(chunks: list[str]) -> str:
    text = "".join(chunks).replace("\xa0", " ")
    paras = []
    for block in re.split(r"\n\s*\n", text):
        if _ROW in block or _CELL in block:
            rows = []
            for row in block.split(_ROW):
                cells = [" ".join(c.split()) for c in row.split(_CELL)]
                line = ": ".join(c for c in cells if c)
                if line:
                    rows.append(line)
            if rows:
                paras.append("\n".join(rows))
            continue
        line = " ".join(block.split())
        if line:
            paras.append(line)
    return "\n\n".join(paras)


def _strip_site(title: str) -> str:
    # "Headline | Site" / "Headline - Site": the site name is not part of the headline
    parts = re.split(r"\s+[|–—]\s+|\s+-\s+(?=[^-]{1,40}$)", title)
    return parts[0].strip() if parts and len(parts[0].split()) >= 3 else title.strip()


def html_to_document_parts(html: str) -> HtmlParts:
    c = _Collector()
    c.feed(html)
    c.close()
    main = _clean(c.main_chunks) if c.main_seen else ""
    body = main or _clean(c.all_chunks)
    h1 = " ".join("".join(c.h1_parts).split()) or None
    page_title = " ".join("".join(c.title_parts).split()) or None
    title = h1 or (_strip_site(page_title) if page_title else None) or c.meta.get("og:title")
    dates = [c.meta[key] for key in ("article:published_time", "og:published_time", "datepublished", "date",
                                     "pubdate", "publishdate", "dc.date") if c.meta.get(key)]
    if c.time_datetime:
        dates.append(c.time_datetime)
    return HtmlParts(body=body, title=title, dates=dates, url=c.meta.get("og:url"),
                     source=c.meta.get("og:site_name"))
