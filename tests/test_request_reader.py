"""geo.request_reader: how the served worker tells, from the bytes received so far,
that a request is complete, and by when it must be (docs/architecture.md, "Serving").
No server here: bytes are fed in as a slow client would send them."""

import pytest
from gunicorn.config import Config
from gunicorn.http.parser import RequestParser

from geo.request_reader import Limits, RequestReader

LIMITS = Limits(header_timeout=10, body_timeout=10, body_min_rate=1000, send_timeout=60)
BODY = b"lat=52.54&lon=103.89&category=yard&description=" + b"x" * 3000
POST = (
    b"POST /api/reports/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    b"Content-Type: application/x-www-form-urlencoded\r\n"
    b"Content-Length: %d\r\n\r\n%s" % (len(BODY), BODY)
)
CHUNKED = (
    b"POST /api/reports/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    b"Transfer-Encoding: chunked\r\n\r\n"
    b"5;name=value\r\nlat=5\r\n1a\r\n" + b"y" * 0x1A + b"\r\n0\r\nX-Trailer: 1\r\n\r\n"
)
NEXT = b"GET /api/layers/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"


def reader(now=0.0):
    return RequestReader(Config(), ("192.0.2.1", 5000), LIMITS, now)


def feed_in_pieces(request_reader, data, size):
    """Feeds `data` `size` bytes at a time, one second apart; the completing piece's
    index, or None."""
    for index, start in enumerate(range(0, len(data), size)):
        if request_reader.feed(data[start : start + size], float(index)):
            return index
    return None


def received(request_reader):
    """The request as handed to gunicorn (read once: a spooled body is closed)."""
    return b"".join(request_reader.pieces())


@pytest.mark.parametrize("request_bytes", [POST, CHUNKED], ids=["length", "chunked"])
@pytest.mark.parametrize("size", [1, 7, 4096])
def test_a_request_is_complete_with_its_last_byte_and_not_before(request_bytes, size):
    request_reader = reader()
    index = feed_in_pieces(request_reader, request_bytes + NEXT, size)
    assert index == (len(request_bytes) - 1) // size
    assert received(request_reader) == request_bytes
    # What came with the last piece after the request is the next request's start.
    assert request_reader.leftover == NEXT[: (index + 1) * size - len(request_bytes)]


def test_gunicorn_reads_the_handed_request_as_sent():
    request_reader = reader()
    request_reader.feed(POST, 0.0)
    request = next(RequestParser(Config(), request_reader.pieces(), None))
    assert (request.method, request.path) == ("POST", "/api/reports/")
    assert request.body.read() == BODY


def test_a_get_needs_no_body():
    request_reader = reader()
    assert request_reader.feed(NEXT + NEXT, 0.0)
    assert (received(request_reader), request_reader.leftover) == (NEXT, NEXT)


def test_a_head_gunicorn_refuses_is_handed_on_at_once():
    """gunicorn answers it 400; waiting for more would only hold the connection."""
    for head in (b"GET / HTTP/1.1\nHost: x\n", b"GET / HTTP/1.1\r\nBad Header\r\n\r\n"):
        request_reader = reader()
        assert request_reader.feed(head, 0.0)
        assert received(request_reader) == head


def post_head(length=10_000_000, *extra):
    lines = [b"POST /api/reports/ HTTP/1.1", b"Host: 127.0.0.1", *extra]
    return b"\r\n".join([*lines, b"Content-Length: %d" % length, b"", b""])


def test_the_head_is_due_within_the_header_timeout_however_it_trickles():
    request_reader = reader(now=100.0)
    request_reader.feed(b"POST / HTTP/1.1\r\n", 100.0)
    for second in range(1, 9):
        request_reader.feed(b"X-Slow: 1\r\n", 100.0 + second)
    assert request_reader.deadline == 110.0


def test_a_silent_body_is_due_after_the_body_timeout():
    request_reader = reader()
    request_reader.feed(post_head(), 5.0)
    assert request_reader.deadline == 15.0


def test_a_body_slower_than_the_minimum_rate_falls_behind_its_deadline():
    """500 bytes a second against a minimum of 1000: due when 10 s of grace plus one
    second per 1000 bytes received have passed, at 20 s."""
    request_reader = reader()
    request_reader.feed(post_head(), 0.0)
    second = 0
    while request_reader.deadline > second:
        second += 1
        request_reader.feed(b"x" * 500, float(second))
    assert second == 20


def test_a_body_at_the_minimum_rate_is_never_due():
    request_reader = reader()
    request_reader.feed(post_head(), 0.0)
    for second in range(1, 100):
        request_reader.feed(b"x" * 1000, float(second))
        assert request_reader.deadline > second


def test_expect_100_continue_is_noticed_with_the_head():
    request_reader = reader()
    assert not request_reader.feed(post_head(10, b"Expect: 100-continue"), 0.0)
    assert request_reader.expects_continue


def test_a_large_body_is_spooled_and_read_back_in_pieces():
    body = bytes(range(256)) * 20_000  # 5 MB
    head = post_head(len(body))
    request_reader = reader()
    assert feed_in_pieces(request_reader, head + body, 65536) is not None
    assert request_reader.body._rolled, "not held in memory"
    pieces = list(request_reader.pieces())
    assert max(len(p) for p in pieces[1:]) <= 65536
    assert b"".join(pieces) == head + body


def test_the_limits_come_from_the_environment():
    limits = Limits.from_environment({"SERVE_HEADER_TIMEOUT": "3", "OTHER": "1"})
    assert limits == Limits(header_timeout=3.0)


def test_a_declared_length_over_the_limit_is_too_large_at_once():
    small = RequestReader(Config(), ("192.0.2.1", 5000), Limits(max_body=1000), 0.0)
    assert small.feed(POST, 0.0) is False
    assert small.too_large and small.body is None


def test_a_chunked_body_growing_over_the_limit_is_too_large():
    small = RequestReader(Config(), ("192.0.2.1", 5000), Limits(max_body=10), 0.0)
    assert small.feed(CHUNKED, 0.0) is False
    assert small.too_large
