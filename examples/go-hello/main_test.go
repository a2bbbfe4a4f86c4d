package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestRootAnswersTheGreeting(t *testing.T) {
	w := httptest.NewRecorder()
	handler("Hi").ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/", nil))
	if w.Code != http.StatusOK || strings.TrimSpace(w.Body.String()) != `{"message":"Hi from Go"}` {
		t.Fatalf("got %d %q", w.Code, w.Body.String())
	}
}

func TestAnyOtherPathIsNotFoundAsJSON(t *testing.T) {
	for _, path := range []string{"/readyz", "/healthz", "/x"} {
		w := httptest.NewRecorder()
		handler("Hi").ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
		if w.Code != http.StatusNotFound || !strings.Contains(w.Body.String(), `"error":"not_found"`) {
			t.Fatalf("%s: got %d %q", path, w.Code, w.Body.String())
		}
	}
}
