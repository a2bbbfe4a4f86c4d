package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
)

func TestRootAnswersTheGreeting(t *testing.T) {
	w := httptest.NewRecorder()
	handler("Hi", context.Background()).ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/", nil))
	if w.Code != http.StatusOK || strings.TrimSpace(w.Body.String()) != `{"message":"Hi from Go"}` {
		t.Fatalf("got %d %q", w.Code, w.Body.String())
	}
}

func TestAnyOtherPathIsNotFoundAsJSON(t *testing.T) {
	for _, path := range []string{"/readyz", "/healthz", "/x"} {
		w := httptest.NewRecorder()
		handler("Hi", context.Background()).ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
		if w.Code != http.StatusNotFound || !strings.Contains(w.Body.String(), `"error":"not_found"`) {
			t.Fatalf("%s: got %d %q", path, w.Code, w.Body.String())
		}
	}
}

func TestEchoSendsEachMessageBackAsItCame(t *testing.T) {
	ctx, conn := dialEcho(t, context.Background())
	conn.SetReadLimit(1 << 20)
	for _, sent := range []struct {
		kind websocket.MessageType
		data string
	}{
		{websocket.MessageText, "ping"},
		{websocket.MessageBinary, "\x00\x01"},
		{websocket.MessageText, strings.Repeat("x", 100_000)}, // over the library's default limit
	} {
		if err := conn.Write(ctx, sent.kind, []byte(sent.data)); err != nil {
			t.Fatal(err)
		}
		kind, data, err := conn.Read(ctx)
		if err != nil || kind != sent.kind || string(data) != sent.data {
			t.Fatalf("sent %v of %d bytes, got %v of %d (%v)", sent.kind, len(sent.data), kind, len(data), err)
		}
	}
}

func TestEchoClosesAsGoingAwayOnShutdown(t *testing.T) {
	shutdown, stop := context.WithCancel(context.Background())
	ctx, conn := dialEcho(t, shutdown)
	stop()
	if _, _, err := conn.Read(ctx); websocket.CloseStatus(err) != websocket.StatusGoingAway {
		t.Fatalf("got %v, want a close with status 1001", err)
	}
}

func TestEchoRefusesAPlainRequest(t *testing.T) {
	w := httptest.NewRecorder()
	handler("Hi", context.Background()).ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/echo", nil))
	if w.Code < 400 || w.Code >= 500 {
		t.Fatalf("got %d %q", w.Code, w.Body.String())
	}
}

// dialEcho opens a WebSocket to /echo of a test server whose sockets end with shutdown; both are
// closed when the test ends, and ctx bounds the test's reads and writes.
func dialEcho(t *testing.T, shutdown context.Context) (context.Context, *websocket.Conn) {
	server := httptest.NewServer(handler("Hi", shutdown))
	t.Cleanup(server.Close)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	conn, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(server.URL, "http")+"/echo", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.CloseNow() })
	return ctx, conn
}
