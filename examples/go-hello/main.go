// A function that is not built on the Kinetic runtime: a Go HTTP server, standard library only.
//
// It listens on $PORT, answers GET / and 404 anywhere else (it has no /readyz or /healthz), and on
// SIGTERM stops taking connections and lets the requests in progress finish. Kinetic's default
// readiness check, a TCP connection to the port, is all it needs.
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
)

func handler(greeting string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			answer(w, http.StatusNotFound, map[string]string{"error": "not_found", "path": r.URL.Path})
			return
		}
		answer(w, http.StatusOK, map[string]string{"message": greeting + " from Go"})
	})
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
	server := &http.Server{Addr: ":" + port, Handler: handler(greeting), ReadHeaderTimeout: 10 * time.Second}

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
