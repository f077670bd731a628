"""make bench-pages: Lighthouse scores of the main public pages, in both languages, under gunicorn.

    python -m tests.bench.pages [--database URL] [--port 8041] [--lighthouse DIR]

Recreates a scratch SQLite database (never the site's own), migrates it and loads the demo
catalogue, collects the static files, and starts gunicorn with production settings (DEBUG off,
whitenoise for static files; media files served the way a proxy would, from a scratch
MEDIA_ROOT in bench-results/). Lighthouse (npm lighthouse@12.2.3, installed on demand into bench-results/) then
visits the home, a search, a product and a fair page with Debian's Chromium, desktop preset,
once in Vietnamese (the default) and once with Accept-Language: en, and a table prints each
category's score, the transfer size and the Largest Contentful Paint. Every wait is bounded.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import urllib.parse
from pathlib import Path

from tests.bench.inquiries import HOST, gunicorn

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATABASE = "sqlite:////tmp/ocop-bench-pages.sqlite3"
LIGHTHOUSE_VERSION = "12.2.3"  # 13 needs Node 22; Debian's is Node 20
LIGHTHOUSE_TIMEOUT = 180
ATTEMPTS = 3
CHROME_FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update "
    "--disable-sync --no-first-run"
)
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
LANGUAGES = ("vi", "en")
SEARCH_QUERY = "mật ong"  # honey: 15 demo products, a full page of cards


def environment(database, port, media_root):
    return {
        **os.environ,
        "DATABASE_URL": database,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "bench-pages-not-secret",
        "WAGTAILADMIN_BASE_URL": f"http://{HOST}:{port}",
        "ALLOWED_HOSTS": HOST,
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        # Production counts rate limits in Redis; a database number of the benchmark's own.
        "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13"),
        "MEDIA_ROOT": str(media_root),
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "LOG_LEVEL": "WARNING",
    }


def manage(env, *args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, timeout=600)  # noqa: S603


def scratch_sqlite(database):
    parsed = urllib.parse.urlparse(database)
    path = Path(parsed.path)
    if parsed.scheme != "sqlite" or not path.name.startswith("ocop-bench"):
        sys.exit(f"refusing to recreate {database}: the benchmark only removes sqlite files called ocop-bench*")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def lighthouse_cli(folder):
    cli = folder / "node_modules" / "lighthouse" / "cli" / "index.js"
    if not cli.exists():
        subprocess.run(  # noqa: S603
            [
                shutil.which("npm") or "npm",
                "install",
                "--prefix",
                str(folder),
                "--no-audit",
                "--no-fund",
                f"lighthouse@{LIGHTHOUSE_VERSION}",
            ],
            check=True,
            timeout=600,
        )
    return cli


def pages_to_visit():
    """{language: [(name, path)]}: the home, a search for honey, a product and a fair, from the
    demo data, at their /vi/ and /en/ addresses."""
    from django.urls import reverse
    from django.utils import translation

    from catalogue.models import ProductPage
    from marketplace.fairs.models import FairPage

    product = ProductPage.objects.visible().order_by("pk").first()
    fair = FairPage.objects.live().order_by("-starts_on").first()
    query = urllib.parse.urlencode({"q": SEARCH_QUERY})
    pages = {}
    for language in LANGUAGES:
        with translation.override(language):
            pages[language] = [
                ("home", reverse("wagtail_serve", args=[""])),
                ("search", f"{reverse('search:search')}?{query}"),
                ("product", product.url),
                ("fair", fair.url),
            ]
    return pages


def run_lighthouse(cli, url, language, out):
    command = [
        shutil.which("node") or "node",
        str(cli),
        url,
        "--quiet",
        "--preset=desktop",
        f"--only-categories={','.join(CATEGORIES)}",
        "--output=json",
        f"--output-path={out}",
        f"--chrome-flags={CHROME_FLAGS}",
    ]
    env = {**os.environ, "CHROME_PATH": "/usr/bin/chromium"}
    # Lighthouse now and then loses the trace on a busy machine (NO_NAVSTART); a second run gets it.
    for attempt in range(1, ATTEMPTS + 1):
        try:
            done = subprocess.run(command, timeout=LIGHTHOUSE_TIMEOUT, env=env, check=False)  # noqa: S603
        except subprocess.TimeoutExpired:
            done = None
        if done is not None and done.returncode == 0:
            return json.loads(out.read_text())
        print(f"Lighthouse failed on {url} ({language}), attempt {attempt} of {ATTEMPTS}", file=sys.stderr)
    sys.exit(f"Lighthouse failed {ATTEMPTS} times on {url} ({language})")


def summary(report):
    scores = {c: round((report["categories"][c]["score"] or 0) * 100) for c in CATEGORIES}
    audits = report["audits"]
    kb = audits["total-byte-weight"]["numericValue"] / 1024
    lcp = audits["largest-contentful-paint"]["numericValue"]
    failed = [
        f"{audit_id} ({audits[audit_id]['score']})"
        for audit_id in sorted(audits)
        if audits[audit_id].get("scoreDisplayMode") in {"binary", "numeric", "metricSavings"}
        and audits[audit_id].get("score") is not None
        and audits[audit_id]["score"] < 0.9
    ]
    return scores, kb, lcp, failed


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=os.environ.get("BENCH_PAGES_URL", DEFAULT_DATABASE))
    parser.add_argument("--port", type=int, default=8041)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path, default=ROOT / "bench-results" / "pages")
    parser.add_argument("--lighthouse", type=Path, default=ROOT / "bench-results" / "lighthouse")
    args = parser.parse_args(argv)

    cli = lighthouse_cli(args.lighthouse)
    media_root = ROOT / "bench-results" / "pages-media"
    shutil.rmtree(media_root, ignore_errors=True)
    args.out.mkdir(parents=True, exist_ok=True)
    scratch_sqlite(args.database)
    env = environment(args.database, args.port, media_root)
    os.environ.update(env)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_demo", "-v0")
    # Production settings queue index updates for a db_worker that does not run here: build the index now.
    manage(env, "rebuild_search_index", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")

    import django

    django.setup()
    pages = pages_to_visit()
    from django.db import connection

    connection.close()

    rows = []
    with gunicorn(args.port, args.workers, env, app="tests.bench.media_wsgi"):
        for language in LANGUAGES:
            for name, path in pages[language]:
                report = run_lighthouse(
                    cli, f"http://{HOST}:{args.port}{path}", language, args.out / f"{name}-{language}.json"
                )
                rows.append((name, language, *summary(report)))

    print(
        f"bench-pages: Lighthouse {LIGHTHOUSE_VERSION}, desktop preset, Chromium, gunicorn ({args.workers} workers, "
        "production settings) on SQLite with the demo data"
    )
    print()
    print("| page | lang | performance | accessibility | best practices | SEO | transfer (KB) | LCP (ms) |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for name, language, scores, kb, lcp, _failed in rows:
        print(
            f"| {name} | {language} | {scores['performance']} | {scores['accessibility']} | "
            f"{scores['best-practices']} | {scores['seo']} | {kb:.0f} | {lcp:.0f} |"
        )
    costs = {(name, language): failed for name, language, _s, _k, _l, failed in rows if failed}
    if costs:
        print()
        print("Audits under 0.9 (what costs points):")
        for (name, language), failed in costs.items():
            print(f"  {name} {language}: {', '.join(failed)}")
    print(f"\nJSON reports: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
