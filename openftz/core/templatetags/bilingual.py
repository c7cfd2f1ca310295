"""Text in the page's other language, marked with ``lang`` so that screen readers, fonts and search read it right.

``{{ text|zh }}`` marks Chinese text on an English page, ``{{ text|en }}`` English text on a Chinese page, and
``{% pick zh_text en_text %}`` shows a name in the page's language where one exists (an English page falls back to the
Chinese name, marked).
"""
import re

from django import template
from django.utils.html import format_html
from django.utils.translation import get_language

register = template.Library()


def _english() -> bool:
    return (get_language() or "").startswith("en")


@register.filter
def zh(text):
    """Chinese text: marked ``lang="zh-Hans"`` on an English page."""
    if text in (None, ""):
        return ""
    return format_html('<span lang="zh-Hans">{}</span>', text) if _english() else text


@register.filter
def en(text):
    """English text: marked ``lang="en"`` on a Chinese page."""
    if text in (None, ""):
        return ""
    return text if _english() else format_html('<span lang="en">{}</span>', text)


@register.simple_tag
def pick(zh_text, en_text=""):
    """The name in the page's language: the English one on an English page where there is one, else the Chinese."""
    if _english():
        return en_text if en_text else zh(zh_text)
    return zh_text


_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@register.filter
def auto(text):
    """Text of unknown language (a user's query, a name as given): marked by its script where it is foreign."""
    if text in (None, ""):
        return ""
    return zh(text) if _CJK.search(str(text)) else en(text)
