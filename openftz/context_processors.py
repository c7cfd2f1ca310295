from django.urls import translate_url


def alternate_language(request):
    """The same page in the other language (zh-Hans at /…, English at /en/…), for the language switch."""
    other = "en" if (getattr(request, "LANGUAGE_CODE", "zh-hans") or "").startswith("zh") else "zh-hans"
    return {"alternate_language": other, "alternate_url": translate_url(request.get_full_path(), other)}


def navigation(request):
    """The menu (by layer, only what the user can use) and the breadcrumbs of the page, from core.navigation."""
    from openftz.core.navigation import breadcrumbs, menu

    user = getattr(request, "user", None)
    return {"nav_groups": menu(user, request.path), "nav_crumbs": breadcrumbs(user, request.path)}
