package server_test

import (
	"strings"
	"testing"
)

// A key made once with ssh-keygen -t ed25519, and a 1024-bit RSA key.
const (
	testKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAusgJ61e68XCQzaR55Jej9J9RFbH4hK8s73PeZ6/Q+v ann@laptop"
	weakRSA = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQChU6k7VJD9O8QjcxKEwlKmT2KfXPUg4OmDCzjyZGArBncyXt3ffmlDQAZ7O1HaO17R/zoqjjpoxlTfzt39KyLn333JzXxwqj5WfqbRcNyYf4dgwLuE4XYdRxaPVwqEPQkXDv3cvgHKIjakEn1jQsFpwGhaD35ks/vuQhgUZIv0Zw== weak"
	junkKey = "ssh-ed25519 not-base64!"
)

// TestMyKeys: a member adds, lists and removes SSH keys; a key belongs to
// one account; malformed and weak keys are refused with a 422.
func TestMyKeys(t *testing.T) {
	eachAPI(t, func(t *testing.T, a *api) {
		ann, bob := a.register("ann"), a.register("bob")
		expect(t, "no keys yet", a.do("GET", "/user/me/keys/", nil, ann), 200, `[]`)
		r := a.do("POST", "/user/me/keys/", map[string]string{"public_key": testKey}, ann)
		expect(t, "add", r, 201, "")
		var k struct {
			ID          int64  `json:"id"`
			Fingerprint string `json:"fingerprint"`
			Type        string `json:"type"`
			Comment     string `json:"comment"`
		}
		r.json(t, &k)
		if !strings.HasPrefix(k.Fingerprint, "SHA256:") || k.Type != "ssh-ed25519" || k.Comment != "ann@laptop" {
			t.Fatalf("added key: %+v", k)
		}
		expect(t, "the same key for bob", a.do("POST", "/user/me/keys/", map[string]string{"public_key": testKey}, bob), 409, `{"detail":"This key is already added to an account"}`)
		expect(t, "junk", a.do("POST", "/user/me/keys/", map[string]string{"public_key": junkKey}, ann), 422, "")
		expect(t, "a weak RSA key", a.do("POST", "/user/me/keys/", map[string]string{"public_key": weakRSA}, ann), 422, "")
		expect(t, "no field", a.do("POST", "/user/me/keys/", map[string]string{}, ann), 422, "")
		if r := a.do("GET", "/user/me/keys/", nil, ann); r.status != 200 || !strings.Contains(string(r.body), k.Fingerprint) {
			t.Fatalf("list: %d %s", r.status, r.body)
		}
		id := strings.TrimSpace(strings.Split(strings.Split(string(a.do("GET", "/user/me/keys/", nil, ann).body), `"id":`)[1], ",")[0])
		expect(t, "bob removes ann's key", a.do("DELETE", "/user/me/keys/"+id+"/", nil, bob), 404, `{"detail":"Key not found"}`)
		expect(t, "remove", a.do("DELETE", "/user/me/keys/"+id+"/", nil, ann), 204, "")
		expect(t, "gone", a.do("GET", "/user/me/keys/", nil, ann), 200, `[]`)
		expect(t, "without a token", a.do("GET", "/user/me/keys/", nil, ""), 401, "")
	})
}
