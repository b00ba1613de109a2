"""A loopback HTTP server for tests: records every request to a file and can
fail the first N of them.

  webhook_sink.py --port-file FILE --out DIR [--fail-first N] [--fail-status S]

It listens on 127.0.0.1 on a port the system picks and writes that port to
FILE (atomically). Each POST appends one JSON line to DIR/requests.jsonl
before it is answered: {"path", "authorization", "idempotency_key",
"content_type", "body" (the parsed JSON, or null), "status" (the answer)}.
The first N requests get status S (default 503), the others 200.
"""
import argparse
import json
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def make_handler(out_path, fail_first, fail_status):
    lock = threading.Lock()
    state = {"seen": 0}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length)
            try:
                body = json.loads(raw)
            except ValueError:
                body = None
            with lock:
                state["seen"] += 1
                status = fail_status if state["seen"] <= fail_first else 200
                record = {
                    "path": self.path,
                    "authorization": self.headers.get("Authorization"),
                    "idempotency_key": self.headers.get("Idempotency-Key"),
                    "content_type": self.headers.get("Content-Type"),
                    "body": body,
                    "status": status,
                }
                with open(out_path, "a") as f:
                    f.write(json.dumps(record) + "\n")
            reply = b'{"id":"provider-1"}' if status == 200 else b'{"error":"x"}'
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, *args):
            pass

    return Handler


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--fail-first", type=int, default=0)
    parser.add_argument("--fail-status", type=int, default=503)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    handler = make_handler(os.path.join(args.out, "requests.jsonl"),
                           args.fail_first, args.fail_status)
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    with open(args.port_file + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    os.rename(args.port_file + ".tmp", args.port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
