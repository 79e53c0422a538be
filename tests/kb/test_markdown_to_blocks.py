from kb.blocks import markdown_to_blocks


def test_a_fenced_block_becomes_a_code_block_with_its_language():
    blocks = markdown_to_blocks("Try:\n\n```python\nprint('hi')\n```\n\nDone.")

    assert blocks == [
        ("rich_text", "<p>Try:</p>"),
        ("code", {"language": "python", "code": "print('hi')"}),
        ("rich_text", "<p>Done.</p>"),
    ]


def test_an_indented_block_becomes_a_code_block_without_a_language():
    blocks = markdown_to_blocks("Run:\n\n    make test\n")

    assert blocks[1] == ("code", {"language": "", "code": "make test"})


def test_a_fence_info_string_that_is_not_a_language_name_is_dropped():
    blocks = markdown_to_blocks('```"><script>alert(1)</script>\nx\n```')

    assert blocks == [("code", {"language": "", "code": "x"})]


def test_only_the_first_word_of_the_info_string_is_the_language():
    blocks = markdown_to_blocks("```js title=app.js\nlet a = 1\n```")

    assert blocks[0][1]["language"] == "js"


def test_code_inside_a_list_stays_in_the_rich_text():
    blocks = markdown_to_blocks("1. Open a shell:\n\n   ```\n   ls\n   ```\n2. Done\n")

    assert [kind for kind, _ in blocks] == ["rich_text"]
    assert "<pre><code>ls" in blocks[0][1]


def test_text_is_sanitized_like_a_forum_post():
    blocks = markdown_to_blocks("Hi <script>alert(1)</script> [x](javascript:alert(1))")

    html = blocks[0][1]
    assert "<script>" not in html
    assert 'href="javascript' not in html
    assert "&lt;script&gt;" in html


def test_reference_links_work_across_a_code_block():
    source = (
        "See [the docs][d].\n\n```\ncode\n```\n\nAnd [again][d].\n\n[d]: https://example.com/docs"
    )

    blocks = markdown_to_blocks(source)

    assert 'href="https://example.com/docs"' in blocks[0][1]
    assert 'href="https://example.com/docs"' in blocks[2][1]


def test_an_empty_post_makes_no_blocks():
    assert markdown_to_blocks("  \n") == []
