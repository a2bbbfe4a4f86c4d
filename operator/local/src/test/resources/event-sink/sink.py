"""An event consumer for the trigger tests: Python's standard library only.

It takes CloudEvents in HTTP binary mode on $PORT and prints one line per attempt, with the
event's id and how many times that id has come. FAIL_FIRST=n answers 503 to the first n attempts
of each event; ANSWER sets the status after that (default 200).
"""

import os
import signal
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

FAIL_FIRST = int(os.environ.get("FAIL_FIRST", "0"))
ANSWER = int(os.environ.get("ANSWER", "200"))
attempts = {}
lock = threading.Lock()


class Sink(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        data = self.rfile.read(length).decode()
        event_id = self.headers.get("ce-id", "")
        with lock:
            attempts[event_id] = attempts.get(event_id, 0) + 1
            attempt = attempts[event_id]
            status = 503 if attempt <= FAIL_FIRST else ANSWER
            # Under the lock: print writes the text and the newline apart, and two threads'
            # lines would otherwise run into one.
            print(
                f"event id={event_id} type={self.headers.get('ce-type')}"
                f" time={self.headers.get('ce-time')} attempt={attempt} answered={status}"
                f" data={data}",
                flush=True,
            )
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format, *args):
        pass


def main():
    server = ThreadingHTTPServer(("", int(os.environ.get("PORT", "8080"))), Sink)
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    server.serve_forever()
    server.server_close()
    sys.stdout.flush()


if __name__ == "__main__":
    main()
