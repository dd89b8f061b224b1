"""Nomination type: first, replacement or additional (NHS England PSS page: the email says
"whether the new Patient Safety Specialist is the first person their organisation has
identified, a replacement … or an additional" specialist).

Read from labels ("Nomination type: First", "Type of nomination – replacement", ticked boxes)
and from prose, clause by clause, with negations honoured: "Neither is replacing anyone: they
are the first people …" states *first* only. "New PSS" alone states no type.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from parsing.extract.labels import Field, parse_label
from parsing.extract.textutil import (
    clean_text,
    is_empty_value,
    lines_of,
    paragraphs_of,
    sentences_of,
    squash,
    strip_bullet,
)
from validation.models import NominationType

__all__ = ["TypeStatement", "find_type_statements", "type_of_value"]


@dataclass(frozen=True, slots=True)
class TypeStatement:
    """One statement of a nomination type: ``type``, the ``text`` (line or sentence) it was
    read from, ``labelled`` True for a label's value, ``start`` its offset."""

    type: NominationType
    text: str
    labelled: bool
    start: int


_PSS = r"(?:PSSs?|Patient\s+Safety\s+Specialists?|specialists?)"
_PSS_OR_PERSON = (
    rf"(?:{_PSS}|person|people|individuals?|appointments?|nominations?|nominees?|post|role)"
)

# Statements of FIRST, each cancelled by a negation just before it ("not our first PSS").
_FIRST = [
    re.compile(
        r"\bfirst(?:[-\s]+(?:ever|two|three|four|2|3|4|named|dedicated|designated|formal|formally|"
        r"official|officially|substantive|appointed|identified|nominated|new|such))*\s+"
        + _PSS_OR_PERSON
        + r"\b",
        re.IGNORECASE,
    ),
    re.compile(
        r"\bfirst\s+time\b[^.]{0,80}\b(?:PSS|patient\s+safety\s+specialist|identif|nominat|"
        r"appoint)",
        re.IGNORECASE,
    ),
    # "… to identify a Patient Safety Specialist, and this is the first time we have done so".
    re.compile(
        r"\b(?:identif|nominat|appoint|regist|designat)\w*\s+(?:a|an|our|its|their)\s+"
        r"(?:PSS|patient\s+safety\s+specialist)\b[^.;]{0,60}\b(?:is|was|will\s+be)\s+the\s+"
        r"(?:very\s+)?first\s+time\b",
        re.IGNORECASE,
    ),
    re.compile(
        r"\b(?:will|shall|would)\s+be\s+(?:the|our|its|their)\s+(?:very\s+)?first"
        r"(?:\s+(?:one|PSS|patient\s+safety\s+specialist))?\s*(?:[.,;!)]|$)",
        re.IGNORECASE,
    ),
    # "is identifying its Patient Safety Specialists for the first time".
    re.compile(
        r"\b(?:identif|nominat|appoint|regist|designat|nam(?:e|ing)|put(?:ting)?\s+forward)\w*"
        r"\b[^.;]{0,100}?\bfor\s+the\s+(?:very\s+)?first\s+time\b",
        re.IGNORECASE,
    ),
]
# Statements of FIRST made through a negation ("we have never had a PSS"): no negation check.
_FIRST_BY_NEGATION = [
    re.compile(
        r"(?:\bnot|\bnever|n['’]t)\s+(?:\w+\s+){0,2}(?:previously|before|yet|already)?\s*"
        r"(?:had|have|identified|appointed|nominated|designated|registered|named|put\s+forward)"
        # "haven't had a chance to look at the Identifying PSS guidance" is about the document.
        r"\b(?!\s+(?:a|the|any|much)\s+(?:chance|time|opportunity))"
        r"[^.;]{0,80}?\b(?<!identifying\s)(?:PSS|patient\s+safety\s+specialist|specialist|anyone|"
        r"anybody|someone|a\s+person|in\s+(?:the|this)\s+role|in\s+post)",
        re.IGNORECASE,
    ),
    re.compile(r"\bno\s+(?:existing|current|previous|prior|other)\s+" + _PSS, re.IGNORECASE),
    # "We haven't had one formally registered before, so I will be the first."
    re.compile(
        r"(?:\bnot|\bnever|n['’]t)\s+(?:\w+\s+){0,2}had\s+(?:one|any)\b[^.;]{0,60}?"
        r"\b(?:before|previously|until\s+now|to\s+date)\b",
        re.IGNORECASE,
    ),
    re.compile(
        r"\b(?:does|do|did)\s+not\s+(?:currently\s+)?have\s+(?:a|an|any)\s+" + _PSS, re.IGNORECASE
    ),
    re.compile(r"\bwithout\s+(?:a|an|any)\s+" + _PSS, re.IGNORECASE),
]

_REPLACEMENT = [
    re.compile(r"\breplac(?:e|es|ed|ing|ement|ements)\b", re.IGNORECASE),
    re.compile(r"\bsucceed(?:s|ed|ing)?\b|\bsuccessor\b|\bsuccession\b", re.IGNORECASE),
    re.compile(
        r"\btak(?:e|es|ing|en)\s+over\s+(?:from|as|the\s+role|the\s+post|the\s+PSS)", re.IGNORECASE
    ),
    re.compile(r"\bin\s+place\s+of\b|\binstead\s+of\b", re.IGNORECASE),
    re.compile(
        r"\b(?:previous|outgoing|former|departing|current|existing)\s+"
        + _PSS
        + r"\b[^.]{0,60}\b(?:leav|left|retir|step|mov|no\s+longer)",
        re.IGNORECASE,
    ),
    re.compile(r"\b(?:outgoing|departing|former|previous)\s+" + _PSS, re.IGNORECASE),
    re.compile(r"\bchange\s+(?:of|to|in)\s+(?:our\s+|the\s+)?" + _PSS, re.IGNORECASE),
    re.compile(
        r"\b(?:is|are|will\s+be|has\s+been)\s+(?:leaving|retiring|stepping\s+down|moving\s+on)"
        r"\b|\b(?:has|have)\s+(?:left|retired|stepped\s+down)\b",
        re.IGNORECASE,
    ),
    re.compile(r"\bno\s+longer\s+(?:be\s+)?(?:our|the)\s+" + _PSS, re.IGNORECASE),
]
_NAME_WORDS = r"[A-Z][\w'’\-]+(?:\s+[A-Z][\w'’\-]+)+"
_ADDITIONAL = [
    re.compile(r"\badditional(?:\s+\w+){0,2}\s+" + _PSS_OR_PERSON + r"\b", re.IGNORECASE),
    re.compile(
        r"\bas\s+an?\s+additional\b|\b(?:is|are|will\s+be)\s+(?:an\s+)?additional\b", re.IGNORECASE
    ),
    re.compile(
        r"(?i:\bin\s+addition\s+to\s+)(?:(?i:(?:our|the)\s+(?:(?:current|existing|other|"
        r"present)\s+)?)" + _PSS.replace("(?:", "(?i:", 1) + r"|(?i:(?:our|the)\s+(?:current|"
        r"existing|other|present)\b)|" + _NAME_WORDS + ")"
    ),
    re.compile(
        r"\b(?:a|our|the|its|their|(?:the\s+)?\w+['’]s)\s+(?:second|third|fourth|fifth|2nd|3rd|4th)\s+"
        + _PSS,
        re.IGNORECASE,
    ),
    re.compile(
        r"(?i:\balongside\s+)(?:(?i:(?:our|the)\s+(?:current|existing|other|present)\b)|"
        r"(?i:(?:our|the)\s+)" + _PSS.replace("(?:", "(?i:", 1) + "|" + _NAME_WORDS + ")"
    ),
    re.compile(
        r"\bjoin(?:s|ing)?\s+(?:our\s+(?:current|existing)\s+\w+|" + _NAME_WORDS + r")"
        r"\s+as\s+(?:a|an|our)\s+(?:\w+\s+)?" + _PSS
    ),
    # "Harriet will be joining our existing Patient Safety Specialist, Mr Tobias …".
    re.compile(
        r"\bjoin(?:s|ing)?\s+(?:our|the|its|their)\s+(?:current|existing|present|other)\s+" + _PSS,
        re.IGNORECASE,
    ),
    # "Tomasz will be joining Rachel Ogunleye, who continues as one of our PSSs".
    re.compile(
        r"\bjoin(?:s|ing)?\s+" + _NAME_WORDS + r"\s*,?\s*(?i:who)\s+(?i:continues|remains|stays|"
        r"is\s+already|will\s+(?:continue|remain|stay))\b"
    ),
    re.compile(r"\b(?:another|an\s+extra|a\s+further|an\s+additional)\s+" + _PSS, re.IGNORECASE),
    re.compile(r"\bas\s+well\s+as\s+(?:our|the)\s+(?:current|existing)\b", re.IGNORECASE),
    re.compile(r"\badd(?:ing)?\s+(?:a|an|another|one\s+more)\s+(?:\w+\s+)?" + _PSS, re.IGNORECASE),
    re.compile(r"\bincrease\s+(?:the\s+number\s+of|our)\s+" + _PSS, re.IGNORECASE),
]
# A negation shortly before a cue cancels it ("Neither is replacing", "not a replacement",
# "no one is being replaced", "will not be succeeded").
_NEGATION = re.compile(
    r"\b(?:not|never|neither|nor|no|none|nobody|without|isn['’]t|aren['’]t|won['’]t|"
    r"doesn['’]t|don['’]t|didn['’]t|hasn['’]t|haven['’]t|wasn['’]t|rather\s+than|"
    r"instead\s+of|as\s+opposed\s+to)\b|n['’]t\b",
    re.IGNORECASE,
)
_CLAUSE_BREAK = re.compile(
    r"[;:,()–—]|\b(?:but|however|although|though|whereas|while|and\s+so)\b", re.IGNORECASE
)


def _negated(clause: str, cue_start: int) -> bool:
    """True when a negation word stands within four words before the cue, in its clause."""
    before = clause[:cue_start]
    breaks = list(_CLAUSE_BREAK.finditer(before))
    if breaks:
        before = before[breaks[-1].end() :]
    window = " ".join(before.split()[-4:])
    return bool(_NEGATION.search(window))


def type_of_value(value: str) -> list[NominationType]:
    """Types named by a label's value: "First", "Replacement (for Jo Bloggs)", "Additional",
    ticked options ("[x] Replacement", "☒ Additional"). Unticked options in a list of all three
    are ignored; a value naming all three without a tick gives nothing."""
    v = squash(value)
    ticked = _ticked_options(v)
    if ticked is not None:
        return _dedupe([_word_type(n) for n in ticked])
    head = re.split(r"\s+[-–—:]\s+|[.;(]", v, maxsplit=1)[0]
    found: list[NominationType] = []
    for word, t in (
        (r"\bfirst\b", NominationType.FIRST),
        (r"\breplac\w*|\bsucce\w*", NominationType.REPLACEMENT),
        (r"\badditional\b|\baddition\b|\bsecond\b|\bextra\b", NominationType.ADDITIONAL),
    ):
        if re.search(word, head, re.IGNORECASE) and not re.search(
            r"\b(?:no|not)\s+(?:a\s+|an\s+)?" + word.lstrip("\\b"), head, re.IGNORECASE
        ):
            found.append(t)
    if len(found) == 3:
        return []
    if not found and re.fullmatch(r"(?i)\s*new(?:\s+\(first\))?\s*", head):
        return [NominationType.FIRST]
    return found


_BOX = re.compile(r"\[\s*[xX✓✔]?\s*\]|[☐☒☑✓✔]|\(\s*[xX]?\s*\)")
_OPTION = re.compile(r"\b(first|new|replacement|additional)\b", re.IGNORECASE)


def _ticked_options(value: str) -> list[str] | None:
    """The options marked in a tick-box value, or None when the value has no boxes.

    A box belongs to the option after it when the value starts with a box ("[x] First"),
    else to the option before it ("First [x]").
    """
    boxes = list(_BOX.finditer(value))
    if not boxes:
        return None
    options = list(_OPTION.finditer(value))
    if not options:
        return None
    box_first = boxes[0].start() < options[0].start()
    out: list[str] = []
    for opt in options:
        if box_first:
            before = [b for b in boxes if b.end() <= opt.start()]
            box = before[-1] if before else None
        else:
            after = [b for b in boxes if b.start() >= opt.end()]
            box = after[0] if after else None
        if box is not None and re.search(r"[xX✓✔☒☑]", box.group(0)):
            out.append(opt.group(1))
    return out


def _word_type(word: str) -> NominationType:
    w = word.lower()
    if w in ("first", "new"):
        return NominationType.FIRST
    if w.startswith("replac"):
        return NominationType.REPLACEMENT
    return NominationType.ADDITIONAL


def _dedupe(types: list[NominationType]) -> list[NominationType]:
    return list(dict.fromkeys(types))


def _prose_types(sentence: str) -> list[NominationType]:
    """Types a prose sentence states, negations honoured."""
    found: list[NominationType] = []
    for pat in (*_FIRST, *_FIRST_BY_NEGATION):
        for m in pat.finditer(sentence):
            if pat in _FIRST_BY_NEGATION or not _negated(sentence, m.start()):
                found.append(NominationType.FIRST)
                break
    for pats, t in (
        (_REPLACEMENT, NominationType.REPLACEMENT),
        (_ADDITIONAL, NominationType.ADDITIONAL),
    ):
        for pat in pats:
            hit = False
            for m in pat.finditer(sentence):
                if not _negated(sentence, m.start()):
                    hit = True
                    break
            if hit:
                found.append(t)
                break
    return _dedupe(found)


_OPTIONS_LABEL = re.compile(r"^\s*([^:]{5,200}?)\s*:\s*(\S.{0,200})$")
_OPTION_WORD = re.compile(r"\b(first|replacement|additional)\b")
_SECTION_HEADING = re.compile(
    r"(?i)^\s*(?:section|part|step)\s+(?:\d{1,2}|[a-h]|[ivx]{1,4})\b\s*[:.)\-–]"
)
_CONDITIONAL = re.compile(
    r"(?i)\(\s*(?:only\s+)?(?:if|where|when)\s+(?:applicable|relevant|replac\w*|additional|"
    r"appropriate|known|this\s+is)\b[^)]{0,60}\)|\bonly\s+if\s+replac\w*|\bif\s+applicable\b"
    # A form's row "If replacement – name of PSS being replaced |".
    r"|^\s*(?:if|where|when)\s+(?:a\s+|an\s+|this\s+is\s+an?\s+)?(?:replac\w*|additional)\b"
)


def find_type_statements(text: str) -> list[TypeStatement]:
    """Every nomination-type statement in ``text`` (already the region to read: new text,
    forwarded text or an attachment), labelled ones first within their line order."""
    text = clean_text(text)
    out: list[TypeStatement] = []
    lines = lines_of(text)
    prose_lines = []
    pending = False
    for line in lines:
        body, _ = strip_bullet(line.text)
        if pending and body.strip():
            # "Nomination type" alone on a line (one table cell per line): its value follows.
            pending = False
            found = type_of_value(body)
            if found:
                for t in found:
                    out.append(TypeStatement(t, body.strip(), True, line.start))
                continue
        lab = parse_label(body)
        if lab is not None and lab.field == Field.TYPE and not lab.value:
            pending = True
            continue
        if lab is not None and lab.field == Field.TYPE and lab.value:
            for t in type_of_value(lab.value):
                out.append(TypeStatement(t, line.text.strip(), True, line.start))
            continue
        if lab is not None and not lab.value and lab.field != Field.HEADING:
            # A form's label alone on its line ("Contact details of PSS being replaced", its
            # cell left empty) states nothing.
            continue
        if lab is not None and lab.value and is_empty_value(lab.value):
            # "Name of PSS being replaced: N/A" states that nothing applies.
            continue
        options = _OPTIONS_LABEL.match(body)
        if options and len(set(_OPTION_WORD.findall(options.group(1).lower()))) >= 2:
            # A question that lists the options ("Is this a first, replacement or additional
            # nomination? (delete as appropriate): First") states only its answer.
            for t in type_of_value(options.group(2)):
                out.append(TypeStatement(t, line.text.strip(), True, line.start))
            continue
        if _SECTION_HEADING.match(body) or _CONDITIONAL.search(body):
            # "Section 3: Replacement details (only if replacing)" is the form's, not a
            # statement; a conditional heading never states a type.
            continue
        if (
            lab is not None
            and lab.value
            and re.fullmatch(r"(?i)first|replacement|additional", lab.label.strip())
        ):
            if re.match(r"(?i)\s*(?:yes|y|x|✓|✔|true)\b", lab.value):
                out.append(
                    TypeStatement(
                        _word_type(lab.label.strip()), line.text.strip(), True, line.start
                    )
                )
            continue
        prose_lines.append(line)
    for para in paragraphs_of(prose_lines):
        joined = "\n".join(ln.text for ln in para)
        base = para[0].start
        for s, e in sentences_of(joined):
            sentence = squash(joined[s:e])
            for t in _prose_types(sentence):
                out.append(TypeStatement(t, sentence, False, base + s))
    return out
