"""The address a request comes from, for login throttling (django-axes' AXES_CLIENT_IP_CALLABLE).

Behind proxies every request reaches Django from the nearest proxy, so REMOTE_ADDR is the proxy's
address and would lock every person together. Each proxy appends the address it received the
request from to `X-Forwarded-For`; the entries a client wrote itself come first and are never
trusted. With `TRUSTED_PROXY_COUNT` proxies (settings; 1 behind nginx alone), the client's address
is the entry the outermost trusted proxy appended: the n-th from the right. Without proxies (0,
the default) the header is ignored. What the header cannot give (too few entries, not an address)
falls back to REMOTE_ADDR.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str | None:
    remote = request.META.get("REMOTE_ADDR")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    entries = [entry.strip() for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    entries = [entry for entry in entries if entry]
    if len(entries) < proxies:
        return remote
    candidate = entries[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
