import ipaddress

from django.conf import settings


def client_ip(request) -> str:
    """Return the reader's address: the connection's, or the one a trusted proxy saw.

    With DJANGO_TRUSTED_PROXIES=N, the address N hops from the right of
    X-Forwarded-For is used; the rest of that header is the client's to forge.
    """
    proxies = settings.TRUSTED_PROXIES
    if proxies:
        hops = [hop.strip() for hop in request.headers.get("X-Forwarded-For", "").split(",")]
        hops = [hop for hop in hops if hop]
        if len(hops) >= proxies:
            try:
                return str(ipaddress.ip_address(hops[-proxies]))
            except ValueError:
                pass
    return request.META.get("REMOTE_ADDR", "")
