# Varnish in front of the portal (Debian's varnish and varnish-modules; README "Deploying").
#
# Keeps what the portal marks as shared (Cache-Control "public", for its s-maxage) for
# anonymous GETs and HEADs: pages, the API, feeds, calendars, the library's public files,
# static files. Passes the admin, previews, and any request with a session or credentials.
# Keys on the URL with its query sorted (the portal answers other spellings with a 301 to it).
# Purged by tag: the portal sends `PURGE /` with an `xkey` header of space-separated tags
# (EDGE_PURGE_URLS=http://<this varnish>:6081), the tags every answer carries in Surrogate-Key.
# Serves a stale copy for 10 s while fetching a fresh one, and for up to 6 hours while the
# portal does not answer its health check.
#
# The portal's address: the one .host/.port pair below. Start:
#   varnishd -a :6081 -f /etc/varnish/default.vcl -s malloc,256m
vcl 4.1;

import std;
import xkey;

backend portal {
    .host = "127.0.0.1";
    .port = "8000";
    .connect_timeout = 2s;
    .first_byte_timeout = 30s;
    .probe = {
        .url = "/healthz";
        .interval = 2s;
        .timeout = 1s;
        .window = 3;
        .threshold = 2;
    }
}

# Who may purge: the portal's machines (app servers and workers).
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Not allowed"));
        }
        if (!req.http.xkey) {
            return (synth(400, "No xkey header"));
        }
        set req.http.n-gone = xkey.purge(req.http.xkey);
        return (synth(200, "Purged " + req.http.n-gone));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    if (req.url ~ "^(/[a-z]{2})?/(admin|preview)(/|$)") {
        return (pass);
    }
    # Staff, and partners with an API key (their rate and daily count are kept by the portal).
    if (req.http.Authorization || req.http.X-API-Key || req.http.Cookie ~ "(^|;\s*)sessionid=") {
        return (pass);
    }
    # An anonymous visitor's other cookies (the CSRF token) change nothing in a shared answer;
    # a page with a form sets its own cookie and is never kept (vcl_backend_response).
    unset req.http.Cookie;
    set req.url = std.querysort(req.url);
    if (std.healthy(req.backend_hint)) {
        set req.grace = 10s;
    }
    return (hash);
}

sub vcl_backend_response {
    # The purge keys: the portal's tags, and one every object has (a purge of everything).
    if (beresp.http.Surrogate-Key) {
        set beresp.http.xkey = beresp.http.Surrogate-Key + " portal";
    } else {
        set beresp.http.xkey = "portal";
    }
    if (bereq.uncacheable) {
        return (deliver);
    }
    # The API's rate headers are the requesting client's: the edge's answers carry none (its
    # hits never reach the portal's limit).
    unset beresp.http.X-RateLimit-Limit;
    unset beresp.http.X-RateLimit-Remaining;
    unset beresp.http.X-RateLimit-Reset;
    if (beresp.http.Set-Cookie
        || beresp.http.Cache-Control !~ "public"
        || beresp.http.Cache-Control ~ "(private|no-store|no-cache)") {
        # Not shared: fetched for each request for a while, not queued behind one another.
        set beresp.uncacheable = true;
        set beresp.ttl = 10s;
        return (deliver);
    }
    if (beresp.ttl <= 0s) {
        # Rendered while a purge happened (s-maxage=0): the requests waiting for it get it,
        # nobody after them.
        set beresp.grace = 0s;
        return (deliver);
    }
    set beresp.grace = 6h;
    return (deliver);
}

sub vcl_deliver {
    if (obj.hits > 0) {
        set resp.http.X-Edge = "hit";
    } else {
        set resp.http.X-Edge = "miss";
    }
    unset resp.http.xkey;
}
