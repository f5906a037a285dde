//go:build unix

package conns

import (
	"net"
	"syscall"
)

// Gone reports, without waiting, whether the client closed its end: a
// stream's client sends nothing, so a readable connection is at its end
// (or sent something it should not have).
func Gone(c net.Conn) bool {
	sc, ok := rawConn(c).(syscall.Conn)
	if !ok {
		return false
	}
	raw, err := sc.SyscallConn()
	if err != nil {
		return true
	}
	closed := false
	var b [1]byte
	err = raw.Read(func(fd uintptr) bool {
		n, _, err := syscall.Recvfrom(int(fd), b[:], syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
		closed = err == nil || (err != syscall.EAGAIN && err != syscall.EWOULDBLOCK) || n > 0
		return true // never wait
	})
	return closed || err != nil
}
