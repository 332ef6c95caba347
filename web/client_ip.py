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


def sender_network(ip: str) -> str:
    """Return what counts as one sender of `ip`: an IPv4 address itself, an IPv6
    address's /64, the least a home or a phone is given (RFC 6177), so that one
    sender cannot take a fresh address per request; "unknown" when there is none.

    For the limits that count readers (comments sent, views counted): with the
    address alone, ten addresses of one /64 were ten readers.
    """
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ip or "unknown"
    if address.version == 4:
        return str(address)
    if address.ipv4_mapped is not None:  # an IPv4 client on a dual-stack socket
        return str(address.ipv4_mapped)
    return str(ipaddress.ip_network(f"{address}/64", strict=False))
