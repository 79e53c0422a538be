"""The query language: words, phrases, exclusions and filters."""

import pytest

from search.syntax import ParsedQuery, parse_query


def test_plain_words_are_terms():
    assert parse_query("Reset Router").terms == ("reset", "router")


def test_stop_words_are_left_out_of_the_keywords_but_question_words():
    assert parse_query("how do I reset the router").keywords == ("how", "do", "reset", "router")
    assert parse_query("what is the vpn").keywords == ("what", "is", "vpn")


def test_a_query_of_only_stop_words_keeps_them():
    assert parse_query("and the of").keywords == ("and", "the", "of")


def test_indonesian_function_words_are_left_out_too_but_question_words():
    assert parse_query("bagaimana cara membayar tagihan").keywords == (
        "bagaimana",
        "membayar",
        "tagihan",
    )


def test_a_quoted_phrase_is_kept_whole():
    assert parse_query('"factory reset" photos').phrases == (("factory", "reset"),)


def test_a_quoted_single_word_is_required():
    assert parse_query('"wifi" router').phrases == (("wifi",),)


def test_an_unclosed_quote_runs_to_the_end():
    assert parse_query('router "factory reset').phrases == (("factory", "reset"),)


def test_a_minus_excludes_a_word_or_a_phrase():
    parsed = parse_query('reset -modem -"factory default"')

    assert parsed.excluded == (("modem",), ("factory", "default"))
    assert parsed.terms == ("reset",)


def test_a_lone_minus_is_not_an_exclusion():
    assert parse_query("- modem").terms == ("modem",)


def test_tags_are_slugified_and_deduplicated():
    assert parse_query("tag:Billing tag:#billing tag:Gift-Cards").tags == ("billing", "gift-cards")


@pytest.mark.parametrize(
    ("query", "expected"),
    [("category:routers", ("routers",)), ('category:"Mobile apps"', ("Mobile apps",))],
)
def test_a_category_is_named_by_slug_or_quoted_title(query, expected):
    assert parse_query(query).categories == expected


@pytest.mark.parametrize(
    ("query", "solved"),
    [("is:solved", True), ("is:unsolved", False), ("-is:solved", False), ("-is:unsolved", True)],
)
def test_is_solved_and_is_unsolved_set_the_status(query, solved):
    assert parse_query(query).solved is solved


def test_is_unanswered_and_kinds_are_filters():
    parsed = parse_query("is:unanswered is:answer")

    assert (parsed.unanswered, parsed.kinds) == (True, ("answer",))


def test_unknown_keys_are_read_as_words():
    assert parse_query("error:404 is:purple").terms == ("error", "404", "is", "purple")


def test_urls_are_read_as_words():
    assert parse_query("https://example.com/help").terms == ("https", "example", "com", "help")


def test_filters_alone_make_a_query_without_text():
    parsed = parse_query("tag:billing is:solved")

    assert not parsed.has_text
    assert not parsed.is_empty


def test_an_empty_query_is_empty():
    assert parse_query("   ").is_empty
    assert parse_query("") == ParsedQuery()


def test_a_tag_filter_names_tags_as_posting_does():
    assert parse_query("tag:C++ tag:#c# tag:c").tags == ("cplusplus", "csharp", "c")
