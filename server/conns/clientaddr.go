package conns

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// maxForwardedHops bounds how far back X-Forwarded-For and Forwarded are
// read: a client may send any number of entries of its own.
const maxForwardedHops = 32

// Trusted are the trusted proxies (Options.TrustedProxies).
type Trusted []netip.Prefix

// ClientAddr is the address of the client a request is from: the peer's,
// unless the peer is one of the trusted proxies, whose forwarding
// headers (Forwarded, else X-Forwarded-For) are then read from the right:
// the first address that is not a trusted proxy is the client. Every limit
// per client counts this address.
func (t Trusted) ClientAddr(r *http.Request) string {
	peer := HostOf(r.RemoteAddr)
	if len(t) == 0 || !t.Contains(peer) {
		return peer
	}
	hops := forwardedFor(r.Header)
	for i := len(hops) - 1; i >= 0 && len(hops)-i <= maxForwardedHops; i-- {
		if !t.Contains(hops[i]) {
			return hops[i]
		}
	}
	if len(hops) > 0 && len(hops) <= maxForwardedHops {
		return hops[0] // every hop is a proxy of ours: the first is the client
	}
	return peer
}

// Contains reports whether addr is one of the trusted proxies.
func (t Trusted) Contains(addr string) bool {
	ip, err := netip.ParseAddr(addr)
	if err != nil {
		return false
	}
	ip = ip.Unmap()
	for _, p := range t {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// forwardedFor lists the addresses a request passed through, the client
// first: RFC 7239 Forwarded's for= when present, else X-Forwarded-For.
// An entry that is not an address (obfuscated, "unknown") ends the list
// there: nothing to its left can be told apart.
func forwardedFor(h http.Header) []string {
	var out []string
	if fwd := h.Values("Forwarded"); len(fwd) > 0 {
		for _, line := range fwd {
			for _, elem := range strings.Split(line, ",") {
				for _, pair := range strings.Split(elem, ";") {
					k, v, ok := strings.Cut(strings.TrimSpace(pair), "=")
					if ok && strings.EqualFold(k, "for") {
						out = append(out, forwardedNode(strings.Trim(v, `"`)))
					}
				}
			}
		}
	} else {
		for _, line := range h.Values("X-Forwarded-For") {
			for _, a := range strings.Split(line, ",") {
				out = append(out, forwardedNode(strings.TrimSpace(a)))
			}
		}
	}
	for i := len(out) - 1; i >= 0; i-- {
		if out[i] == "" {
			return out[i+1:]
		}
	}
	return out
}

// forwardedNode is the address of a Forwarded or X-Forwarded-For node
// ("192.0.2.1", "192.0.2.1:4711", "[2001:db8::1]:4711"), or "" when it is
// none.
func forwardedNode(v string) string {
	if host, _, err := net.SplitHostPort(v); err == nil {
		v = host
	}
	v = strings.Trim(v, "[]")
	ip, err := netip.ParseAddr(v)
	if err != nil {
		return ""
	}
	return ip.Unmap().String()
}

// HostOf is the host of a host:port address (the address itself when it
// has no port).
func HostOf(addr string) string {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	return host
}
