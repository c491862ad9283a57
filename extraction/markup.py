"""Markup and links to other stories taken out of a report's body before any rule reads it.

Two things make numbers vanish or appear where they should not:
- Markdown inline markup in `.md` reports: `**141** mines`, `[12 mines](https://...)`, `<b>141</b>` hide a
  number from the rules that read "141 mines". The markers go; the words and numbers stay.
- Lines that point to another story ("Read also: 9,000 hectares cleared in Lachin"): every outlet puts them
  inside its articles, in HTML, in syndicated plain text and in Markdown copies. Their numbers are that
  other story's, so the whole line goes.

Every pattern is bounded (no nested repetition, lengths capped) so each pass is linear in the text.
"""
from __future__ import annotations

import html
import re

# ![alt](address) and [words](address): the words stay, the address goes. [words][ref] likewise.
# Brackets are excluded inside each part so that a run of "[" costs one step each, not one scan each.
_IMAGE = re.compile(r"!\[([^\[\]\n]{0,500})\]\([^()\n]{0,2000}\)")
_LINK = re.compile(r"\[([^\[\]\n]{1,2000})\](?:\([^()\n]{0,2000}\)|\[[^\[\]\n]{0,200}\])")
# Inline HTML tags, which Markdown lets through (<b>141</b>, <a href=...>, <br/>)
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]{0,30}(?:\s[^<>\n]{0,1000})?/?>")
# Emphasis and code: *x*, **x**, ***x***, __x__, ___x___, `x`. A single underscore is left alone: it is
# common inside words and addresses, and Markdown itself ignores it there.
_EMPHASIS = re.compile(r"(\*{1,3}|_{2,3}|`)(?=[^\s*_`])([^*_`\n]{1,1000}?)(?<=[^\s*_`])\1")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!<>])")

# "Read also:", "READ MORE:", "See also -", "Related:", "Related news:", "Also read:" at the start of a line
_OTHER_STORY = re.compile(
    r"(?im)^[ \t>*_#-]{0,8}(?:read\s+(?:also|more)|also\s+read|see\s+also|related(?:\s+(?:news|stories|"
    r"articles?|posts?|links?))?)\b[*_ \t]{0,4}[:\-\u2013\u2014|»>][^\n]*(?:\n|$)")


def markdown_to_text(body: str) -> str:
    """The words of a Markdown body without its inline markup (block structure stays: lines, paragraphs)."""
    body = _IMAGE.sub(r"\1", body)
    body = _LINK.sub(r"\1", body)
    body = _TAG.sub("", body)
    body = _EMPHASIS.sub(r"\2", body)
    body = _ESCAPE.sub(r"\1", body)
    return html.unescape(body) if "&" in body else body


def drop_other_stories(body: str) -> str:
    """The body without lines that point to another story."""
    return _OTHER_STORY.sub("", body)
