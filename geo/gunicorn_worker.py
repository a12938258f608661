"""gunicorn's threaded worker, receiving every request in full before a thread serves
it (docs/architecture.md, "Serving"); `geo/deploy/gunicorn.conf.py` selects it.

gunicorn's sync worker, and its gthread worker once a first byte has come, give a
process or thread to a connection while it waits for the rest of the request, for as
long as the client likes: a few sockets that send the head of a POST and stop hold
them all. Here the worker's event loop receives the head and the body itself, from
any number of connections at once, without a thread, and cuts a client that is too
slow (`Limits`, answering 408); a thread gets a request only once it is complete and
reads it from memory or a spooled file, never from the client. Writing the response
is bounded too: each write must be taken within `send_timeout`.
"""

import selectors
import socket
import time
from functools import partial

from gunicorn import http
from gunicorn.workers import gthread

from .request_reader import Limits, RequestReader

RECV_BYTES = 64 * 1024
# After a response with `Connection: close`: how long the rest of what the client
# sends is read and dropped before the socket closes, so that closing with unread
# data does not reset the connection and cut the response (RFC 9112 section 9.6).
LINGER_SECONDS = 2.0
LINGER_BYTES = 64 * 1024
# gthread checks its timeouts after every batch of events; the connections being
# read are checked at most this often, so that many of them cost little.
SWEEP_SECONDS = 0.5
_TIMEOUT_TEXT = (
    "Запрос не пришёл вовремя, соединение закрыто.\n"
    "The request did not arrive in time; the connection is closed.\n"
).encode()
TIMED_OUT = (
    b"HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n"
    b"Content-Length: %d\r\n\r\n%s" % (len(_TIMEOUT_TEXT), _TIMEOUT_TEXT)
)
_TOO_LARGE_TEXT = (
    "Запрос слишком большой, соединение закрыто.\n"
    "The request is too large; the connection is closed.\n"
).encode()
TOO_LARGE = (
    b"HTTP/1.1 413 Content Too Large\r\nConnection: close\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n"
    b"Content-Length: %d\r\n\r\n%s" % (len(_TOO_LARGE_TEXT), _TOO_LARGE_TEXT)
)
CONTINUE = b"HTTP/1.1 100 Continue\r\n\r\n"


class Connection(gthread.TConn):
    """A client connection. `ready`: a complete request waits in `parser`;
    `leftover`: what the client sent after it."""

    def __init__(self, worker, *args):
        super().__init__(*args)
        self.worker = worker
        self.ready = False
        self.leftover = b""

    def close(self, graceful=False):
        # gunicorn's graceful close waits for the client on the event loop's thread
        # for up to 2 s; lingering in the event loop waits for nobody.
        if graceful:
            self.worker.linger(self.sock)
        else:
            super().close()


class BufferingWorker(gthread.ThreadWorker):
    """gthread whose threads only ever serve requests that have fully arrived."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.limits = Limits.from_environment()
        self.reading = {}  # Connection → RequestReader
        self.lingering = {}  # socket → (deadline, bytes drained)
        self.next_sweep = 0.0
        self.in_pool = 0  # complete requests handed to the threads, not yet done

    @classmethod
    def check_config(cls, cfg, log):
        super().check_config(cfg, log)
        # The request is read here as plain HTTP/1.x; gunicorn's TLS, HTTP/2, uwsgi
        # and PROXY protocol readers are never reached.
        unsupported = {
            "certfile": cfg.is_ssl,
            "http_protocols": cfg.http_protocols != ["h1"],
            "protocol": cfg.protocol != "http",
            "proxy_protocol": cfg.proxy_protocol != "off",
        }
        if any(unsupported.values()):
            names = ", ".join(name for name, on in unsupported.items() if on)
            raise RuntimeError(f"{cls.__name__} serves plain HTTP/1.x only: {names}")

    # --- receiving (the event loop's thread) -----------------------------------------

    def accept(self, listener):
        try:
            sock, address = listener.accept()
        except (BlockingIOError, ConnectionAbortedError):
            return
        self.nr_conns += 1
        self.enqueue_req(
            Connection(self, self.cfg, sock, address, listener.getsockname())
        )

    def enqueue_req(self, conn):
        """gthread calls this for a new connection, a kept-alive one with new data
        and one with bytes left after its last request: receive the request first."""
        if conn.ready:
            conn.ready = False
            self.in_pool += 1
            if self.in_pool >= self.cfg.threads:
                self.set_accept_enabled(False)
            super().enqueue_req(conn)
            return
        reader = RequestReader(self.cfg, conn.client, self.limits, time.monotonic())
        left = conn.parser.unreader.take_buffered() if conn.parser else b""
        if left and self.take(conn, reader, left):
            self.hand_over(conn, reader)
            return
        conn.sock.setblocking(False)
        self.reading[conn] = reader
        self.poller.register(
            conn.sock, selectors.EVENT_READ, partial(self.on_request_data, conn)
        )

    def on_request_data(self, conn, _sock):
        try:
            data = conn.sock.recv(RECV_BYTES)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        reader = self.reading[conn]
        if not data:  # the client left before its request was complete
            self.stop_reading(conn)
            self.drop(conn)
        elif self.take(conn, reader, data):
            self.stop_reading(conn)
            self.hand_over(conn, reader)
        elif reader.too_large:
            self.stop_reading(conn)
            self.log.info("%s: request body over the limit, refused", conn.client)
            self.send_now(conn.sock, TOO_LARGE)
            self.drop(conn, graceful=True)

    def take(self, conn, reader, data):
        """Feeds `data` to `reader`; True once the request is complete."""
        if reader.feed(data, time.monotonic()):
            return True
        if reader.expects_continue and not reader.too_large:
            # The client waits for this before it sends the body; gunicorn would
            # send it from the thread, which starts only once the body is in.
            reader.expects_continue = False
            self.send_now(conn.sock, CONTINUE)
        return False

    def hand_over(self, conn, reader):
        """The complete request to a thread, through gunicorn's own parser."""
        conn.parser = http.get_parser(self.cfg, reader.pieces(), conn.client)
        conn.leftover = reader.leftover
        conn.data_ready = conn.ready = True  # gthread: no waiting for the socket
        self.enqueue_req(conn)

    def stop_reading(self, conn):
        del self.reading[conn]
        self.poller.unregister(conn.sock)

    def drop(self, conn, graceful=False):
        self.nr_conns -= 1
        conn.close(graceful)

    def murder_pending(self):
        """After every batch of events: also cuts the clients past their deadline."""
        super().murder_pending()
        now = time.monotonic()
        if now < self.next_sweep:
            return
        self.next_sweep = now + SWEEP_SECONDS
        for conn, reader in list(self.reading.items()):
            if reader.deadline <= now:
                self.cut(conn, now - reader.started)
        for sock, (deadline, _) in list(self.lingering.items()):
            if deadline <= now:
                self.stop_lingering(sock)

    def cut(self, conn, seconds):
        self.stop_reading(conn)
        self.log.info(
            "%s: request not received in time, cut after %.1f s", conn.client, seconds
        )
        self.send_now(conn.sock, TIMED_OUT)
        # Lingering lets a client that is still sending read the answer.
        self.drop(conn, graceful=True)

    @staticmethod
    def send_now(sock, data):
        """Sends what the socket takes without waiting; a few bytes on a quiet
        socket, which it takes whole."""
        try:
            sock.send(data)
        except OSError:
            pass

    # --- closing ---------------------------------------------------------------------

    def linger(self, sock):
        try:
            sock.shutdown(socket.SHUT_WR)
            sock.setblocking(False)
        except OSError:
            sock.close()
            return
        self.lingering[sock] = (time.monotonic() + LINGER_SECONDS, 0)
        self.poller.register(sock, selectors.EVENT_READ, self.on_linger_data)

    def on_linger_data(self, sock):
        try:
            data = sock.recv(LINGER_BYTES)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        deadline, drained = self.lingering[sock]
        drained += len(data)
        if not data or drained > LINGER_BYTES:  # the client closed, or sends on
            self.stop_lingering(sock)
        else:
            self.lingering[sock] = (deadline, drained)

    def stop_lingering(self, sock):
        del self.lingering[sock]
        self.poller.unregister(sock)
        sock.close()

    # --- serving (a thread) ----------------------------------------------------------

    def handle_request(self, req, conn):
        # Any 100 Continue went out while the body was read (take).
        req._expected_100_continue = False
        conn.sock.settimeout(self.limits.send_timeout)
        try:
            return super().handle_request(req, conn)
        except TimeoutError:
            self.log.info(
                "%s %s: the client stopped taking the response", req.method, req.uri
            )
            return False

    def set_accept_enabled(self, enabled):
        # A process whose threads all have work takes no new connection while it
        # could only queue it: the kernel hands it to another process, as with sync
        # workers, which accept only when free. gthread's loop enables accepting
        # again as soon as it may (after finish_request).
        super().set_accept_enabled(enabled and self.in_pool < self.cfg.threads)

    def finish_request(self, conn, fs):
        """On the event loop's thread once a thread is done with a request."""
        self.in_pool -= 1
        served = not fs.cancelled() and fs.exception() is None and fs.result() is True
        if served and conn.leftover:
            # gthread reads the next request at once when its parser holds bytes
            conn.parser.unreader.unread(conn.leftover)
        conn.leftover = b""
        super().finish_request(conn, fs)
