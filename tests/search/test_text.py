"""Stemming, language detection, plain text and snippets."""

from search.text import (
    detect_language,
    highlight,
    plain_text,
    query_stems,
    stem,
    stemmed_text,
)


def test_a_query_word_is_stemmed_in_both_languages():
    assert set(query_stems("pembayaran")) == {"pembayaran", "bayar"}
    assert query_stems("billing") == ("bill", "billing")


def test_indonesian_affixes_come_off_the_root():
    assert {stem(w, "id") for w in ["pembayaran", "membayar", "dibayar", "bayarnya"]} == {"bayar"}


def test_english_inflections_share_a_stem():
    assert {stem(w, "en") for w in ["billing", "billed", "bills"]} == {"bill"}


def test_a_text_is_indonesian_when_its_function_words_are():
    assert detect_language("Saya tidak bisa membayar tagihan dengan kartu ini") == "id"
    assert detect_language("I cannot pay the bill with this card") == "en"


def test_a_text_without_function_words_takes_the_default():
    assert detect_language("Modem WiFi reset", default="id") == "id"


def test_stemmed_text_keeps_word_order():
    assert stemmed_text("Billing settings, billed!", "en") == "bill set bill"


def test_plain_text_separates_blocks_and_decodes_entities():
    html = "<p>First&nbsp;line</p><ul><li>one</li><li>two &amp; three</li></ul>"

    assert plain_text(html) == "First line one two & three"


def test_plain_text_drops_private_use_characters():
    assert plain_text("<p>a\ue000b\ue001c</p>") == "a b c"


def test_highlight_marks_every_form_of_a_word_and_escapes_the_rest():
    text = "You were billed <twice> & the billing page is wrong."

    html = highlight(text, "en", query_stems("bill"))

    assert html == (
        "You were <mark>billed</mark> &lt;twice&gt; &amp; the <mark>billing</mark> page is wrong."
    )


def test_highlight_cuts_around_the_densest_matches():
    text = "filler " * 100 + "the router and the modem both reset " + "filler " * 100
    wanted = {*query_stems("router"), *query_stems("modem")}

    html = highlight(text, "en", wanted)

    assert html.startswith("…") and html.endswith("…")
    assert "<mark>router</mark> and the <mark>modem</mark>" in html
    assert len(html) < 320


def test_highlight_without_a_match_shows_the_beginning():
    assert highlight("Nothing to see here", "en", {"zebra"}) == "Nothing to see here"
