"""make stack-check: a bounded smoke test of the running local stack (make stack).

    python config/stack/check.py [--base-port 8800]

1. /healthz/ through the proxy and on each app server: every component "ok".
2. Signs in to the admin on app server 1 (the stack's `admin`, password from .stack/secrets)
   and uploads a small PNG there (Wagtail's multiple-upload view, as the admin's uploader does).
3. Asks app server 2 for the image's admin page, which makes a rendition there, and fetches
   the original and that rendition through the proxy's /media/: the bucket is shared, so a
   file written through one server is served whichever renders the page.
4. A mail sent to the SMTP server lands in the Maildir .stack/mail/new/.
5. An anonymous page through the proxy twice (X-Cache-Status says what nginx did with it) and
   a PURGE of it from 127.0.0.1 (the cache-purge module answers).
6. Deletes the uploaded image. Exits 1 on the first failure. Requests go to 127.0.0.1 only,
   each with a timeout.
"""

import argparse
import json
import re
import smtplib
import struct
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"
TIMEOUT = 30


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


class Session:
    """Cookies kept by hand: the production cookies are Secure, which urllib's jar would never send over http."""

    def __init__(self, base):
        self.base = base
        self.cookies = {}

    def request(self, method, path, body=None, headers=None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        request = urllib.request.Request(self.base + path, data=body, method=method, headers=headers)  # noqa: S310
        try:
            response = OPENER.open(request, timeout=TIMEOUT)
        except urllib.error.HTTPError as error:
            response = error
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, response.headers, response.read()


def fail(text):
    print(f"FAIL {text}", flush=True)
    sys.exit(1)


def ok(text):
    print(f"ok   {text}", flush=True)


def png():
    """A 2×2 PNG made here: no fixture file, and unique bytes each run."""
    raw = b"".join(b"\x00" + bytes([200, 30, 30]) * 2 for _ in range(2))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"tEXt", b"Comment\x00" + uuid.uuid4().hex.encode())
        + chunk(b"IEND", b"")
    )


def multipart(fields, files):
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, content, kind) in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {kind}\r\n\r\n"
        )
        parts.append(head.encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def check_health(name, base):
    status, _headers, body = Session(base).request("GET", "/healthz/")
    try:
        answer = json.loads(body)
    except ValueError:
        fail(f"{name} /healthz/: HTTP {status}, not JSON")
    bad = {
        k: v.get("error") or v.get("status") for k, v in answer.get("components", {}).items() if v.get("status") != "ok"
    }
    if status != 200 or answer.get("status") != "ok" or bad:
        fail(f"{name} /healthz/ {status} {answer.get('status')}: {bad}")
    ok(f"{name} /healthz/: {', '.join(f'{k} ok' for k in answer['components'])}")


def sign_in(session, password):
    status, _headers, body = session.request("GET", "/admin/login/")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if status != 200 or not token:
        fail(f"admin login page on app server 1: HTTP {status}")
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token.group(1).decode(), "username": "admin", "password": password, "next": "/admin/"}
    )
    status, headers, _body = session.request(
        "POST",
        "/admin/login/",
        form.encode(),
        {"Content-Type": "application/x-www-form-urlencoded", "Referer": session.base + "/admin/login/"},
    )
    if status != 302 or "sessionid" not in session.cookies:
        fail(f"admin login on app server 1: HTTP {status} {headers.get('Location')}")
    ok("signed in to the admin on app server 1")


def fetch(url, what):
    request = urllib.request.Request(url)  # noqa: S310 (the proxy on 127.0.0.1)
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310 (127.0.0.1 only)
            body = response.read()
            kind = response.headers.get("Content-Type", "")
    except (urllib.error.URLError, OSError) as error:
        fail(f"{what} {url}: {error}")
    if not kind.startswith("image/") or not body:
        fail(f"{what} {url}: {kind!r}, {len(body)} bytes")
    ok(f"{what} through the proxy: {url} ({kind}, {len(body)} bytes)")
    return body


def main():
    parser = argparse.ArgumentParser(description="Smoke test of the running make stack.")
    parser.add_argument("--base-port", type=int, default=8800)
    args = parser.parse_args()
    proxy = f"http://{HOST}:{args.base_port}"
    app1 = f"http://{HOST}:{args.base_port + 1}"
    app2 = f"http://{HOST}:{args.base_port + 2}"
    secrets_file = ROOT / ".stack" / "secrets"
    if not secrets_file.exists():
        fail("no .stack/secrets: start the stack first (make stack)")
    known = dict(line.split("=", 1) for line in secrets_file.read_text().splitlines() if "=" in line)
    started = time.monotonic()

    for name, base in (("proxy", proxy), ("app server 1", app1), ("app server 2", app2)):
        check_health(name, base)

    one = Session(app1)
    sign_in(one, known["STACK_ADMIN_PASSWORD"])
    content = png()
    title = f"stack-check {uuid.uuid4().hex[:8]}"
    body, kind = multipart(
        {"csrfmiddlewaretoken": one.cookies.get("csrftoken", ""), "title": title},
        {"files[]": ("stack-check.png", content, "image/png")},
    )
    status, _headers, answer = one.request(
        "POST",
        "/admin/images/multiple/add/",
        body,
        {
            "Content-Type": kind,
            "X-CSRFToken": one.cookies.get("csrftoken", ""),
            "X-Requested-With": "XMLHttpRequest",
            "Referer": app1 + "/admin/images/multiple/add/",
        },
    )
    try:
        image_id = json.loads(answer)["image_id"]
    except (ValueError, KeyError):
        fail(f"upload through app server 1: HTTP {status} {answer[:300]!r}")
    ok(f"uploaded image {image_id} through app server 1")

    # The same session on app server 2: the session lives in the shared database.
    two = Session(app2)
    two.cookies = dict(one.cookies)
    status, _headers, page = two.request("GET", f"/admin/images/{image_id}/")
    urls = sorted(set(re.findall(rb'(?:src|href)="(http://[^"]+/media/[^"]+)"', page)))
    if status != 200 or not urls:
        fail(f"image {image_id}'s admin page on app server 2: HTTP {status}, media links {urls}")
    ok(f"app server 2 rendered image {image_id}'s page")
    renditions = [u.decode() for u in urls if b"/images/" in u and b"/original_images/" not in u]
    # The original's name is the rendition's without the filter spec (Wagtail names them so).
    originals = [u.decode() for u in urls if b"/original_images/" in u] or [
        re.sub(r"/images/(.+?)\.[^./]+\.([a-z]+)$", r"/original_images/\1.\2", url) for url in renditions
    ]
    for url in originals[:1]:
        if fetch(url, "original") != content:
            fail("the original served is not the file uploaded")
    for url in renditions[:1]:
        fetch(url, "rendition made by app server 2")
    if not originals and not renditions:
        fail(f"no media link on image {image_id}'s page: {urls}")

    mails = ROOT / ".stack" / "mail" / "new"
    before = len(list(mails.glob("*")))
    message = f"From: check@ocop.example.vn\r\nTo: buyer@example.vn\r\nSubject: {title}\r\n\r\nstack-check\r\n"
    with smtplib.SMTP(HOST, args.base_port + 5, timeout=TIMEOUT) as smtp:
        smtp.sendmail("check@ocop.example.vn", ["buyer@example.vn"], message)
    if len(list(mails.glob("*"))) != before + 1:
        fail(f"the mail sent to 127.0.0.1:{args.base_port + 5} is not in {mails}")
    ok(f"a mail sent to the SMTP server is in {mails.relative_to(ROOT)} ({before + 1} there)")

    anonymous = Session(proxy)
    seen = []
    for _ in range(2):
        status, headers, _body = anonymous.request("GET", "/en/products/")
        seen.append(
            f"{status} {headers.get('X-Cache-Status', '-')} ({headers.get('Cache-Control', 'no Cache-Control')})"
        )
    ok(f"anonymous /en/products/ twice through the proxy: {'; '.join(seen)}")
    status, _headers, _body = Session(proxy).request("PURGE", "/en/products/")
    if status not in (200, 404, 412):
        fail(f"PURGE from 127.0.0.1: HTTP {status}")
    ok(f"PURGE /en/products/ from 127.0.0.1: HTTP {status} ({'purged' if status == 200 else 'not in the cache'})")

    status, _headers, page = one.request("GET", f"/admin/images/{image_id}/delete/")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if token:
        status, _headers, _body = one.request(
            "POST",
            f"/admin/images/{image_id}/delete/",
            f"csrfmiddlewaretoken={token.group(1).decode()}".encode(),
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": app1 + f"/admin/images/{image_id}/delete/",
            },
        )
    print(f"{'ok  ' if status in (200, 302) else 'note'} deleted the test image ({status})")
    print(f"stack-check passed in {time.monotonic() - started:.1f} s", flush=True)


if __name__ == "__main__":
    main()
