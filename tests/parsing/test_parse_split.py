"""split_body on literal bodies: new text, signature, quoted history, forwarded message."""

from __future__ import annotations

from parsing.text import split_body


def test_no_history_no_signature() -> None:
    b = split_body("Our new PSS is Priya Shah.")
    assert (b.new, b.signature, b.quoted, b.forwarded) == ("Our new PSS is Priya Shah.", "", "", "")
    assert b.full == "Our new PSS is Priya Shah."


def test_outlook_from_sent_block() -> None:
    text = (
        "Her number is 07700 900123.\n"
        "\n"
        "Kind regards,\n"
        "Helen\n"
        "\n"
        "From: PSS Nominations <pss.nominations@england.example>\n"
        "Sent: 27 January 2025 09:01\n"
        "To: Marsh, Helen <helen.marsh@nhs.net>\n"
        "Subject: [PSS-000198] More information needed\n"
        "\n"
        "Please send the nominee's phone number.\n"
    )
    b = split_body(text)
    assert b.new == "Her number is 07700 900123."
    assert b.signature == "Kind regards,\nHelen"
    assert b.quoted.startswith("From: PSS Nominations")
    assert b.quoted.endswith("Please send the nominee's phone number.")
    assert b.forwarded == ""


def test_underscore_rule_before_outlook_block() -> None:
    text = (
        "Yes, that is right.\n"
        "\n"
        "________________________________\n"
        "From: Team <team@england.example>\n"
        "Sent: Monday, 3 February 2025 10:00\n"
        "To: Helen Marsh\n"
        "Subject: Query\n"
        "\n"
        "Is Priya starting in May?"
    )
    b = split_body(text)
    assert b.new == "Yes, that is right."
    assert b.quoted.startswith("________________________________\nFrom: Team")
    assert "Is Priya starting in May?" in b.quoted


def test_original_message_marker() -> None:
    text = (
        "Corrected email: priya.shah@nhs.net\n"
        "\n"
        "-----Original Message-----\n"
        "From: Team\n"
        "Sent: 3 February 2025\n"
        "Subject: Query\n"
        "\n"
        "Which email?"
    )
    b = split_body(text)
    assert b.new == "Corrected email: priya.shah@nhs.net"
    assert b.quoted.startswith("-----Original Message-----")


def test_gmail_on_wrote_wrapped_with_angle_quotes() -> None:
    text = (
        "The phone is 020 7946 0123.\n"
        "\n"
        "On Mon, 3 Feb 2025 at 10:00, PSS Nominations <pss.nominations@england.example>\n"
        "wrote:\n"
        "\n"
        "> Please send the phone number.\n"
        "> Thanks\n"
    )
    b = split_body(text)
    assert b.new == "The phone is 020 7946 0123."
    assert b.quoted.startswith("On Mon, 3 Feb 2025")
    assert "> Please send the phone number." in b.quoted
    assert "Thanks" not in b.new


def test_gmail_on_wrote_single_line() -> None:
    b = split_body("Done.\n\nOn 3 Feb 2025, Team wrote:\n> old text")
    assert b.new == "Done."
    assert b.quoted == "On 3 Feb 2025, Team wrote:\n> old text"


def test_bottom_posted_answer_below_quote_is_new() -> None:
    text = "> What is her phone number?\n\n07700 900456\n\nThanks\nHelen"
    b = split_body(text)
    assert b.new == "07700 900456"
    assert b.signature == "Thanks\nHelen"
    assert b.quoted == "> What is her phone number?"


def test_sent_from_my_iphone() -> None:
    b = split_body("Nominee: Priya Shah, 07700 900123\n\nSent from my iPhone")
    assert b.new == "Nominee: Priya Shah, 07700 900123"
    assert b.signature == "Sent from my iPhone"


def test_get_outlook_for_android() -> None:
    b = split_body("PSS is Ahmed Raza.\n\nGet Outlook for Android")
    assert b.new == "PSS is Ahmed Raza."
    assert b.signature == "Get Outlook for Android"


def test_dash_dash_signature_separator() -> None:
    b = split_body("Nominee details below.\nName: Priya Shah\n-- \nHelen Marsh\n0113 496 0100")
    assert b.new == "Nominee details below.\nName: Priya Shah"
    assert b.signature == "-- \nHelen Marsh\n0113 496 0100"


def test_thanks_inside_a_sentence_does_not_start_signature() -> None:
    text = (
        "Thanks for your email. Priya Shah is our PSS, thanks to the board.\n"
        "Email: priya.shah@nhs.net\n"
        "\n"
        "Regards,\n"
        "Helen"
    )
    b = split_body(text)
    assert b.new.endswith("Email: priya.shah@nhs.net")
    assert b.new.startswith("Thanks for your email.")
    assert b.signature == "Regards,\nHelen"


def test_signoff_followed_by_nomination_prose_is_not_a_signature() -> None:
    text = (
        "Hello,\n"
        "\n"
        "Thanks,\n"
        "\n"
        "We are nominating Priya Shah as our Patient Safety Specialist from 1 May 2025.\n"
        "Email: priya.shah@nhs.net\n"
        "\n"
        "Best wishes,\n"
        "Helen\n"
        "0113 496 0100"
    )
    b = split_body(text)
    assert "We are nominating Priya Shah" in b.new
    assert "priya.shah@nhs.net" in b.new
    assert b.signature == "Best wishes,\nHelen\n0113 496 0100"


def test_signoff_with_name_on_the_same_line() -> None:
    b = split_body("Details attached.\nKind regards, Helen Marsh\nChief Nurse")
    assert b.new == "Details attached."
    assert b.signature == "Kind regards, Helen Marsh\nChief Nurse"


def test_disclaimer_without_signoff() -> None:
    text = (
        "Name: Priya Shah\n"
        "\n"
        "**********************************************\n"
        "This message may contain confidential information.\n"
        "NHSmail is the secure email and directory service available for all NHS staff."
    )
    b = split_body(text)
    assert b.new == "Name: Priya Shah"
    assert b.signature.startswith("*****")
    assert "NHSmail is the secure email" in b.signature


def test_name_block_of_the_sender_without_signoff() -> None:
    text = (
        "Our first PSS is Ciarán Doherty.\n"
        "\n"
        "Paula\n"
        "\n"
        "Paula Hargreaves\n"
        "Director of Nursing\n"
        "Fellside Community Health NHS Trust"
    )
    b = split_body(text, sender_names=["Hargreaves, Paula"])
    assert b.new == "Our first PSS is Ciarán Doherty."
    assert b.signature.startswith("Paula\n\nPaula Hargreaves")
    # Without the sender's name a name block is not guessed at (it may be the nominee's).
    assert split_body(text).signature == ""


def test_nominee_block_is_not_mistaken_for_the_sender_signature() -> None:
    text = "Our PSS will be:\n\nPriya Shah\nHead of Patient Safety\n07700 900123"
    b = split_body(text, sender_names=["Helen Marsh"])
    assert "Priya Shah" in b.new
    assert b.signature == ""


def test_forwarded_message_block_with_nothing_above() -> None:
    text = (
        "FYI\n"
        "\n"
        "---------- Forwarded message ---------\n"
        "From: Helen Marsh <helen.marsh@nhs.net>\n"
        "Date: Mon, 3 Feb 2025 at 09:00\n"
        "Subject: PSS nomination\n"
        "To: Joanne Firth <joanne.firth@nhs.net>\n"
        "\n"
        "Our new Patient Safety Specialist is Priya Shah, priya.shah@nhs.net.\n"
        "\n"
        "Kind regards,\n"
        "Helen\n"
    )
    b = split_body(text)
    assert b.new == "FYI"
    assert b.quoted.startswith("---------- Forwarded message ---------")
    assert b.forwarded.startswith("From: Helen Marsh <helen.marsh@nhs.net>")
    assert "priya.shah@nhs.net" in b.forwarded
    assert b.forwarded.endswith("Kind regards,\nHelen")


def test_forward_with_substance_above_is_not_marked_forwarded() -> None:
    text = (
        "Our PSS is Priya Shah, 07700 900123, priya.shah@nhs.net.\n"
        "\n"
        "Begin forwarded message:\n"
        "\n"
        "From: Someone <someone@nhs.net>\n"
        "Subject: old\n"
        "Date: 1 February 2025\n"
        "\n"
        "old text"
    )
    b = split_body(text)
    assert b.forwarded == ""
    assert b.quoted.startswith("Begin forwarded message:")


def test_outlook_fw_block_is_a_forward() -> None:
    text = (
        "Please see below.\n"
        "\n"
        "From: Helen Marsh <helen.marsh@nhs.net>\n"
        "Sent: 03 February 2025 09:00\n"
        "To: Joanne Firth <joanne.firth@nhs.net>\n"
        "Subject: PSS nomination\n"
        "\n"
        "Priya Shah (priya.shah@nhs.net) is our PSS.\n"
        "\n"
        "From: Joanne Firth <joanne.firth@nhs.net>\n"
        "Sent: 02 February 2025 09:00\n"
        "To: Helen Marsh <helen.marsh@nhs.net>\n"
        "Subject: question\n"
        "\n"
        "Who is the PSS?"
    )
    b = split_body(text, subject="FW: PSS nomination")
    assert b.new == "Please see below."
    assert b.forwarded.startswith("From: Helen Marsh")
    assert "Priya Shah (priya.shah@nhs.net) is our PSS." in b.forwarded
    # The forwarded message's own history is not part of it.
    assert "Who is the PSS?" not in b.forwarded
    assert "Who is the PSS?" in b.quoted
    # A reply (not FW:) with the same layout has no forwarded text.
    assert split_body(text, subject="RE: PSS nomination").forwarded == ""


def test_forward_of_a_forward_reaches_the_nomination() -> None:
    text = (
        "FYI\n"
        "\n"
        "---------- Forwarded message ---------\n"
        "From: Joanne Firth <joanne.firth@nhs.net>\n"
        "Subject: Fwd: PSS\n"
        "\n"
        "See below\n"
        "\n"
        "---------- Forwarded message ---------\n"
        "From: Helen Marsh <helen.marsh@nhs.net>\n"
        "Subject: PSS\n"
        "\n"
        "Priya Shah, priya.shah@nhs.net, 07700 900123"
    )
    b = split_body(text)
    assert b.forwarded.startswith("From: Helen Marsh")
    assert b.forwarded.endswith("07700 900123")


def test_empty_text() -> None:
    b = split_body("")
    assert (b.full, b.new, b.signature, b.quoted, b.forwarded) == ("", "", "", "", "")


def test_pathological_lines_are_fast() -> None:
    import time

    from parsing.text import normalise_text

    texts = [
        " " * 100000 + "x",
        "From:" + " " * 100000 + "x",
        "hello\nThanks" + " " * 50000 + "x",
        "a" * 500000,
        "hello\n" + "Thanks\n" * 30000 + "We nominate Priya Shah as our PSS from 1 May 2025.",
        "> a\nb\n" * 20000,
    ]
    start = time.monotonic()
    for text in texts:
        split_body(normalise_text(text), sender_names=["Helen Marsh"])
    assert time.monotonic() - start < 10


def test_lone_first_name_of_the_sender_after_the_text() -> None:
    text = "Naledi's direct line is 0113 496 0629 ext. 2214.\n\nMartin"
    b = split_body(text, sender_names=["DRAKE, Martin (HOLMEWOOD HOSPITALS NHS TRUST)"])
    assert b.new == "Naledi's direct line is 0113 496 0629 ext. 2214."
    assert b.signature == "Martin"
    iphone = split_body(
        "Her email is g.t@nhs.net.\n\nOmar\n\nSent from my iPhone", sender_names=["Omar Haddad"]
    )
    assert iphone.new == "Her email is g.t@nhs.net."
    assert iphone.signature == "Omar\n\nSent from my iPhone"


_OWN_WITH_DETAILS = "Please see below. Any queries contact me on 07700 900700 or h.marsh@nhs.net."
_FORWARD = (
    "From: Raj Mehta <raj.mehta@northshire.nhs.uk>\nSent: 10 January 2025 16:02\n"
    "To: Helen Marsh <helen.marsh@northshire.nhs.uk>\nSubject: {subject}\n\n"
    "Could you send it to Carla Mendes (carla.mendes@northshire.nhs.uk, 07700 900333)?\n"
)


def test_a_forward_pointed_to_is_read_only_in_a_message_about_the_pss() -> None:
    # The sender's own text has details of its own, so only "see below" can bring the forward
    # in: for "FW: PSS" it does, for "FW: rota for February" it does not.
    pss = split_body(_OWN_WITH_DETAILS + "\n\n" + _FORWARD.format(subject="PSS"),
                     subject="FW: PSS")
    rota = split_body(_OWN_WITH_DETAILS + "\n\n" + _FORWARD.format(subject="rota for February"),
                      subject="FW: rota for February")
    assert "Carla Mendes" in pss.forwarded
    assert rota.forwarded == ""


def test_on_wrote_over_an_unmarked_quote_is_all_history() -> None:
    # No ">" below the attribution: the old nomination there is history, not new text, so its
    # old number cannot outvote the correction above it.
    text = ("Sorry, her mobile is actually 07700 900527\n\n"
            "On Mon, 3 Mar 2025 at 10:00, Rhodri Bevan <rhodri.bevan@llanfairvale.nhs.uk> wrote:\n"
            "Dear team,\n\nName: Delyth Morgan-Ash\nMobile: 07700 900521\n")
    body = split_body(text)
    assert body.new == "Sorry, her mobile is actually 07700 900527"
    assert body.quoted.startswith("On Mon, 3 Mar 2025 at 10:00, Rhodri Bevan")
    assert body.quoted.endswith("Mobile: 07700 900521")
