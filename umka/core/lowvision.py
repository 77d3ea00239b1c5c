"""The version for the visually impaired («версия для слабовидящих», ГОСТ Р 52872-2019).

One button in the header switches it on; a panel at the top of every page then sets
the text size in steps, a colour scheme (black on white, white on black, dark blue on
light blue), images on or off, and wider letter and line spacing. The choice is kept
in a cookie — per browser, as the standard asks, and no personal data — and rendered
by the server as classes on `<html>`, so it works without JavaScript and never
flashes the ordinary look first.
"""

from dataclasses import dataclass, replace

from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

COOKIE = "umka_lv"
COOKIE_DAYS = 365

SIZES = {1: _("Normal text"), 2: _("Large text"), 3: _("Very large text")}
SCHEMES = {
    "bw": _("Black on white"),
    "wb": _("White on black"),
    "blue": _("Dark blue on light blue"),
}
SPACINGS = {0: _("Normal"), 1: _("Wider"), 2: _("Widest")}


@dataclass(frozen=True)
class LowVision:
    size: int = 2
    scheme: str = "bw"
    images: bool = True
    letters: int = 0
    lines: int = 0

    def serialise(self) -> str:
        return (
            f"s{self.size}-c{self.scheme}-i{int(self.images)}"
            f"-l{self.letters}-h{self.lines}"
        )

    @classmethod
    def parse(cls, raw: str | None) -> "LowVision | None":
        """The settings in a cookie, or None when off; unknown values are defaults."""
        if not raw:
            return None
        values = {part[:1]: part[1:] for part in raw.split("-") if part}
        default = cls()
        return cls(
            size=_choice(values.get("s"), SIZES, default.size, int),
            scheme=_choice(values.get("c"), SCHEMES, default.scheme, str),
            images=values.get("i", "1") != "0",
            letters=_choice(values.get("l"), SPACINGS, default.letters, int),
            lines=_choice(values.get("h"), SPACINGS, default.lines, int),
        )

    def changed(self, change: str) -> "LowVision":
        """`change` is one of the panel's buttons: «size=3», «scheme=wb», «images=0»…"""
        key, _sep, value = change.partition("=")
        parsers = {
            "size": (SIZES, int),
            "scheme": (SCHEMES, str),
            "letters": (SPACINGS, int),
            "lines": (SPACINGS, int),
        }
        if key == "images":
            return replace(self, images=value != "0")
        if key in parsers:
            choices, kind = parsers[key]
            return replace(
                self, **{key: _choice(value, choices, getattr(self, key), kind)}
            )
        return self

    @property
    def html_classes(self) -> str:
        classes = [
            "lv",
            f"lv-size-{self.size}",
            f"lv-scheme-{self.scheme}",
            f"lv-letters-{self.letters}",
            f"lv-lines-{self.lines}",
        ]
        if not self.images:
            classes.append("lv-no-images")
        return " ".join(classes)


def _choice(value, choices, default, kind):
    try:
        value = kind(value)
    except (TypeError, ValueError):
        return default
    return value if value in choices else default


def from_request(request) -> LowVision | None:
    return LowVision.parse(request.COOKIES.get(COOKIE))


def low_vision(request):
    """Context processor: `low_vision`, the settings or None for the ordinary look."""
    return {"low_vision": from_request(request)}


def _back(request):
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    return target


@require_http_methods(["GET", "POST"])
def settings_view(request):
    """GET: the page with every setting; POST: switch on, change one setting or off."""
    current = from_request(request)
    if request.method == "GET":
        return render(
            request,
            "core/low_vision.html",
            {
                "settings": current or LowVision(),
                "sizes": SIZES,
                "schemes": SCHEMES,
                "spacings": SPACINGS,
                "next": _back(request),
            },
        )
    change = request.POST.get("change", "on")
    response = HttpResponseRedirect(_back(request))
    if change == "off":
        response.delete_cookie(COOKIE, samesite="Lax")
        return response
    chosen = (current or LowVision()).changed(change)
    response.set_cookie(
        COOKIE,
        chosen.serialise(),
        max_age=COOKIE_DAYS * 24 * 3600,
        samesite="Lax",
        httponly=True,
        secure=request.is_secure(),
    )
    return response
