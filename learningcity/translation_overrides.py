"""Django's own messages whose Vietnamese is missing or misleading in Django's catalogue.

Listed here (never called) so that `makemessages` copies them into locale/vi/LC_MESSAGES/django.po;
translations under LOCALE_PATHS take precedence over Django's, so the forms of the portal then
speak Vietnamese even when someone sends what no page offers (a NUL byte, a forged id).
"""

from django.utils.translation import gettext_noop, ngettext_lazy

DJANGO_MESSAGES = (
    # Every CharField refuses a NUL byte; Django has no Vietnamese for the message.
    gettext_noop("Null characters are not allowed."),
    # A forged id in a multiple choice (ModelMultipleChoiceField); no Vietnamese either.
    gettext_noop("“%(pk)s” is not a valid value."),
    # Django's Vietnamese says "số tổng thể" (an overall number) for a whole number.
    gettext_noop("Enter a whole number."),
    # The password validators (a temporary password set by an administrator, a password change):
    # Django has no Vietnamese for these two.
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        "min_length",
    ),
    ngettext_lazy(
        "Your password must contain at least %(min_length)d character.",
        "Your password must contain at least %(min_length)d characters.",
        "min_length",
    ),
)
