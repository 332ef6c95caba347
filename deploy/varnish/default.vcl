vcl 4.1;
# Varnish in front of nginx (or the app servers): caches anonymous pages as their
# Cache-Control allows, and drops every page carrying a surrogate key when the
# site sends `PURGE` with `Surrogate-Key: key1 key2` (ALWAGHT_CDN_PURGE=http,
# ALWAGHT_CDN_PURGE_URLS=http://varnish-host:6081/).

backend site {
    .host = "127.0.0.1";
    .port = "8080";
}

# Who may purge: the app servers.
acl purgers {
    "127.0.0.1";
    "::1";
    "10.0.0.0"/24;
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (!client.ip ~ purgers) {
            return (synth(403, "Forbidden"));
        }
        if (!req.http.Surrogate-Key) {
            return (synth(400, "Surrogate-Key header required"));
        }
        # Keys are [-a-z0-9_%:]: safe inside the regular expression.
        ban("obj.http.Surrogate-Key ~ (^|\s)(" +
            regsuball(req.http.Surrogate-Key, "\s+", "|") + ")(\s|$)");
        return (synth(200, "Banned"));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    if (req.url ~ "^/admin/" || req.http.Authorization) {
        return (pass);
    }
    # Readers' pages set no cookie and read none; a signed-in editor is never cached.
    if (req.http.Cookie ~ "(^|;\s*)sessionid=") {
        return (pass);
    }
    unset req.http.Cookie;
    return (hash);
}

sub vcl_backend_response {
    # Without Cache-Control a page is kept briefly; with it, as it says.
    if (!beresp.http.Cache-Control && !beresp.http.Expires) {
        set beresp.ttl = 60s;
    }
    if (beresp.http.Set-Cookie) {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
    }
}

sub vcl_deliver {
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
    # Keys are for purging, not for readers.
    unset resp.http.Surrogate-Key;
    unset resp.http.Cache-Tag;
}
