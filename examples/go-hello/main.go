// A function that is not built on the Kinetic runtime: a Go HTTP server.
//
// It listens on $PORT, answers GET /, echoes WebSocket messages on /echo, and answers 404 anywhere
// else (it has no /readyz or /healthz). On SIGTERM it stops taking connections, lets the requests
// in progress finish and closes its WebSockets as going away. Kinetic's default readiness check, a
// TCP connection to the port, is all it needs.
package main

import (
	"context"
	"encoding/json"
	"log"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"github.com/coder/websocket"
)

// handler answers the greeting on / and echoes WebSockets on /echo until shutdown is done.
func handler(greeting string, shutdown context.Context) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/echo" {
			echo(w, r, shutdown)
			return
		}
		if r.URL.Path != "/" {
			answer(w, http.StatusNotFound, map[string]string{"error": "not_found", "path": r.URL.Path})
			return
		}
		answer(w, http.StatusOK, map[string]string{"message": greeting + " from Go"})
	})
}

// echo accepts a WebSocket and sends each message back as it came, text or binary, until the
// client closes it or the server shuts down.
func echo(w http.ResponseWriter, r *http.Request, shutdown context.Context) {
	conn, err := websocket.Accept(w, r, &websocket.AcceptOptions{
		// Behind Kinetic the Host a pod sees is its own address (the client's is X-Forwarded-Host),
		// so the library's default check, Origin against Host, would refuse every browser. An echo
		// has nothing to protect; a real function lists the origins it serves.
		OriginPatterns: []string{"*"},
	})
	if err != nil {
		return // Accept has answered: not a WebSocket handshake
	}
	defer conn.CloseNow()
	// The library's default is 32 KiB; a larger message would close the socket (1009).
	conn.SetReadLimit(1 << 20)
	finished := make(chan struct{})
	defer close(finished)
	go func() {
		select {
		case <-shutdown.Done():
			conn.Close(websocket.StatusGoingAway, "shutting down")
		case <-finished:
		}
	}()
	for {
		kind, message, err := conn.Read(context.Background())
		if err != nil {
			return // closed by either side, or broken
		}
		if err := conn.Write(context.Background(), kind, message); err != nil {
			return
		}
	}
}

func answer(w http.ResponseWriter, status int, body map[string]string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(body)
}

func main() {
	port := envOr("PORT", "8080")
	greeting := envOr("GREETING", "Hello")
	// The platform gives the request timeout: the longest a request in progress may still need.
	drain := 30 * time.Second
	if s, err := strconv.Atoi(os.Getenv("KINETIC_TIMEOUT_SECONDS")); err == nil && s > 0 {
		drain = time.Duration(s) * time.Second
	}
	// Shutdown does not wait for WebSockets (their connections left the server): they end with it.
	sockets, closeSockets := context.WithCancel(context.Background())
	server := &http.Server{Addr: ":" + port, Handler: handler(greeting, sockets), ReadHeaderTimeout: 10 * time.Second}
	server.RegisterOnShutdown(closeSockets)

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, syscall.SIGINT)
	go func() {
		<-stop
		ctx, cancel := context.WithTimeout(context.Background(), drain)
		defer cancel()
		server.Shutdown(ctx)
	}()
	if err := server.ListenAndServe(); err != http.ErrServerClosed {
		log.Fatal(err)
	}
}

func envOr(name, fallback string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return fallback
}
