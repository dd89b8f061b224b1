"""The validation rules, one small module each, in one explicit registry (:data:`RULES`).

Every rule runs on every evaluation, so a flagged case lists all its reasons (Mailman's
"defer, then any" chain); :func:`validation.chain.decide` turns the outcomes into an action.
A test checks that names are unique and kebab-case.
"""

from __future__ import annotations

from validation.rules.ambiguous_reading import AmbiguousReading
from validation.rules.attachment_only import AttachmentOnly
from validation.rules.auto_reply import AutoReply
from validation.rules.base import RegisterFacts, Rule, RuleContext
from validation.rules.bulk_mail import BulkMail
from validation.rules.cannot_acknowledge_sender import CannotAcknowledgeSender
from validation.rules.cannot_ask_sender import CannotAskSender
from validation.rules.content_not_read import ContentNotRead
from validation.rules.contradictory_nomination_type import ContradictoryNominationType
from validation.rules.correction_not_applied import CorrectionNotApplied
from validation.rules.delivery_failure import DeliveryFailure
from validation.rules.first_but_specialist_in_post import FirstButSpecialistInPost
from validation.rules.guidance_not_confirmed import GuidanceNotConfirmed
from validation.rules.message_id_reused import MessageIdReused
from validation.rules.missing_nomination_type import MissingNominationType
from validation.rules.missing_nominee_email import MissingNomineeEmail
from validation.rules.missing_nominee_name import MissingNomineeName
from validation.rules.missing_nominee_phone import MissingNomineePhone
from validation.rules.missing_replaced_email import MissingReplacedEmail
from validation.rules.missing_replaced_name import MissingReplacedName
from validation.rules.missing_replaced_phone import MissingReplacedPhone
from validation.rules.no_answer_after_chasers import NoAnswerAfterChasers
from validation.rules.no_sender_address import NoSenderAddress
from validation.rules.nominee_already_in_post import NomineeAlreadyInPost
from validation.rules.nominee_is_sender import NomineeIsSender
from validation.rules.not_a_nomination import NotANomination
from validation.rules.organisation_closed import OrganisationClosed
from validation.rules.organisation_not_recognised import OrganisationNotRecognised
from validation.rules.oversized_message import OversizedMessage
from validation.rules.possible_duplicate_nomination import PossibleDuplicateNomination
from validation.rules.question_for_the_team import QuestionForTheTeam
from validation.rules.replaced_person_not_in_register import ReplacedPersonNotInRegister
from validation.rules.reply_bounced import ReplyBounced
from validation.rules.reply_to_elsewhere import ReplyToElsewhere
from validation.rules.sender_authentication_failed import SenderAuthenticationFailed
from validation.rules.sender_domain_not_allowed import SenderDomainNotAllowed
from validation.rules.unknown_case_reference import UnknownCaseReference
from validation.rules.unparseable_message import UnparseableMessage
from validation.rules.withdrawal import Withdrawal

__all__ = ["RULES", "RegisterFacts", "Rule", "RuleContext", "rule_by_name"]

RULES: tuple[Rule, ...] = (
    # Not a nomination at all: no reply, nothing changes.
    AutoReply(),
    DeliveryFailure(),
    BulkMail(),
    # Doubtful: a person decides.
    UnparseableMessage(),
    OversizedMessage(),
    NoSenderAddress(),
    AttachmentOnly(),
    ContentNotRead(),
    ContradictoryNominationType(),
    AmbiguousReading(),
    SenderDomainNotAllowed(),
    SenderAuthenticationFailed(),
    ReplyToElsewhere(),
    NomineeIsSender(),
    NotANomination(),
    QuestionForTheTeam(),
    UnknownCaseReference(),
    Withdrawal(),
    CorrectionNotApplied(),
    MessageIdReused(),
    PossibleDuplicateNomination(),
    ReplyBounced(),
    NoAnswerAfterChasers(),
    # Cross-record: only when ODS organisations / the roster are loaded ("not checked" else).
    OrganisationNotRecognised(),
    OrganisationClosed(),
    ReplacedPersonNotInRegister(),
    FirstButSpecialistInPost(),
    NomineeAlreadyInPost(),
    CannotAskSender(),
    CannotAcknowledgeSender(),
    # Missing items: ask the sender.
    MissingNominationType(),
    GuidanceNotConfirmed(),
    MissingNomineeName(),
    MissingNomineeEmail(),
    MissingNomineePhone(),
    MissingReplacedName(),
    MissingReplacedEmail(),
    MissingReplacedPhone(),
)


def rule_by_name(name: str) -> Rule:
    """The registered rule called ``name``; raises KeyError if there is none."""
    for rule in RULES:
        if rule.name == name:
            return rule
    raise KeyError(name)
