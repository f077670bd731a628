"""make stack / make stack-stop / make stack-status: the production stack on this one machine.

    python config/stack/stack.py start [--products 20000] [--empty] [--base-port 8800]
    python config/stack/stack.py stop
    python config/stack/stack.py status

`start` runs the site with config.settings.production, every secret generated once into
.stack/secrets (gitignored, mode 600) and passed through the environment (.stack/env):
Redis (its own redis-server), an S3 server for media (moto_server), the search server
(osmem-server, the embedded engine its fallback), an SMTP server keeping every mail in a
Maildir (aiosmtpd), PostgreSQL (the machine's, a database of the stack's own), the demo
catalogue grown to N synthetic products (or, with --empty, the page tree alone as an agency
deploys it), two gunicorn app servers, a django-tasks worker, the scheduler (crontab.py
running config/deploy/crontab) and nginx in front. It prints the address and each
component's state from /healthz/ read through the proxy. Every process it starts has a pid
file under .stack/pids/; `stop` ends exactly those. Every wait is bounded.
"""

import argparse
import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import boto3
import osmem_server
import psycopg

ROOT = Path(__file__).resolve().parents[2]
STACK = ROOT / ".stack"
PIDS = STACK / "pids"
LOGS = STACK / "logs"
PY = sys.executable
HOST = "127.0.0.1"
BUCKET = "ocop-media"
PG_SERVER = os.environ.get("STACK_PG_SERVER", "postgres://postgres@127.0.0.1:5432")
READY_TIMEOUT = 60  # seconds any one component gets to answer after it starts
STEP_TIMEOUT = 3600  # seconds one setup command may take (20,000 products on a loaded machine)
STOP_TIMEOUT = 15  # seconds a process gets between SIGTERM and SIGKILL
# Started last to first stopped: the proxy before the app servers, the services they use last.
ORDER = ["redis", "s3", "search", "smtp", "app-1", "app-2", "worker", "scheduler", "proxy"]


def ports(base):
    names = ["proxy", "app-1", "app-2", "s3", "search", "smtp", "redis"]
    return {name: base + offset for offset, name in enumerate(names)}


def say(text):
    print(text, flush=True)


# --- secrets and environment --------------------------------------------------------------


def load_secrets():
    """Secrets generated on the first run and kept, so sessions and the admin password survive restarts."""
    path = STACK / "secrets"
    known = dict(line.split("=", 1) for line in path.read_text().splitlines() if "=" in line) if path.exists() else {}
    wanted = {
        "SECRET_KEY": lambda: secrets.token_urlsafe(50),
        "AWS_ACCESS_KEY_ID": lambda: "stack" + secrets.token_hex(8),
        "AWS_SECRET_ACCESS_KEY": lambda: secrets.token_urlsafe(30),
        "STACK_ADMIN_PASSWORD": lambda: secrets.token_urlsafe(12),
        # Signed webhooks only (make bench-faults pays sample orders with them); no STRIPE_SECRET_KEY,
        # so card checkout stays off and nothing calls Stripe.
        "STRIPE_WEBHOOK_SECRET": lambda: "whsec_" + secrets.token_urlsafe(24),
    }
    for name, make in wanted.items():
        known.setdefault(name, make())
    STACK.mkdir(exist_ok=True)
    path.write_text("".join(f"{k}={v}\n" for k, v in known.items()))
    path.chmod(0o600)
    return known


def environment(port, database, known):
    proxy = f"http://{HOST}:{port['proxy']}"
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": known["SECRET_KEY"],
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "CSRF_TRUSTED_ORIGINS": proxy,
        "WAGTAILADMIN_BASE_URL": proxy,
        # No TLS on 127.0.0.1: no redirect to https, no HSTS.
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "DATABASE_URL": f"{PG_SERVER}/{database}?connect_timeout=3",
        "REDIS_URL": f"redis://{HOST}:{port['redis']}/0",
        "SEARCH_ENGINE": "elasticsearch",
        "ELASTICSEARCH_URL": f"http://{HOST}:{port['search']}",
        "ELASTICSEARCH_PLAIN_JSON": "1",
        "TASKS_BACKEND": "database",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": HOST,
        "EMAIL_PORT": str(port["smtp"]),
        "AWS_STORAGE_BUCKET_NAME": BUCKET,
        "AWS_S3_ENDPOINT_URL": f"http://{HOST}:{port['s3']}",
        "AWS_ACCESS_KEY_ID": known["AWS_ACCESS_KEY_ID"],
        "AWS_SECRET_ACCESS_KEY": known["AWS_SECRET_ACCESS_KEY"],
        "AWS_S3_REGION_NAME": "us-east-1",
        "AWS_S3_CUSTOM_DOMAIN": f"{HOST}:{port['proxy']}/media",
        "AWS_S3_URL_PROTOCOL": "http:",
        "STATIC_ROOT": str(STACK / "static"),
        # nginx is the one hop that appends to X-Forwarded-For.
        "TRUSTED_PROXY_COUNT": "1",
        "STRIPE_WEBHOOK_SECRET": known["STRIPE_WEBHOOK_SECRET"],
        "LOG_LEVEL": "WARNING",
    }
    path = STACK / "env"
    path.write_text("".join(f"{k}={v}\n" for k, v in env.items()))
    path.chmod(0o600)
    return {**os.environ, **env}


# --- processes ----------------------------------------------------------------------------


def pid_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def running():
    """{name: pid} of the stack's processes still alive."""
    found = {}
    for path in sorted(PIDS.glob("*.pid")) if PIDS.exists() else []:
        try:
            pid = int(path.read_text().strip())
        except ValueError:
            continue
        if pid_alive(pid):
            found[path.stem] = pid
    return found


def spawn(name, command, env):
    """Start one long-running process in its own session, its output in .stack/logs/NAME.log."""
    PIDS.mkdir(parents=True, exist_ok=True)
    LOGS.mkdir(parents=True, exist_ok=True)
    with open(LOGS / f"{name}.log", "ab") as log:
        process = subprocess.Popen(  # noqa: S603 (our own command lines)
            command,
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    (PIDS / f"{name}.pid").write_text(f"{process.pid}\n")
    return process


def port_free(port):
    with socket.socket() as probe:
        return probe.connect_ex((HOST, port)) != 0


def wait_for_port(name, port, process):
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{name} exited with {process.returncode}: see {LOGS / (name + '.log')}")
        if not port_free(port):
            return
        time.sleep(0.3)
    raise SystemExit(f"{name} did not listen on {port} within {READY_TIMEOUT} s: see {LOGS / (name + '.log')}")


def http(method, url, body=None, timeout=10):
    request = urllib.request.Request(url, data=body, method=method)  # noqa: S310 (127.0.0.1 only)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (127.0.0.1 only)
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except OSError as error:  # refused, reset or timed out: the caller decides whether to wait
        return 0, str(error).encode()


def manage(env, *args):
    say(f"  manage.py {' '.join(args)}")
    started = time.monotonic()
    subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, check=True, timeout=STEP_TIMEOUT)  # noqa: S603
    return time.monotonic() - started


# --- start --------------------------------------------------------------------------------


def require_tools():
    missing = [tool for tool in ("nginx", "redis-server") if not shutil.which(tool)]
    if not Path("/usr/lib/nginx/modules/ngx_http_cache_purge_module.so").exists():
        missing.append("libnginx-mod-http-cache-purge")
    if missing:
        raise SystemExit(f"missing {', '.join(missing)}: run `make stack-deps` (apt-get, as root)")


def create_database(name, fresh):
    """The stack's own database on the machine's PostgreSQL (never another one's)."""
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True, connect_timeout=5) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and fresh:
            connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')
            say(f"  created database {name}")
        else:
            say(f"  database {name} exists: kept (--fresh recreates it)")


def s3_client(env):
    return boto3.client(
        "s3",
        endpoint_url=env["AWS_S3_ENDPOINT_URL"],
        aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
        region_name="us-east-1",
    )


def restore_media(env):
    """The bucket, readable by anyone (the proxy serves it as /media/, as MinIO's `mc anonymous
    set download` does in compose), then what `stop` saved of it: moto keeps objects in memory."""
    s3 = s3_client(env)
    s3.create_bucket(Bucket=BUCKET)
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{BUCKET}/*"}
        ],
    }
    s3.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(policy))
    saved = STACK / "media" / env["STACK_DATABASE"]
    files = [path for path in sorted(saved.rglob("*")) if path.is_file()] if saved.exists() else []
    for path in files:
        s3.upload_file(str(path), BUCKET, path.relative_to(saved).as_posix())
    if files:
        say(f"  restored {len(files)} media files into the bucket")


def save_media(env_file):
    """Before moto stops: copy the bucket to .stack/media/<database>/ (bounded by MAX_SAVED keys)."""
    env = dict(line.split("=", 1) for line in env_file.read_text().splitlines() if "=" in line)
    database = env["DATABASE_URL"].rsplit("/", 1)[1].split("?")[0]
    try:
        s3 = s3_client(env)
        target = STACK / "media" / database
        count = 0
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=BUCKET, PaginationConfig={"MaxItems": 100_000}):
            for item in page.get("Contents", []):
                path = target / item["Key"]
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(s3.get_object(Bucket=BUCKET, Key=item["Key"])["Body"].read())
                count += 1
        say(f"  saved {count} media files to {target.relative_to(ROOT)}")
    except Exception as error:  # noqa: BLE001 (stopping goes on whatever the store says)
        say(f"  media not saved: {error}")


def start(args):
    require_tools()
    if running():
        say("stopping what a previous `make stack` left running")
        stop()
    port = ports(args.base_port)
    busy = [f"{name} {number}" for name, number in port.items() if not port_free(number)]
    if busy:
        raise SystemExit(f"ports in use: {', '.join(busy)} (choose another: make stack STACK_PORT=…)")
    database = "ocop_stack_empty" if args.empty else "ocop_stack"
    known = load_secrets()
    env = environment(port, database, known)
    env["STACK_DATABASE"] = database
    # mail/ as a Maildir: aiosmtpd's Mailbox makes tmp/new/cur only when mail/ itself is missing.
    for folder in ("logs", "run", "mail/tmp", "mail/new", "mail/cur", "static", "nginx/cache"):
        (STACK / folder).mkdir(parents=True, exist_ok=True)
    timings = {}
    began = time.monotonic()

    say("services")
    processes = {
        "redis": spawn(
            "redis",
            [
                "redis-server",
                "--bind",
                HOST,
                "--port",
                str(port["redis"]),
                "--save",
                "",
                "--appendonly",
                "no",
                "--maxmemory",
                "256mb",
                "--maxmemory-policy",
                "allkeys-lru",
                "--daemonize",
                "no",
            ],
            env,
        ),
        "s3": spawn("s3", [str(Path(PY).with_name("moto_server")), "-H", HOST, "-p", str(port["s3"])], env),
        "search": spawn(
            "search", [osmem_binary(), "--no-ja", "--no-stdin-watch", "--addr", f"{HOST}:{port['search']}"], env
        ),
        "smtp": spawn(
            "smtp",
            [
                PY,
                "-m",
                "aiosmtpd",
                "-n",
                "-l",
                f"{HOST}:{port['smtp']}",
                "-c",
                "aiosmtpd.handlers.Mailbox",
                str(STACK / "mail"),
            ],
            env,
        ),
    }
    for name, process in processes.items():
        wait_for_port(name, port[name], process)
    if args.fresh:
        # A new database references none of the files saved with the old one.
        shutil.rmtree(STACK / "media" / database, ignore_errors=True)
    restore_media(env)
    timings["services"] = time.monotonic() - began

    say("database and data")
    step = time.monotonic()
    create_database(database, args.fresh)
    manage(env, "migrate", "--noinput", "-v0")
    # Started now, it works off what the demo queues (Wagtail's reference and admin search
    # index updates) while the catalogue grows, instead of after the app servers start.
    processes["worker"] = spawn("worker", [PY, "manage.py", "db_worker"], env)
    if args.empty:
        manage(env, "setup_site")
    else:
        manage(env, "load_demo", "-v0")
        say(f"  synthetic catalogue: {args.products} products")
        subprocess.run(  # noqa: S603
            [
                PY,
                "-c",
                f"import django; django.setup(); from tests.bench.synthetic import generate; generate({args.products})",
            ],
            cwd=ROOT,
            env=env,
            check=True,
            timeout=STEP_TIMEOUT,
        )
    timings["data"] = time.monotonic() - step
    step = time.monotonic()
    # The bulk requests of a rebuild may take osmem longer than the 5 s a buyer's search waits on a
    # loaded machine; the app servers keep 5 s. Tried again before giving up.
    for attempt in range(1, 4):
        try:
            manage({**env, "ELASTICSEARCH_TIMEOUT": "120"}, "rebuild_search_index")
            break
        except subprocess.CalledProcessError:
            if attempt == 3:
                raise
            say(f"  rebuild_search_index failed (attempt {attempt}): trying again")
    timings["search index"] = time.monotonic() - step
    manage(env, "collectstatic", "--noinput", "-v0")
    admin = {**env, "DJANGO_SUPERUSER_PASSWORD": known["STACK_ADMIN_PASSWORD"]}
    subprocess.run(  # noqa: S603 (exits 1 when the user exists: kept as it is)
        [PY, "manage.py", "createsuperuser", "--noinput", "--username", "admin", "--email", "admin@ocop.example.vn"],
        cwd=ROOT,
        env=admin,
        timeout=120,
        capture_output=True,
        check=False,
    )

    say("app servers, worker, scheduler, proxy")
    workers = str(args.workers)
    for name in ("app-1", "app-2"):
        processes[name] = spawn(
            name,
            [
                str(Path(PY).with_name("gunicorn")),
                "config.wsgi",
                "--bind",
                f"{HOST}:{port[name]}",
                "--workers",
                workers,
                "--timeout",
                "30",
                "--access-logfile",
                str(LOGS / f"{name}.access.log"),
                "--control-socket",
                str(STACK / "run" / f"{name}.ctl"),
            ],
            env,
        )
    processes["scheduler"] = spawn(
        "scheduler",
        [PY, str(ROOT / "config" / "stack" / "crontab.py"), str(ROOT / "config" / "deploy" / "crontab")],
        env,
    )
    for name in ("app-1", "app-2"):
        wait_for_port(name, port[name], processes[name])
    conf = write_nginx_conf(port, env)
    processes["proxy"] = spawn("proxy", ["nginx", "-p", str(STACK / "nginx"), "-c", str(conf)], env)
    wait_for_port("proxy", port["proxy"], processes["proxy"])
    timings["total"] = time.monotonic() - began

    report(port, known, timings)


def osmem_binary():
    return osmem_server.resolve_binary()


def write_nginx_conf(port, env):
    template = (ROOT / "config" / "stack" / "nginx.conf").read_text()
    upstreams = "\n".join(f"        server {HOST}:{port[n]} max_fails=3 fail_timeout=10s;" for n in ("app-1", "app-2"))
    # As root, nginx's workers would run as nobody, who may not read the checkout's static files.
    user = "user root;" if os.geteuid() == 0 else ""
    for slot, value in {
        "@@USER@@": user,
        "@@STACK@@": str(STACK),
        "@@UPSTREAMS@@": upstreams,
        "@@S3_PORT@@": str(port["s3"]),
        "@@BUCKET@@": BUCKET,
        "@@PROXY_PORT@@": str(port["proxy"]),
        "@@STATIC_ROOT@@": env["STATIC_ROOT"],
    }.items():
        template = template.replace(slot, value)
    for folder in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (STACK / "nginx" / folder).mkdir(parents=True, exist_ok=True)
    conf = STACK / "nginx" / "nginx.conf"
    conf.write_text(template)
    subprocess.run(["nginx", "-t", "-q", "-p", str(STACK / "nginx"), "-c", str(conf)], check=True, timeout=30)  # noqa: S603, S607
    return conf


def health(port):
    deadline = time.monotonic() + READY_TIMEOUT
    answer = {}
    while time.monotonic() < deadline:
        status, body = http("GET", f"http://{HOST}:{port['proxy']}/healthz/", timeout=30)
        try:
            answer = json.loads(body)
        except ValueError:
            answer = {"status": f"HTTP {status}"}
        if answer.get("status") == "ok":
            break
        time.sleep(1)
    return answer


def report(port, known, timings):
    answer = health(port)
    address = f"http://{HOST}:{port['proxy']}/"
    say("")
    say(f"OCOP stack at {address}  (admin: {address}admin/  user admin, password in .stack/secrets)")
    say(f"  /healthz/ through the proxy: {answer.get('status')}")
    for name, component in (answer.get("components") or {}).items():
        detail = json.dumps({k: v for k, v in component.items() if k not in ("status", "latency_ms", "fatal")})
        say(f"    {name:9} {component.get('status'):6} {component.get('latency_ms', '')} ms  {detail}")
    alive = running()
    for name in ORDER:
        where = f"127.0.0.1:{port[name]}" if name in port else "-"
        state = f"pid {alive[name]}" if name in alive else "NOT RUNNING"
        say(f"  {name:9} {where:16} {state}")
    say(f"  mail      {STACK / 'mail'} (Maildir: ls .stack/mail/new | wc -l)")
    say("  times: " + ", ".join(f"{k} {v:.0f} s" for k, v in timings.items()))
    say("stop: make stack-stop   smoke test: make stack-check")


# --- stop and status ----------------------------------------------------------------------


def stop():
    alive = running()
    if "s3" in alive and (STACK / "env").exists():
        save_media(STACK / "env")
    for name in reversed(ORDER + sorted(set(alive) - set(ORDER))):
        pid = alive.get(name)
        if pid is None:
            (PIDS / f"{name}.pid").unlink(missing_ok=True)
            continue
        # Each was started in a session of its own: the group holds its workers and jobs too.
        os.killpg(pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_TIMEOUT
        while pid_alive(pid) and time.monotonic() < deadline:
            time.sleep(0.2)
            reap(pid)
        if pid_alive(pid):
            os.killpg(pid, signal.SIGKILL)
        (PIDS / f"{name}.pid").unlink(missing_ok=True)
        say(f"  stopped {name} (pid {pid})")
    if not alive:
        say("  nothing running")


def reap(pid):
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)


def status(base_port):
    alive = running()
    port = ports(base_port)
    for name in ORDER:
        say(f"  {name:9} {'pid ' + str(alive[name]) if name in alive else 'NOT RUNNING'}")
    if "proxy" in alive:
        say(json.dumps(health(port), indent=1))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("action", choices=["start", "stop", "status"])
    parser.add_argument("--products", type=int, default=20_000, help="synthetic catalogue size (demo only)")
    parser.add_argument("--empty", action="store_true", help="an empty site as an agency deploys it (setup_site only)")
    parser.add_argument("--fresh", action="store_true", help="drop and recreate the stack's database")
    parser.add_argument("--base-port", type=int, default=8800, help="the proxy's port; the others follow it")
    # One per core: the two app servers share this machine's cores with PostgreSQL, nginx and the
    # search server, and a third or fourth process only adds switching between them (docs/deploy.md).
    parser.add_argument("--workers", type=int, default=1, help="gunicorn workers per app server")
    args = parser.parse_args()
    if args.action == "start":
        start(args)
    elif args.action == "stop":
        stop()
    else:
        status(args.base_port)


if __name__ == "__main__":
    main()
