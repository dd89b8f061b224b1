"""HTML mail body to plain text, for HTML-only messages and HTML attachments.

lxml (libxml2's forgiving HTML parser) cleans and reshapes the tree; html2text then renders the
text. Pure: no I/O, no logging.
"""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import unquote

import html2text
import lxml.etree
import lxml.html

__all__ = ["html_to_text"]

# Elements whose whole subtree is never shown to a reader (CSS, scripts, Office XML islands, VML
# shapes, the document head).
_DROP_TREE = frozenset(
    {"head", "style", "script", "title", "meta", "link", "xml", "noscript", "template", "object"}
)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|mso-hide\s*:\s*all", re.I)
# A cell with more lines than this is page layout (a signature column, a whole mail wrapped in a
# table), not a "label | value" data cell, so its row is left to flow as blocks.
_MAX_DATA_CELL_LINES = 3
# Rows are flattened only when tables nest at most this deep: each level re-reads the cells
# below it, so hostile nesting would cost quadratic time. Deeper tables flow as plain blocks.
_MAX_TABLE_NESTING = 12
# Written for an empty cell of a row of three or more cells, so the columns stay aligned.
_EMPTY_CELL = "-"
# A tag never contains "<": stopping there keeps each scan to the next "<", so a run of "<"
# without ">" costs linear time (with [^>] each "<" scanned 10,000 characters: issue 11).
_BREAK_TAG = re.compile(r"<(?:br|/p|/div|/tr|/li|/h\d)\b[^<>]{0,1000}>", re.I)
_TAG = re.compile(r"<[^<>]{0,10000}>")
_SPACES = re.compile(r"[ \t\u00a0\u2007\u202f]+")
_BLANK_RUNS = re.compile(r"\n{3,}")
# Hostile input guard: a body larger than this (in characters) is cut before parsing, since no
# nomination needs more and lxml/html2text time grows with size.
MAX_HTML_CHARS = 5_000_000
# libxml2 checks each attribute of a tag against the others (quadratic): a tag with more than
# this many attributes ("=" signs) keeps only its name. Real mail has a handful per tag.
_MAX_ATTRIBUTES = 100
# lxml and html2text cost several microseconds per tag: a document with more tags than this
# (no real letter comes near) is read by the linear tag-stripper instead.
_MAX_ELEMENTS = 20_000
# The crude path's mailto links: ``<a ... href="mailto:addr" ...>text</a>``, each run bounded.
_MAILTO_TAG = re.compile(
    r"<a\b[^<>]{0,1000}?href\s*=\s*[\"']?mailto:([^\"'\s<>?]{1,320})[^<>]{0,1000}>"
    r"([^<]{0,500})</a\s*>",
    re.I,
)
_LONG_OPEN_TAG = re.compile(r"<([A-Za-z][\w:.-]{0,40})([^<>]{400,})")


class _PlainConverter(html2text.HTML2Text):
    """html2text without Markdown escaping: ``1.``, ``-`` or ``+44`` at a line start stay as
    written (html2text would print ``1\\.``, ``\\-``, ``\\+44``)."""

    def handle_data(self, data: str, entity_char: bool = False) -> None:
        super().handle_data(data, entity_char=True)


def _converter() -> html2text.HTML2Text:
    h = _PlainConverter(bodywidth=0)
    h.ignore_images = True
    h.ignore_links = True
    h.ignore_emphasis = True
    # Keep letters and punctuation as written (Zoë, ’); the default folds them to ASCII.
    h.unicode_snob = True
    # Outlook writes one <p> per line with empty <p>&nbsp;</p> between paragraphs.
    h.single_line_break = True
    h.ul_item_mark = "-"
    return h


def _cap_attributes(html: str) -> str:
    """``html`` with every tag of absurdly many attributes cut to its bare name (linear)."""

    def cut(m: re.Match[str]) -> str:
        attrs = m.group(2)
        if attrs.count("=") > _MAX_ATTRIBUTES or len(attrs.split(None, 1000)) > 1000:
            return f"<{m.group(1)} "
        return m.group(0)

    return _LONG_OPEN_TAG.sub(cut, html)


def _parse(html: str) -> lxml.html.HtmlElement | None:
    parser = lxml.html.HTMLParser(
        encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True
    )
    try:
        root = lxml.html.document_fromstring(html.encode("utf-8", "replace"), parser=parser)
    except (lxml.etree.ParserError, ValueError, lxml.etree.LxmlError):
        return None
    return root


def _local_tag(el: lxml.html.HtmlElement) -> str:
    tag = el.tag
    return tag.lower() if isinstance(tag, str) else ""


def _drop_unseen(root: lxml.html.HtmlElement) -> None:
    """Remove what a mail client never shows: head, CSS, scripts, hidden blocks, VML shapes;
    unwrap Office namespace tags (``<o:p>``, ``<w:...>``) keeping their text."""
    doomed = []
    unwrap = []
    for el in root.iter():
        tag = _local_tag(el)
        if not tag:
            continue
        if tag in _DROP_TREE or tag.startswith("v:") or _HIDDEN_STYLE.search(el.get("style", "")):
            doomed.append(el)
        elif ":" in tag:
            unwrap.append(el)
    for el in doomed:
        if el.getparent() is not None:
            el.drop_tree()
    for el in unwrap:
        if el.getparent() is not None:
            el.drop_tag()


def _rewrite_mailto(root: lxml.html.HtmlElement) -> None:
    """A ``mailto:`` link becomes its address; when the link text is a name instead, the
    result is ``Name <address>`` so the address is never lost."""
    for a in list(root.iter("a")):
        href = (a.get("href") or "").strip()
        if not href.lower().startswith("mailto:"):
            continue
        addr = unquote(href[7:].split("?", 1)[0]).strip()
        text = _SPACES.sub(" ", "".join(a.itertext())).strip()
        if not text or "@" in text:
            replacement = text or addr
        elif addr:
            replacement = f"{text} <{addr}>"
        else:
            replacement = text
        for child in list(a):
            a.remove(child)
        a.text = replacement
        # Renamed in place, not unwrapped: ``drop_tag`` is linear in the parent's children,
        # so unwrapping every link of a long list was quadratic. A span renders as its text.
        a.attrib.clear()
        a.tag = "span"


def _cell_lines(cell: lxml.html.HtmlElement) -> list[str]:
    """The visible lines of a table cell (``<br>`` and block ends break lines)."""
    for el in cell.iter("br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6"):
        el.tail = "\n" + (el.tail or "")
    lines = (_SPACES.sub(" ", line).strip() for line in cell.text_content().split("\n"))
    return [line for line in lines if line]


def _row_text(cells: list[list[str]]) -> str:
    parts = [" / ".join(lines) for lines in cells]
    # "Name:" | "Priya Shah" reads best as "Name: Priya Shah".
    if len(parts) == 2 and parts[0].endswith(":"):
        return f"{parts[0]} {parts[1]}"
    return " | ".join(parts)


def _flatten_tables(root: lxml.html.HtmlElement) -> None:
    """Data rows (two or more short cells) become one line ``a | b``; layout rows and tables
    become plain blocks."""
    if _table_depth(root) <= _MAX_TABLE_NESTING:
        _flatten_rows(root)
    for el in root.iter("table", "tbody", "thead", "tfoot", "caption", "tr", "td", "th"):
        el.tag = "div"


def _table_depth(root: lxml.html.HtmlElement) -> int:
    """Deepest nesting of tables, in one pass."""
    depth = deepest = 0
    for event, _el in lxml.etree.iterwalk(root, events=("start", "end"), tag="table"):
        depth += 1 if event == "start" else -1
        deepest = max(deepest, depth)
    return deepest


def _flatten_rows(root: lxml.html.HtmlElement) -> None:
    """Rows from the last to the first, so inner tables are flattened before the cells that
    hold them are measured."""
    rows = list(root.iter("tr"))
    # Tables with a row of three or more filled cells have a column per person ("| New PSS |
    # Outgoing PSS"): there an empty cell keeps its place, or the next value would move into
    # the wrong column. Elsewhere an empty cell is a spacer and is dropped.
    wide = set()
    for tr in rows:
        cells = [c for c in tr if _local_tag(c) in ("td", "th")]
        if len(cells) >= 3 and sum(1 for c in cells if c.text_content().strip()) >= 3:
            wide.add(_table_of(tr))
    for tr in reversed(rows):
        cells = [c for c in tr if _local_tag(c) in ("td", "th")]
        texts = [_cell_lines(c) for c in cells]
        filled = [t for t in texts if t]
        if len(filled) >= 2 and max(len(t) for t in filled) <= _MAX_DATA_CELL_LINES:
            line = lxml.html.Element("div")
            if len(cells) >= 3 and _table_of(tr) in wide:
                line.text = _row_text([t or [_EMPTY_CELL] for t in texts])
            else:
                line.text = _row_text(filled)
            line.tail = tr.tail
            parent = tr.getparent()
            if parent is not None:
                parent.replace(tr, line)
            continue
        tr.tag = "div"
        for c in cells:
            c.tag = "div"


def _table_of(tr: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    """The table a row belongs to (through thead/tbody/tfoot)."""
    parent = tr.getparent()
    while parent is not None and _local_tag(parent) in ("tbody", "thead", "tfoot"):
        parent = parent.getparent()
    return parent


def _plain_blocks(root: lxml.html.HtmlElement) -> None:
    """Headings as plain paragraphs (no ``#``); a horizontal rule as the underscore line Outlook
    uses between a reply and its history, so :func:`parsing.text.split_body` can see it; an
    empty paragraph (Outlook's ``<p>&nbsp;</p>``) as a blank line, which html2text would drop."""
    for el in root.iter("p", "div"):
        if len(el) == 0 and not (el.text or "").strip(" \t\r\n\u00a0"):
            # A zero-width space is not whitespace to html2text, so the line survives;
            # parsing.text.normalise_text removes the character afterwards.
            el.text = "\u200b"
    for el in root.iter("h1", "h2", "h3", "h4", "h5", "h6"):
        el.tag = "p"
    for hr in list(root.iter("hr")):
        rule = lxml.html.Element("p")
        rule.text = "_" * 32
        rule.tail = hr.tail
        parent = hr.getparent()
        if parent is not None:
            parent.replace(hr, rule)


def _tidy(text: str) -> str:
    text = text.replace("\u200b", "").replace("\r\n", "\n")
    lines = [line.rstrip() for line in text.split("\n")]
    return _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip("\n")


def html_to_text(html: str) -> str:
    """Render an HTML mail body as readable plain text.

    Shapes of the result (what field extraction can rely on):

    - one line per Outlook ``<p>``/``<div>``/``<br>``; blank lines where the HTML has empty
      paragraphs; never more than one blank line in a row; no trailing spaces;
    - no Markdown: no ``**``/``_`` emphasis, no ``#`` headings, no ``[text](url)``: a link is
      its text; a ``mailto:`` link is its address, or ``Name <address>`` when its text is a name;
    - a table row with two or more short cells is one line, cells joined by `` | ``
      (``Name: Priya Shah`` when a two-cell row's first cell ends with ``:``); lines inside one
      cell are joined by `` / ``; layout tables come out as ordinary lines;
    - lists as ``- item`` / ``1. item``; ``<blockquote>`` lines prefixed with ``> ``;
      ``<hr>`` as a line of 32 underscores;
    - ``<style>``, ``<head>``, comments (Outlook conditional comments included), ``<o:p>``,
      scripts and ``display:none`` blocks are dropped; entities decoded (``&nbsp;`` is U+00A0,
      which :func:`parsing.text.normalise_text` turns into a space).

    Returns ``""`` for empty or unparseable input; never raises for any string (input longer
    than :data:`MAX_HTML_CHARS` characters is cut first).
    """
    if not html or not html.strip():
        return ""
    html = html[:MAX_HTML_CHARS]
    html = _cap_attributes(html)
    root = None if html.count("<") > _MAX_ELEMENTS else _parse(html)
    text = ""
    if html.count("<") > _MAX_ELEMENTS:
        return _strip_tags(_MAILTO_TAG.sub(_mailto_text, html))
    if root is not None:
        _drop_unseen(root)
        _rewrite_mailto(root)
        _plain_blocks(root)
        _flatten_tables(root)
        cleaned = lxml.html.tostring(root, encoding="unicode", method="html")
        text = _tidy(_converter().handle(cleaned))
    # libxml2 gives up on pathological markup (nesting past its depth limit); keep the words.
    return text or _strip_tags(html)


def _mailto_text(m: re.Match[str]) -> str:
    addr = unquote(m.group(1)).strip()
    text = _SPACES.sub(" ", unescape(_TAG.sub(" ", m.group(2)))).strip()
    if not text or "@" in text:
        return text or addr
    # Entity-escaped, so the tag-stripper that runs next keeps the brackets.
    return f"{text} &lt;{addr}&gt;"


def _cut_spans(text: str, start: str, end: str) -> str:
    """``text`` without the spans from ``start`` to ``end`` (case-insensitive); an unclosed
    span runs to the end. Linear time, whatever the input."""
    lower = text.lower()
    out: list[str] = []
    pos = 0
    while True:
        i = lower.find(start, pos)
        if i < 0:
            out.append(text[pos:])
            break
        out.append(text[pos:i])
        j = lower.find(end, i + len(start))
        if j < 0:
            break
        pos = j + len(end)
    return " ".join(out)


def _strip_tags(html: str) -> str:
    """Last resort: the text between tags, entities decoded, one line per block-ish tag."""
    text = _cut_spans(html, "<!--", "-->")
    for tag in ("style", "script", "head"):
        text = _cut_spans(text, f"<{tag}", f"</{tag}")
    text = _BREAK_TAG.sub("\n", text)
    text = _TAG.sub(" ", text)
    text = _SPACES.sub(" ", unescape(text))
    return _tidy(text).strip()
