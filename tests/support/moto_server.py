"""Runs moto's DynamoDB server on 127.0.0.1:PORT until standard input closes.

The test harness keeps the write end of stdin open for as long as its process
lives, so the server goes away with the tests, however they end.

Requests are handled one at a time: moto checks a write's condition and then
writes, without a lock, so two threads could both pass the same condition.
DynamoDB makes each conditional write atomic; one request at a time gives moto
the same guarantee, which the concurrency tests rely on.
"""
import logging
import sys
import threading

from moto.server import DomainDispatcherApplication, create_backend_app
from werkzeug.serving import make_server

# One line per request would drown the test output.
logging.getLogger("werkzeug").setLevel(logging.ERROR)

port = int(sys.argv[1])
app = DomainDispatcherApplication(create_backend_app)
lock = threading.Lock()


def one_at_a_time(environ, start_response):
    with lock:
        # moto's responses are complete lists: nothing runs after the lock is released.
        return list(app(environ, start_response))


server = make_server("127.0.0.1", port, one_at_a_time, threaded=True)
threading.Thread(target=server.serve_forever, daemon=True).start()
print("ready", flush=True)
sys.stdin.read()
server.shutdown()
