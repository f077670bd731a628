"""A local stand-in for Stripe's API on 127.0.0.1, for the real `stripe` library to talk to.

It answers the two calls the site makes (create a Checkout Session, create a Refund), keeps
every request it received, and, like Stripe, answers a repeated Idempotency-Key with the first
response instead of creating a second object, or with 400 `idempotency_error` when the key comes
back with other parameters (or for another path): Stripe's rule, which the site must keep.
"""

import json
import secrets
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# Port 0: the system picks a free port, so two test runs on one machine never collide.
PORT = 0
# Where its Checkout Sessions send the buyer (settings.STRIPE_CHECKOUT_ORIGIN in tests that follow them).
CHECKOUT_ORIGIN = "https://checkout.stripe.test"


class FakeStripe:
    def __init__(self, port=PORT):
        self.requests = []
        self.by_key = {}
        self.sessions = {}
        self.lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                form = urllib.parse.parse_qs(self.rfile.read(length).decode(), keep_blank_values=True)
                params = {k: v[0] for k, v in form.items()}
                status, body = fake.answer(self.path, dict(self.headers), params)
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Request-Id", "req_" + secrets.token_hex(6))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def answer(self, path, headers, params):
        key = headers.get("Idempotency-Key")
        with self.lock:
            self.requests.append({"path": path, "headers": headers, "params": params})
            if key and key in self.by_key:
                first_path, first_params, first_result = self.by_key[key]
                if (first_path, first_params) != (path, params):
                    message = (
                        "Keys for idempotent requests can only be used with the same parameters they were "
                        f"first used with. Try using a key other than '{key}' if you meant to execute a "
                        "different request."
                    )
                    return 400, {"error": {"type": "idempotency_error", "message": message}}
                return first_result
            if path == "/v1/checkout/sessions":
                session_id = "cs_test_" + secrets.token_hex(12)
                body = {
                    "id": session_id,
                    "object": "checkout.session",
                    "url": f"{CHECKOUT_ORIGIN}/c/pay/{session_id}",
                    "amount_total": int(params["line_items[0][price_data][unit_amount]"]),
                    "currency": params["line_items[0][price_data][currency]"],
                    "payment_status": "unpaid",
                    "status": "open",
                    "client_reference_id": params.get("client_reference_id"),
                    "metadata": {"order_id": params.get("metadata[order_id]")},
                }
                self.sessions[session_id] = body
                result = (200, body)
            elif path == "/v1/refunds":
                result = (
                    200,
                    {
                        "id": "re_" + secrets.token_hex(12),
                        "object": "refund",
                        "payment_intent": params.get("payment_intent"),
                        "status": "succeeded",
                    },
                )
            else:
                result = (404, {"error": {"type": "invalid_request_error", "message": f"Unrecognized URL {path}"}})
            if key:
                self.by_key[key] = (path, params, result)
            return result

    def reset(self):
        """Forget requests, keys and sessions: each test's order ids start again from 1."""
        with self.lock:
            self.requests.clear()
            self.by_key.clear()
            self.sessions.clear()

    def posts(self, path):
        return [r for r in self.requests if r["path"] == path]
