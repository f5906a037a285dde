package storetest

import (
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"testing"
)

// EnvBinDir names the variable with PostgreSQL's server binaries (test.sh sets it).
const EnvBinDir = "PAMPS_TEST_PG_BINDIR"

// Cluster is a private PostgreSQL server a test may stop and start.
type Cluster struct {
	t       *testing.T
	bindir  string
	dir     string
	port    int
	asOwner []string
	URI     string
}

// PrivatePostgres starts a PostgreSQL cluster of the test's own, on a free
// loopback port, removed when the test ends.
func PrivatePostgres(t *testing.T) *Cluster {
	t.Helper()
	bindir := os.Getenv(EnvBinDir)
	if bindir == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not set: fault tests need PostgreSQL's server binaries (./test.sh sets it)", EnvBinDir)
		}
		t.Skipf("%s is not set; run ./test.sh", EnvBinDir)
	}
	c := newCluster(t, bindir)
	c.run("initdb", "-D", filepath.Join(c.dir, "data"), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale", "--no-sync")
	c.listen()
	return c
}

// Standby makes a streaming standby of c with pg_basebackup -R (a copy of
// its data and the settings to follow it) and starts it: a hot standby
// that takes read-only connections.
func (c *Cluster) Standby() *Cluster {
	c.t.Helper()
	s := newCluster(c.t, c.bindir)
	s.run("pg_basebackup", "-h", "127.0.0.1", "-p", strconv.Itoa(c.port), "-U", "postgres",
		"-D", filepath.Join(s.dir, "data"), "-R", "-X", "stream", "--no-sync", "--checkpoint=fast")
	s.listen()
	return s
}

// newCluster makes the cluster's directory, owned by postgres when the
// test runs as root (initdb refuses root).
func newCluster(t *testing.T, bindir string) *Cluster {
	t.Helper()
	dir, err := os.MkdirTemp("", "pamps-cluster")
	if err != nil {
		t.Fatal(err)
	}
	c := &Cluster{t: t, bindir: bindir, dir: dir}
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			t.Fatalf("running as root needs a postgres user: %v", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			t.Fatal(err)
		}
		c.asOwner = []string{"runuser", "-u", "postgres", "--"}
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return c
}

// listen starts the server on a free port, stopped when the test ends.
func (c *Cluster) listen() {
	c.t.Helper()
	// Ports are picked below Linux's ephemeral range (32768+), where an
	// outgoing connection could take one between the check and the bind;
	// a port lost anyway is retried with another.
	err := fmt.Errorf("no free port for PostgreSQL below 32768")
	for range 5 {
		c.port = 20000 + rand.IntN(12000)
		ln, lerr := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", c.port))
		if lerr != nil {
			continue
		}
		ln.Close()
		if err = c.start(); err == nil {
			break
		}
	}
	if err != nil {
		c.t.Fatal(err)
	}
	c.t.Cleanup(func() { c.pgctl("-m", "immediate", "stop") })
	c.URI = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable&connect_timeout=2", c.port)
}

func (c *Cluster) run(bin string, args ...string) {
	c.t.Helper()
	argv := append(append(append([]string{}, c.asOwner...), filepath.Join(c.bindir, bin)), args...)
	out, err := exec.Command(argv[0], argv[1:]...).CombinedOutput()
	if err != nil {
		c.t.Fatalf("%s: %v\n%s", bin, err, out)
	}
}

func (c *Cluster) pgctl(args ...string) {
	argv := append(append(append([]string{}, c.asOwner...), filepath.Join(c.bindir, "pg_ctl"), "-D", filepath.Join(c.dir, "data")), args...)
	exec.Command(argv[0], argv[1:]...).Run()
}

// Start starts the server and waits until it takes connections.
func (c *Cluster) Start() {
	c.t.Helper()
	if err := c.start(); err != nil {
		c.t.Fatal(err)
	}
}

func (c *Cluster) start() error {
	argv := append(append([]string{}, c.asOwner...), filepath.Join(c.bindir, "pg_ctl"), "-D", filepath.Join(c.dir, "data"),
		"-l", filepath.Join(c.dir, "log"), "-w", "start",
		"-o", fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off", c.port, c.dir))
	if out, err := exec.Command(argv[0], argv[1:]...).CombinedOutput(); err != nil {
		log, _ := os.ReadFile(filepath.Join(c.dir, "log"))
		return fmt.Errorf("pg_ctl start on port %d: %v\n%s\n%s", c.port, err, out, log)
	}
	return nil
}

// Stop stops the server (fast mode: clients are disconnected).
func (c *Cluster) Stop() {
	c.t.Helper()
	c.run("pg_ctl", "-D", filepath.Join(c.dir, "data"), "-m", "fast", "-w", "stop")
}
