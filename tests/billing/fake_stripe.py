"""A small local stand-in for the few Stripe API routes we call (Checkout Sessions),
answered to the real ``stripe`` SDK, and webhook payloads signed with Stripe's scheme."""

import hashlib
import hmac
import itertools
import json
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PAGE = """<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Paiement (substitut
de Stripe Checkout)</title></head><body><main><h1>Paiement de {amount} €</h1>
<form method="post"><button type="submit">Payer</button></form>
<p><a href="{cancel_url}">Annuler</a></p></main></body></html>"""


class FakeStripe:
    """``serve_pages``: the sessions' URLs are a tiny Checkout page served here (for the
    browser): « Payer » marks the session paid and goes back to its success URL."""

    def __init__(self, *, serve_pages=False):
        self.serve_pages = serve_pages
        self.sessions = {}
        self.requests = []
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _send(self, status, body):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _page(self, session_id):
                session = fake.sessions.get(session_id)
                if session is None:
                    return self._send(404, {"error": {"message": "No such page"}})
                if self.command == "POST":
                    fake.pay(session_id)
                    target = session["_success_url"].replace("{CHECKOUT_SESSION_ID}", session_id)
                    self.send_response(303)
                    self.send_header("Location", target)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return None
                data = PAGE.format(
                    amount=f"{session['amount_total'] / 100:.2f}".replace(".", ","),
                    cancel_url=session["_cancel_url"],
                ).encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                return None

            def do_POST(self):
                if self.path.startswith("/pay/"):
                    return self._page(self.path[len("/pay/") :])
                length = int(self.headers.get("Content-Length") or 0)
                form = urllib.parse.parse_qs(self.rfile.read(length).decode())
                fields = {key: values[0] for key, values in form.items()}
                key = self.headers.get("Idempotency-Key")
                with fake._lock:
                    fake.requests.append(("POST", self.path, fields, key, self.headers))
                    if self.path != "/v1/checkout/sessions":
                        return self._send(404, {"error": {"message": "unknown route"}})
                    existing = next((s for s in fake.sessions.values() if s["_key"] == key), None)
                    if existing is None:
                        session_id = f"cs_test_{next(fake._ids)}"
                        existing = fake.sessions[session_id] = {
                            "id": session_id,
                            "object": "checkout.session",
                            "_key": key,
                            "url": (
                                f"{fake.url}/pay/{session_id}"
                                if fake.serve_pages
                                else f"http://stripe.test/pay/{session_id}"
                            ),
                            "_success_url": fields.get("success_url", ""),
                            "_cancel_url": fields.get("cancel_url", ""),
                            "amount_total": int(fields["line_items[0][price_data][unit_amount]"]),
                            "currency": fields["line_items[0][price_data][currency]"],
                            "metadata": {
                                k[len("metadata[") : -1]: v
                                for k, v in fields.items()
                                if k.startswith("metadata[")
                            },
                            "payment_status": "unpaid",
                            "status": "open",
                        }
                self._send(200, existing)

            def do_GET(self):
                if self.path.startswith("/pay/"):
                    return self._page(self.path[len("/pay/") :])
                with fake._lock:
                    fake.requests.append(("GET", self.path, {}, None, self.headers))
                    session_id = self.path.rsplit("/", 1)[-1]
                    session = fake.sessions.get(session_id)
                if session is None:
                    return self._send(404, {"error": {"message": "No such checkout.session"}})
                self._send(200, session)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def pay(self, session_id, **changes):
        """The family paid on Stripe's page (``changes``: what Stripe then reports)."""
        self.sessions[session_id].update(
            {"payment_status": "paid", "status": "complete", **changes}
        )


def signed_event(session, secret, *, event_id="evt_1", timestamp=None):
    """(payload, Stripe-Signature header) of a checkout.session.completed event."""
    payload = json.dumps(
        {
            "id": event_id,
            "object": "event",
            "type": "checkout.session.completed",
            "data": {"object": {k: v for k, v in session.items() if not k.startswith("_")}},
        }
    )
    timestamp = int(time.time()) if timestamp is None else timestamp
    signature = hmac.new(
        secret.encode(), f"{timestamp}.{payload}".encode(), hashlib.sha256
    ).hexdigest()
    return payload, f"t={timestamp},v1={signature}"
