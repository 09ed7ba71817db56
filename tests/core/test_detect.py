"""Language detection on save: real sentences in eight languages, scripts that decide alone, and short or
ambiguous text that gets no answer (the caller falls back)."""

import pytest

from agora.core.detect import detect_language, language_for

SENTENCES = {
    "en": "The community meeting will take place next Tuesday evening in the library.",
    "fr": "La réunion de la communauté aura lieu mardi prochain dans la bibliothèque.",
    "es": "La reunión de la comunidad tendrá lugar el próximo martes en la biblioteca.",
    "ar": "سيعقد اجتماع المجتمع يوم الثلاثاء المقبل في المكتبة.",
    "hi": "समुदाय की बैठक अगले मंगलवार को पुस्तकालय में होगी।",
    "pa": "ਭਾਈਚਾਰੇ ਦੀ ਮੀਟਿੰਗ ਅਗਲੇ ਮੰਗਲਵਾਰ ਨੂੰ ਲਾਇਬ੍ਰੇਰੀ ਵਿੱਚ ਹੋਵੇਗੀ।",
    "ru": "Встреча сообщества состоится в следующий вторник в библиотеке.",
    "zh": "社区会议将于下周二在图书馆举行。",
}


@pytest.mark.parametrize("code, text", list(SENTENCES.items()))
def test_it_detects_real_sentences(code, text):
    assert detect_language(text) == code


@pytest.mark.parametrize(
    "text, code",
    [
        ("ਸਤ ਸ੍ਰੀ ਅਕਾਲ", "pa"),  # Gurmukhi is Punjabi, however short
        ("مرحبا", "ar"),  # Arabic script: Arabic unless the text reads otherwise
        ("नमस्ते", "hi"),  # Devanagari: Hindi unless the text reads otherwise
        ("你好", "zh"),
        ("こんにちは世界", "ja"),
        ("안녕하세요", "ko"),
        ("نشست انجمن سه‌شنبه آینده در کتابخانه برگزار می‌شود.", "fa"),
        ("کمیونٹی کا اجلاس اگلے منگل کو لائبریری میں ہوگا۔", "ur"),
        ("समुदायाची बैठक पुढील मंगळवारी ग्रंथालयात होईल.", "mr"),
    ],
)
def test_the_script_decides_short_texts_and_the_model_moves_them_to_a_sibling(text, code):
    assert detect_language(text) == code


@pytest.mark.parametrize("text", ["ok", "Thanks!", "Привет", "12345 !!! ???", "", "   ", "https://example.org/x @name"])
def test_short_or_ambiguous_text_gets_no_answer(text):
    assert detect_language(text) is None


def test_links_mentions_and_code_do_not_count():
    text = (
        "https://example.org/a/very/long/english/address @someone `print('hello world')` "
        "Merci beaucoup à tous les bénévoles !"
    )
    assert detect_language(text) == "fr"


def test_a_hint_wins_when_the_model_finds_it_nearly_as_likely():
    assert detect_language("Hola amigos, ¿cómo están hoy?", hint="gl") in {"gl", "es"}
    assert detect_language(SENTENCES["en"], hint="fr") == "en"  # a clear text is not moved by a hint


def test_language_for_prefers_the_form_then_the_text_then_the_fallbacks():
    assert language_for("pa", SENTENCES["en"], "fr") == "pa"
    assert language_for("pt_br", "x") == "pt-BR"
    assert language_for("", SENTENCES["ar"], "en") == "ar"
    assert language_for("", "ok", "fr", "en") == "fr"
    assert language_for("", "ok", "not-a-code", "hi") == "hi"
    assert language_for("", "ok") == "en"
