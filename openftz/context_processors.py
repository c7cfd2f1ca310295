from django.urls import translate_url


def alternate_language(request):
    """The same page in the other language (zh-Hans at /…, English at /en/…), for the language switch."""
    other = "en" if (getattr(request, "LANGUAGE_CODE", "zh-hans") or "").startswith("zh") else "zh-hans"
    return {"alternate_language": other, "alternate_url": translate_url(request.get_full_path(), other)}
