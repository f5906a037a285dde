package store

import (
	"crypto/rand"
	"strings"

	"golang.org/x/crypto/bcrypt"
)

// HashPassword hashes with bcrypt at cost, in the $2b$ form the original
// Pamps (passlib) wrote. $2a$ and $2b$ differ only for passwords over 255
// bytes, and the rules cap passwords at 72.
func HashPassword(password string, cost int) (string, error) {
	h, err := bcrypt.GenerateFromPassword([]byte(password), cost)
	if err != nil {
		return "", err
	}
	return "$2b$" + strings.TrimPrefix(string(h), "$2a$"), nil
}

// checkPassword reports whether password matches hash, in constant time.
func checkPassword(hash, password string) bool {
	return bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) == nil
}

// dummyHash is compared against when the user does not exist, so an unknown
// username costs the same bcrypt work as a wrong password.
func dummyHash(cost int) []byte {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	h, err := bcrypt.GenerateFromPassword(b, cost)
	if err != nil {
		h, _ = bcrypt.GenerateFromPassword(b, bcrypt.DefaultCost)
	}
	return h
}
