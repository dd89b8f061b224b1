"""html_to_text: the text shapes field extraction relies on."""

from __future__ import annotations

from parsing.html import html_to_text


def test_outlook_paragraphs_blank_lines_and_nbsp() -> None:
    html = (
        '<p class="MsoNormal">Dear colleagues,<o:p></o:p></p>'
        '<p class="MsoNormal"><o:p>&nbsp;</o:p></p>'
        '<p class="MsoNormal">Zo&euml; is our PSS &ndash; she\u2019s great.<o:p></o:p></p>'
    )
    assert html_to_text(html) == "Dear colleagues,\n\nZoë is our PSS – she’s great."


def test_style_head_comments_and_conditional_comments_are_dropped() -> None:
    html = (
        "<html><head><title>t</title><style>p {color:red}</style></head><body>"
        "<!--[if gte mso 9]><xml><o:OfficeDocumentSettings/></xml><![endif]-->"
        "<![if !supportLists]><span>1.</span><![endif]>Item"
        '<div style="display:none">preheader</div><script>alert(1)</script></body></html>'
    )
    assert html_to_text(html) == "1.Item"


def test_links_show_their_text_and_mailto_its_address() -> None:
    html = (
        '<p>See <a href="https://example.org/x">the guidance</a>.</p>'
        '<p><a href="mailto:priya.shah@nhs.net">priya.shah@nhs.net</a></p>'
        '<p>Contact <a href="mailto:Priya.Shah@nhs.net?subject=PSS">Priya Shah</a></p>'
        '<p><a href="https://example.org"><img src="logo.png" alt="logo"></a></p>'
    )
    assert html_to_text(html) == (
        "See the guidance.\npriya.shah@nhs.net\nContact Priya Shah <Priya.Shah@nhs.net>"
    )


def test_outlook_table_rows_are_single_lines() -> None:
    html = (
        '<table class="MsoTableGrid">'
        '<tr><td><p class="MsoNormal"><b>Name</b><o:p></o:p></p></td>'
        '<td><p class="MsoNormal">Priya Shah<o:p></o:p></p></td></tr>'
        '<tr><td><p class="MsoNormal">Telephone:</p></td>'
        '<td><p class="MsoNormal">07700&nbsp;900123</p><p>ext 4905</p></td></tr>'
        "<tr><td>Band</td><td></td><td>8b</td></tr>"
        "</table>"
    )
    assert html_to_text(html) == (
        "Name | Priya Shah\nTelephone: 07700 900123 / ext 4905\nBand | 8b"
    )


def test_table_with_a_column_per_person_keeps_empty_cells_in_place() -> None:
    html = (
        "<table><tr><td></td><td>New PSS</td><td>Outgoing PSS</td></tr>"
        "<tr><td>Name</td><td>Jacob Ede</td><td>Patricia Hall</td></tr>"
        "<tr><td>Phone</td><td>07700 900111</td><td></td></tr>"
        "<tr><td>Band</td><td></td><td>8c</td></tr></table>"
    )
    assert html_to_text(html) == (
        "- | New PSS | Outgoing PSS\nName | Jacob Ede | Patricia Hall\n"
        "Phone | 07700 900111 | -\nBand | - | 8c"
    )


def test_layout_table_flows_as_lines() -> None:
    html = (
        "<table><tr><td><img src=logo.png></td><td>"
        "Helen Marsh<br>Chief Nurse<br>Northshire<br>0113 496 0100</td></tr></table>"
    )
    assert html_to_text(html) == "Helen Marsh\nChief Nurse\nNorthshire\n0113 496 0100"


def test_no_markdown_escapes_or_emphasis() -> None:
    html = "<p><b>1.</b> first</p><p>- dash</p><p>+44 7700 900123</p><h2>Heading</h2><p>a_b*c</p>"
    assert html_to_text(html) == "1. first\n- dash\n+44 7700 900123\nHeading\na_b*c"


def test_lists_blockquote_and_rule() -> None:
    html = (
        "<ul><li>one</li><li>two</li></ul><ol><li>first</li></ol>"
        "<hr><blockquote>old<br>text</blockquote>"
    )
    assert html_to_text(html) == "  - one\n  - two\n\n  1. first\n\n" + "_" * 32 + "\n> old\n> text"


def test_empty_and_unparseable() -> None:
    assert html_to_text("") == ""
    assert html_to_text("   ") == ""
    assert html_to_text("<html></html>") == ""


def test_hostile_nesting_keeps_the_words() -> None:
    assert html_to_text("<div>" * 100000 + "Priya") == "Priya"
    assert html_to_text("<table><tr><td>" * 3000 + "deep").endswith("deep")
