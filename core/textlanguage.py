"""Which content language a post is written in: a small stopword count over English and
Bahasa Indonesia, no dependency (docs/i18n.md). Good enough for a screen reader's voice;
the writer can correct it in the form or the API."""

import re

from django.conf import settings

_EN = """
the a an and or but is are was were be been have has had do does did not no i you he she
it we they my your our their this that these those of to in on for with at by from what
when where why how can could should would will there here after before about if then so
just only also again still me
"""
_ID = """
yang dan di ke dari ini itu tidak ada saya aku kamu anda dia kami kita mereka dengan
untuk pada adalah akan sudah belum bisa tapi tetapi atau juga karena jika kalau apa
bagaimana kenapa mengapa kapan dimana sini sana lagi masih hanya saja sangat sekali
setelah sebelum oleh bagi nya sih dong ya tolong mohon gimana
"""
STOPWORDS = {"en": frozenset(_EN.split()), "id": frozenset(_ID.split())}
WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def detect_language(text: str, default: str = "") -> str:
    """The language code whose stopwords `text` uses most, or `default` (else the site's
    language) when neither shows up, or both equally."""
    scores = dict.fromkeys(STOPWORDS, 0)
    for word in WORD.findall((text or "").lower()):
        for code, words in STOPWORDS.items():
            if word in words:
                scores[code] += 1
    ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)
    if ranked[0][1] == 0 or ranked[0][1] == ranked[1][1]:
        return default or settings.LANGUAGE_CODE
    return ranked[0][0]
