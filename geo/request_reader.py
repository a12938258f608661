"""A request read from a slow network without a thread: the pieces are fed in as they
arrive, and it says when the request is complete and by when it must be
(docs/architecture.md, "Serving"). Used by `geo.gunicorn_worker`; no sockets here.

gunicorn's own parser checks the head once it is complete; this module only finds
where the head and the body end (Content-Length or chunked framing, RFC 9112 sections
6 and 7.1). A request that gunicorn refuses is complete as soon as that is known: the
worker's thread parses it again and answers 400 as gunicorn always does.
"""

import os
import tempfile
from dataclasses import dataclass, fields

from gunicorn.http.body import ChunkedReader, LengthReader
from gunicorn.http.message import Request
from gunicorn.http.unreader import IterUnreader

# A body above this size is spooled to a temporary file instead of memory.
SPOOL_BYTES = 1024 * 1024
# Pieces handed to gunicorn's parser: its unreader copies what it keeps after each
# read, so pieces about the size the application reads keep that copy small.
PIECE_BYTES = 64 * 1024
CHUNK_LINE_LIMIT = 8190  # gunicorn's default limit for a chunk-size line
HEX_DIGITS = b"0123456789abcdefABCDEF"


@dataclass(frozen=True)
class Limits:
    """How long a client may take to send a request and to take the response; each
    can be set in the environment as SERVE_<NAME in capitals>."""

    header_timeout: float = 10.0  # s for the whole head, from the first byte wanted
    body_timeout: float = 10.0  # s of silence while the body is sent
    body_min_rate: float = 1024.0  # bytes/s on average, after body_timeout s of grace
    send_timeout: float = 60.0  # s for one write of the response
    # Bytes of one request body: above it the request is refused (413) as it comes,
    # never spooled to disk. Well above the largest request the site takes (three
    # photos and the fields, reports/services/photos.py `max_request_bytes`).
    max_body: float = 64 * 1024 * 1024

    @classmethod
    def from_environment(cls, environ=os.environ):
        return cls(
            **{
                f.name: float(environ[f"SERVE_{f.name.upper()}"])
                for f in fields(cls)
                if f"SERVE_{f.name.upper()}" in environ
            }
        )


class LengthFraming:
    """A body of Content-Length bytes."""

    def __init__(self, length):
        self.remaining = length

    def end(self, data):
        """Where in `data` the body ends, or None if it goes on."""
        if len(data) < self.remaining:
            self.remaining -= len(data)
            return None
        end, self.remaining = self.remaining, 0
        return end


class ChunkedFraming:
    """A chunked body (RFC 9112 section 7.1): chunk-size lines, their data and CRLF,
    the last chunk `0`, then trailer lines up to an empty one. A line that is not
    what it should be ends the body there: gunicorn refuses it afterwards."""

    def __init__(self):
        self.line = bytearray()  # the line being read
        self.skip = 0  # data bytes (and their CRLF) still to pass
        self.in_trailer = False

    def end(self, data):
        position = 0
        while position < len(data):
            if self.skip:
                step = min(self.skip, len(data) - position)
                self.skip -= step
                position += step
                continue
            newline = data.find(b"\n", position)
            stop = len(data) if newline < 0 else newline + 1
            self.line += data[position:stop]
            position = stop
            if len(self.line) > CHUNK_LINE_LIMIT:
                return position
            if newline >= 0 and self.end_of_line(bytes(self.line)):
                return position
        return None

    def end_of_line(self, line):
        """Takes a complete line; True when the body ends with it."""
        self.line.clear()
        if not line.endswith(b"\r\n"):
            return True  # a bare LF
        line = line[:-2]
        if self.in_trailer:
            return not line
        size = line.split(b";", 1)[0].rstrip(b" \t")
        if not size or size.translate(None, HEX_DIGITS):
            return True
        self.skip = int(size, 16) + 2
        if self.skip == 2:  # the last chunk: trailer lines follow
            self.skip, self.in_trailer = 0, True
        return False


class RequestReader:
    """One HTTP/1.x request being received: `feed` it what the socket gives, until it
    says the request is complete; then `pieces()` is the request for gunicorn's
    parser and `leftover` what the client sent after it (a pipelined request)."""

    def __init__(self, cfg, peer, limits, now):
        self.cfg, self.peer, self.limits = cfg, peer, limits
        self.started = now
        self.head = bytearray()
        self.searched = 0
        self.framing = None  # once the head is complete
        self.body = None  # a SpooledTemporaryFile once body bytes arrive
        self.body_started = self.last_read = now
        self.received = 0
        self.complete = False
        self.too_large = False  # the body is over `limits.max_body`: refuse it
        self.expects_continue = False
        self.leftover = b""

    @property
    def deadline(self):
        """When the request is late: the head within `header_timeout` s; then the
        body without a pause over `body_timeout` s and, past those first seconds,
        at `body_min_rate` on average (as Apache's mod_reqtimeout)."""
        limits = self.limits
        if self.framing is None:
            return self.started + limits.header_timeout
        at_min_rate = self.body_started + limits.body_timeout
        at_min_rate += self.received / limits.body_min_rate
        return min(self.last_read + limits.body_timeout, at_min_rate)

    def feed(self, data, now):
        """Takes what arrived; True once the request is complete."""
        if self.framing is None:
            data = self._feed_head(data, now)
        if data and not self.complete:
            self._feed_body(data, now)
        return self.complete

    def pieces(self):
        """The complete request, as the pieces gunicorn's IterUnreader reads."""
        yield bytes(self.head)
        if self.body is None:
            return
        with self.body:
            self.body.seek(0)
            while piece := self.body.read(PIECE_BYTES):
                yield piece

    # --- head -------------------------------------------------------------------

    def _feed_head(self, data, now):
        """Adds to the head; returns what follows it once it is complete."""
        self.head += data
        end = self.head.find(b"\r\n\r\n", max(0, self.searched - 3))
        if end < 0:
            if self._head_refused():
                self.complete = True
            self.searched = len(self.head)
            return b""
        rest = bytes(self.head[end + 4 :])
        del self.head[end + 4 :]
        try:
            self.framing = self._framing()
        except Exception:
            # gunicorn refuses this head; its thread says why, with the bytes that
            # came with it, and closes the connection.
            self.head += rest
            self.complete = True
            return b""
        self.body_started = self.last_read = now
        if isinstance(self.framing, LengthFraming):
            # Refused before a byte of it is read, with the head's own word.
            self.too_large = self.framing.remaining > self.limits.max_body
        if self.too_large:
            return b""
        if isinstance(self.framing, LengthFraming) and not self.framing.remaining:
            self.complete, self.leftover = True, rest
            return b""
        return rest

    def _head_refused(self):
        """gunicorn will refuse this head whatever follows: over its size limit, or
        with a line ending in a bare LF (RFC 9112 section 2.2)."""
        start = self.searched
        if self.head[start - 1 : start] == b"\r":  # its LF may be among the new bytes
            start -= 1
        new = self.head[start:]
        bare_lf = new.count(b"\n") != new.count(b"\r\n")
        return bare_lf or len(self.head) > self._max_head()

    def _max_head(self):
        cfg = self.cfg
        line = cfg.limit_request_line or 8190
        return line + cfg.limit_request_fields * (cfg.limit_request_field_size + 2) + 4

    def _framing(self):
        """The body's framing as gunicorn reads the head; raises what it raises."""
        request = Request(self.cfg, IterUnreader([bytes(self.head)]), self.peer)
        reader = request.body.reader
        if isinstance(reader, ChunkedReader):
            framing = ChunkedFraming()
        elif isinstance(reader, LengthReader):
            framing = LengthFraming(reader.length)
        else:
            raise ValueError(f"unexpected body reader {reader!r}")
        self.expects_continue = request._expected_100_continue
        return framing

    # --- body -------------------------------------------------------------------

    def _feed_body(self, data, now):
        if self.too_large:
            return
        end = self.framing.end(data)
        if self.received + (len(data) if end is None else end) > self.limits.max_body:
            self.too_large = True  # a chunked body that grows past the limit
            return
        if self.body is None:
            self.body = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
        self.body.write(data if end is None else data[:end])
        self.received += len(data) if end is None else end
        self.last_read = now
        if end is not None:
            self.complete, self.leftover = True, data[end:]
