from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class SchoolLanguageMiddleware(LocaleMiddleware):
    """Russian unless the person chose another language with the switch.

    The browser's Accept-Language is ignored on purpose: a Russian school speaks
    Russian even to a phone set to English; English is one click away.
    """

    def process_request(self, request):
        code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if code not in dict(settings.LANGUAGES):
            code = settings.LANGUAGE_CODE
        translation.activate(code)
        request.LANGUAGE_CODE = translation.get_language()
