"""Questions the sender asks the national team, and enquiries that are not yet a nomination.

A *question* is a sentence of the sender's own text that asks the team for an answer: it ends
with a question mark, or it asks "could you tell me whether …", "I would like to know …",
"please advise whether …". Courtesy lines ("Please let me know if you need anything further",
"Do let me know if you have any questions", "Could you confirm receipt?") are not questions, nor
is a form's question answered on the spot ("Document considered? Yes"), nor a line addressed to
a colleague by name ("Tom – could you send this on?").

An *enquiry* is a message that asks about the process while only considering or planning a
nomination ("We are thinking about identifying a second PSS … could you tell me whether there
is a form?"): :func:`is_hypothetical` finds that framing.
"""

from __future__ import annotations

import re

from parsing.extract.labels import parse_label
from parsing.extract.names import find_name_mentions
from parsing.extract.textutil import clean_text, lines_of, paragraphs_of, sentences_of, squash

__all__ = ["disclaims_nomination", "find_questions", "is_hypothetical"]

_MAX_QUESTION = 300
_MAX_TEXT = 20_000

# Asking for information without a question mark.
_ASKS = re.compile(
    r"\b(?:(?:could|can|would|will)\s+(?:you|someone|somebody|the\s+team)\s+(?:please\s+|kindly\s+)?"
    r"(?:tell|let\s+(?:me|us)\s+know|advise|confirm|clarify|explain|say|check|indicate)"
    r"|(?:I|we)\s+(?:would|should)\s+(?:also\s+)?(?:like|be\s+(?:grateful|glad|pleased))\s+"
    r"(?:to\s+know|"
    r"(?:for|if)\s+you\s+(?:could|would)\s+(?:tell|let\s+(?:me|us)\s+know|advise|confirm|clarify|"
    r"explain))"
    r"|(?:I|we)\s+(?:was|were|am|are)\s+wondering"
    r"|(?:I|we)\s+wondered"
    r"|please\s+(?:could\s+you\s+)?(?:advise|tell\s+(?:me|us)|let\s+(?:me|us)\s+know|clarify|"
    r"explain|confirm)"
    r")\b[^.?!]{0,120}?\b(?:whether|if|what|when|where|how|who|which|why)\b",
    re.IGNORECASE,
)
# Courtesy: offers of more information, thanks, receipt.
_COURTESY = re.compile(
    r"\b(?:anything\s+(?:further|else|more)|any\s+(?:further|more|other)\s+(?:information|"
    r"details|help|questions?|queries)|any\s+(?:questions?|queries|"
    r"problems?|issues?|concerns?)|further\s+(?:information|details|questions?)|more\s+"
    r"(?:information|details)|(?:need|require|want)\s+(?:any|anything|more|further)|"
    r"receipt|received\s+(?:this|my|our|the)|(?:have|has)\s+(?:arrived|been\s+received)|"
    r"hesitate|if\s+(?:there\s+is|there['’]s)\s+(?:anything|a\s+problem)|should\s+you\s+"
    r"(?:need|require|have)|missed\s+anything|anything\s+missing|all\s+(?:you\s+need|in\s+order)|"
    r"(?:is|was)\s+(?:this|that|everything)\s+(?:ok|okay|all|sufficient|enough)|"
    r"(?:is|are|be)\s+(?:now\s+)?(?:complete|in\s+order|sufficient|ok|okay|fine|enough)\b|"
    r"happy\s+to\s+(?:help|discuss|provide)|hopefully|"
    r"(?:everything|all)\s+(?:that\s+)?you\s+(?:need|require|want)|"
    # Whether a requirement applies: our request for what is missing answers it ("is that
    # something you need from us before Declan can be added?").
    r"(?:is|was)\s+(?:that|this|it)\s+something\s+(?:that\s+)?you\s+(?:need|require)|"
    r"do\s+you\s+(?:need|require)\s+(?:that|this|it)\b|"
    # Offers: "Would you like me to send her CV?", "Do you need anything else?".
    r"(?:would|do|shall|should)\s+you\s+(?:like|want|need|wish)\s+(?:me|us|a\s+copy|sight|"
    r"anything|any)\b|(?:shall|should)\s+(?:I|we)\s+(?:send|forward|share|attach)\b|"
    # "let me know once she has been added": a request for the acknowledgement we send anyway.
    r"\b(?:once|when)\b[^.?!]{0,60}\b(?:added|registered|processed|received|accepted|logged|"
    r"recorded|updated|complete|completed|done|on\s+the\s+register)\b)",
    re.IGNORECASE,
)
_ANSWER = re.compile(r"^\s*[\"'“‘(]?\s*(?:yes|no|y|n|confirmed|not\s+yet|agreed|done|n/a)\b", re.I)
_HYPOTHETICAL = re.compile(
    r"\b(?:(?:are|am|is|were)\s+(?:currently\s+|now\s+|also\s+)?(?:considering|thinking\s+(?:about|of)|"
    r"planning\s+(?:to|on)|looking\s+(?:to|at|into)|exploring|hoping\s+to|intending\s+to)"
    r"|(?:we|I|the\s+trust|the\s+icb|the\s+board)\s+(?:may|might|could)\s+(?:wish|want|need|decide|"
    r"look)\s+to"
    r"|(?:plan|intend|hope|expect|aim)\s+to\s+(?:identify|nominate|appoint|register|put\s+forward|"
    r"name|add|replace)"
    r"|before\s+(?:we|I)\s+(?:go\s+any\s+further|proceed|nominate|identify|put|submit|decide|"
    r"send|make|formally)"
    r"|in\s+(?:the\s+)?(?:near\s+)?future|later\s+(?:this|in\s+the)\s+year|next\s+(?:year|"
    r"financial\s+year)|at\s+some\s+point|would\s+like\s+to\s+know|wondering)\b",
    re.IGNORECASE,
)
# The sender says outright that this is not the nomination: "A question rather than a
# nomination", "I'll come back to you with a formal nomination".
_DISCLAIMS = re.compile(
    r"\b(?:rather\s+than\s+a\s+(?:formal\s+)?nomination|(?:this\s+is\s+)?not\s+(?:yet\s+)?a\s+"
    r"(?:formal\s+)?nomination|(?:come|get)\s+back\s+to\s+you\s+with\s+(?:a|our|the)\s+"
    r"(?:formal\s+)?nomination|(?:send|submit|make)\s+(?:a|our|the)\s+formal\s+nomination\s+"
    r"(?:once|when|after|later))",
    re.IGNORECASE,
)
# A line addressed to a colleague: "Tom – could you …", "Sarah, please can you …".
_VOCATIVE = re.compile(r"^\s*(?P<who>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)\s*(?:[,–—:]|\s-\s)\s*\S")


def _addressed_to_someone(sentence: str) -> bool:
    m = _VOCATIVE.match(sentence)
    if not m:
        return False
    who = m.group("who")
    if re.fullmatch(
        r"(?i)hi|hello|dear|yes|no|separately|also|finally|lastly|however|thanks|"
        r"please|sorry|apologies|ps|p\.s|additionally|one|just",
        who.split()[0],
    ):
        return False
    return bool(find_name_mentions(who))


# A question asks something: an interrogative word, not a form's noun phrase ("Organisation?").
_INTERROGATIVE = re.compile(
    r"(?i)\b(?:could|can|would|will|is|are|do|does|did|should|shall|may|might|must|what|when|"
    r"where|who|whom|whose|which|why|how|have|has|was|were|whether|if)\b"
)


def _is_question(sentence: str, answer: str) -> bool:
    if len(sentence.split()) < 4 or _COURTESY.search(sentence):
        return False
    if not _INTERROGATIVE.search(sentence):
        return False
    if _addressed_to_someone(sentence):
        return False
    if sentence.rstrip(")\"'”’ ").endswith("?"):
        # A form's question answered at once ("Document considered? Yes").
        return not _ANSWER.match(answer)
    return bool(_ASKS.search(sentence))


def find_questions(text: str) -> list[str]:
    """The sentences of ``text`` (the sender's own, readable text) that ask the team something,
    in order, each squashed and cut to a few hundred characters."""
    text = clean_text(text)[:_MAX_TEXT]
    lines = lines_of(text)
    prose = [ln for ln in lines if parse_label(ln.text.strip()) is None or "?" not in ln.text]
    out: list[str] = []
    paras = paragraphs_of(prose)
    for p_index, para in enumerate(paras):
        joined = "\n".join(ln.text for ln in para)
        spans = sentences_of(joined)
        for k, (s, e) in enumerate(spans):
            sentence = squash(joined[s:e])
            if k + 1 < len(spans):
                answer = joined[spans[k + 1][0] : spans[k + 1][1]]
            elif p_index + 1 < len(paras):
                answer = paras[p_index + 1][0].text
            else:
                answer = ""
            if _is_question(sentence, answer):
                out.append(sentence[:_MAX_QUESTION])
    return out


def is_hypothetical(text: str) -> bool:
    """True when ``text`` only considers or plans a nomination ("we are considering identifying
    a second PSS", "before we proceed", "later this year")."""
    return bool(_HYPOTHETICAL.search(squash(clean_text(text)[:_MAX_TEXT])))


def disclaims_nomination(text: str) -> bool:
    """True when ``text`` says it is not (yet) the nomination ("a question rather than a
    nomination", "I'll come back to you with a formal nomination")."""
    return bool(_DISCLAIMS.search(squash(clean_text(text)[:_MAX_TEXT])))
