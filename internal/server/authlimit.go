package server

import (
	"container/list"
	"net/netip"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Defaults of the failed-authentication limit.
const (
	// DefaultAuthFailuresPerMinute is how many wrong API keys one client
	// address may send in a row, and then how many a minute.
	DefaultAuthFailuresPerMinute = 10
	// maxAuthAddrs bounds the addresses remembered (about 100 bytes each).
	maxAuthAddrs = 10_000
)

// authFailures limits wrong API keys per client address with a token
// bucket (rate.Limiter, as the request limits use), so that keys cannot be guessed at line rate. Only failures make
// an entry: a client that sends a right key, or none, is never in the
// table, so a flood of wrong keys from many addresses can fill it but
// cannot lock out anyone else. When it is full the address that failed
// least recently is forgotten, which only helps an attacker who already
// owns that many addresses.
type authFailures struct {
	perMinute int
	max       int
	now       func() time.Time

	mu    sync.Mutex
	addrs map[string]*list.Element // of *authState
	lru   list.List                // front: most recently seen
}

type authState struct {
	addr string
	lim  *rate.Limiter // perMinute a minute, burst perMinute, full when new
}

func newAuthFailures(perMinute, maxAddrs int, now func() time.Time) *authFailures {
	return &authFailures{perMinute: perMinute, max: maxAddrs, now: now, addrs: map[string]*list.Element{}}
}

// blocked reports whether addr has used up its failures and, if so, how
// long until it may try again. An address that keeps knocking while
// blocked stays remembered.
func (a *authFailures) blocked(addr string) (time.Duration, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	el, ok := a.addrs[addr]
	if !ok {
		return 0, false
	}
	st := el.Value.(*authState)
	a.lru.MoveToFront(el)
	tokens := st.lim.TokensAt(a.now())
	if tokens >= 1 {
		return 0, false
	}
	wait := (1 - tokens) * 60 / float64(a.perMinute)
	return time.Duration(wait * float64(time.Second)), true
}

// fail records a wrong key from addr.
func (a *authFailures) fail(addr string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	now := a.now()
	a.forgetRecovered(now)
	el, ok := a.addrs[addr]
	if !ok {
		if a.lru.Len() >= a.max {
			oldest := a.lru.Back()
			delete(a.addrs, oldest.Value.(*authState).addr)
			a.lru.Remove(oldest)
		}
		el = a.lru.PushFront(&authState{addr: addr, lim: rate.NewLimiter(rate.Limit(float64(a.perMinute)/60), a.perMinute)})
		a.addrs[addr] = el
	}
	// A blocked address is answered 429 before its key is read, so a
	// failure always finds a token to take.
	el.Value.(*authState).lim.AllowN(now, 1)
	a.lru.MoveToFront(el)
}

// forgetRecovered drops, from the least recently seen end, addresses
// whose bucket is full again: they are as good as never seen.
func (a *authFailures) forgetRecovered(now time.Time) {
	for el := a.lru.Back(); el != nil; el = a.lru.Back() {
		st := el.Value.(*authState)
		if st.lim.TokensAt(now) < float64(a.perMinute) {
			return
		}
		delete(a.addrs, st.addr)
		a.lru.Remove(el)
	}
}

// addrKey is the unit an address is limited by: the IPv4 address, or the
// /64 of an IPv6 one, since one host usually holds a whole /64.
func addrKey(host string) string {
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return host
	}
	ip = ip.Unmap()
	if ip.Is4() {
		return ip.String()
	}
	p, err := ip.WithZone("").Prefix(64)
	if err != nil {
		return ip.String()
	}
	return p.String()
}
