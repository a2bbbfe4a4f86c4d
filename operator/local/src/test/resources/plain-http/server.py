"""A function that is not built on the Kinetic runtime: Python's standard library only.

It listens on $PORT, answers GET / and 404 anywhere else (it has no /readyz or /healthz), and
stops on SIGTERM after the requests in progress. Kinetic's default readiness check, a TCP
connection to the port, is all it needs.
"""

import json
import os
import signal
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Hello(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path.split("?", 1)[0] != "/":
            self.answer(404, {"error": "not_found", "path": self.path})
            return
        greeting = os.environ.get("GREETING", "Hello")
        self.answer(200, {"message": f"{greeting} from Python"})

    def answer(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format, *args):
        pass  # one line per request is the platform's job, not the function's


def main():
    server = ThreadingHTTPServer(("", int(os.environ.get("PORT", "8080"))), Hello)
    server.daemon_threads = False  # SIGTERM waits for requests in progress
    # shutdown() must run off the serving thread, or it waits for itself.
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    server.serve_forever()
    server.server_close()


if __name__ == "__main__":
    main()
