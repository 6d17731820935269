"""Runs moto's DynamoDB server on 127.0.0.1:PORT until standard input closes.

The test harness keeps the write end of stdin open for as long as its process
lives, so the server goes away with the tests, however they end.
"""
import sys

import logging

from moto.server import ThreadedMotoServer

# One line per request would drown the test output.
logging.getLogger("werkzeug").setLevel(logging.ERROR)

port = int(sys.argv[1])
server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
server.start()
print("ready", flush=True)
sys.stdin.read()
server.stop()
