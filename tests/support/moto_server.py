"""Runs moto's DynamoDB server on 127.0.0.1:PORT until standard input closes.

The test harness keeps the write end of stdin open for as long as its process
lives, so the server goes away with the tests, however they end.

Requests are handled one at a time: moto checks a write's condition and then
writes, without a lock, so two threads could both pass the same condition.
DynamoDB makes each conditional write atomic; one request at a time gives moto
the same guarantee, which the concurrency tests rely on.

moto also ignores TransactWriteItems' ClientRequestToken, which DynamoDB
honours: a transaction sent again with the same token within ten minutes
after it succeeded is answered as before without being applied again, and
one with other parameters fails with IdempotentParameterMismatchException.
`idempotent` below gives moto that documented behaviour, so the tests check
the mapper against DynamoDB's contract; against a bare moto a resent
transaction would apply twice (RELIABILITY.md says so).
"""
import hashlib
import io
import json
import logging
import sys
import threading
import time

from moto.server import DomainDispatcherApplication, create_backend_app
from werkzeug.serving import make_server

# One line per request would drown the test output.
logging.getLogger("werkzeug").setLevel(logging.ERROR)

port = int(sys.argv[1])
app = DomainDispatcherApplication(create_backend_app)
lock = threading.Lock()


TOKEN_WINDOW_SECONDS = 600
# token -> (hash of the request without its token, time, status, headers, body)
answered = {}


def idempotent(environ, start_response):
    """moto's app, with DynamoDB's idempotency tokens for TransactWriteItems."""
    target = environ.get("HTTP_X_AMZ_TARGET", "")
    if not target.endswith(".TransactWriteItems"):
        return list(app(environ, start_response))
    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(length)
    environ["wsgi.input"] = io.BytesIO(body)
    try:
        request = json.loads(body)
    except ValueError:
        request = {}
    token = request.pop("ClientRequestToken", None)
    if token is None:
        return list(app(environ, start_response))
    digest = hashlib.sha256(json.dumps(request, sort_keys=True).encode()).hexdigest()
    now = time.monotonic()
    seen = answered.get(token)
    if seen is not None and now - seen[1] < TOKEN_WINDOW_SECONDS:
        if seen[0] != digest:
            error = json.dumps({
                "__type": "com.amazonaws.dynamodb.v20120810#IdempotentParameterMismatchException",
                "message": "the token was used with other parameters",
            }).encode()
            start_response("400 Bad Request", [
                ("Content-Type", "application/x-amz-json-1.0"),
                ("Content-Length", str(len(error))),
            ])
            return [error]
        start_response(seen[2], seen[3])
        return [seen[4]]
    captured = {}

    def capture(status, headers, exc_info=None):
        captured["status"], captured["headers"] = status, headers
        return start_response(status, headers, exc_info)

    chunks = list(app(environ, capture))
    if captured.get("status", "").startswith("200"):
        answered[token] = (digest, now, captured["status"], captured["headers"], b"".join(chunks))
    return chunks


def one_at_a_time(environ, start_response):
    with lock:
        # moto's responses are complete lists: nothing runs after the lock is released.
        return idempotent(environ, start_response)


server = make_server("127.0.0.1", port, one_at_a_time, threaded=True)
threading.Thread(target=server.serve_forever, daemon=True).start()
print("ready", flush=True)
sys.stdin.read()
server.shutdown()
