//go:build !unix

package conns

import "net"

// Gone cannot peek at a socket here without waiting: a client that left
// is found at the next write (a ping comes every StreamPing).
func Gone(net.Conn) bool { return false }
