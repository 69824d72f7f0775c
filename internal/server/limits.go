package server

import (
	"net/http"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// clientLimits holds each client's token bucket and count of requests in
// flight. A client is its API key's user, or its remote IP without keys.
type clientLimits struct {
	perMinute, burst, concurrent int
	now                          func() time.Time

	mu      sync.Mutex
	clients map[string]*clientState
	swept   time.Time
}

type clientState struct {
	bucket *rate.Limiter
	active int
	seen   time.Time
}

// idleAfter is when an idle client's state is forgotten.
const idleAfter = 10 * time.Minute

// defaultBurst is the burst of a rate of perMinute requests a minute when
// server.burst is not set: a third of a minute's worth, so that the burst
// grows with the rate, but never less than the whole rate up to 20 a
// minute (what it was before it scaled).
func defaultBurst(perMinute int) int {
	return max(1, min(perMinute, 20), perMinute/3)
}

// newClientLimits allows each client perMinute requests a minute, burst of
// them at once (defaultBurst when burst <= 0), and concurrent in flight.
func newClientLimits(perMinute, burst, concurrent int, now func() time.Time) *clientLimits {
	if burst <= 0 {
		burst = defaultBurst(perMinute)
	}
	return &clientLimits{perMinute: perMinute, burst: burst, concurrent: concurrent, now: now, clients: map[string]*clientState{}, swept: now()}
}

// acquire admits one request or says why not (and when to retry).
func (l *clientLimits) acquire(client string) (release func(), reason string, retry time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.sweep(now)
	c, ok := l.clients[client]
	if !ok {
		c = &clientState{bucket: rate.NewLimiter(rate.Limit(float64(l.perMinute)/60), l.burst)}
		l.clients[client] = c
	}
	c.seen = now
	if c.active >= l.concurrent {
		return nil, "too many requests in flight from this client (limit " + strconv.Itoa(l.concurrent) + ")", time.Second
	}
	res := c.bucket.ReserveN(now, 1)
	if delay := res.DelayFrom(now); delay > 0 {
		res.CancelAt(now)
		return nil, "rate limit: at most " + strconv.Itoa(l.perMinute) + " requests a minute", delay
	}
	c.active++
	var once sync.Once
	return func() {
		once.Do(func() {
			l.mu.Lock()
			c.active--
			l.mu.Unlock()
		})
	}, "", 0
}

func (l *clientLimits) sweep(now time.Time) {
	if now.Sub(l.swept) < time.Minute {
		return
	}
	l.swept = now
	for k, c := range l.clients {
		if c.active == 0 && now.Sub(c.seen) > idleAfter {
			delete(l.clients, k)
		}
	}
}

// limit applies the client's rate and concurrency limits.
func (s *Server) limit(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		release, reason, retry := s.limits.acquire(s.clientID(r))
		if release == nil {
			s.metrics.limited()
			writeStatusError(w, &statusError{status: http.StatusTooManyRequests, code: "rate_limited", msg: reason, retryAfter: retry})
			return
		}
		defer release()
		next.ServeHTTP(w, r)
	})
}
