"""`EMAIL_URL` → Django's e-mail settings, read by settings.py (no Django import here).

- empty: mail is printed to the console (`make run` works offline);
- `smtp://user:password@host:25`, `smtp+tls://…:587` (STARTTLS), `smtps://…:465` (TLS from the
  start); the user and password are URL-encoded (`%40` for `@`);
- `console://`: the console, named on purpose.
"""

from urllib.parse import unquote, urlsplit

SMTP = "django.core.mail.backends.smtp.EmailBackend"
CONSOLE = "django.core.mail.backends.console.EmailBackend"
_SMTP_SCHEMES = {"smtp": {}, "smtp+tls": {"EMAIL_USE_TLS": True}, "smtps": {"EMAIL_USE_SSL": True}}


def email_settings(url: str) -> dict[str, object]:
    """The settings an EMAIL_URL names; ValueError for a scheme it does not know."""
    if not url or url.startswith("console:"):
        return {"EMAIL_BACKEND": CONSOLE}
    parts = urlsplit(url)
    if parts.scheme not in _SMTP_SCHEMES or not parts.hostname:
        raise ValueError(
            "EMAIL_URL must be smtp://, smtp+tls://, smtps:// (with a host) or console://."
        )
    default_port = {"smtp": 25, "smtp+tls": 587, "smtps": 465}[parts.scheme]
    return {
        "EMAIL_BACKEND": SMTP,
        "EMAIL_HOST": parts.hostname,
        "EMAIL_PORT": parts.port or default_port,
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_TIMEOUT": 10,
        **_SMTP_SCHEMES[parts.scheme],
    }
