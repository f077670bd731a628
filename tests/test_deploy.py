"""config/deploy/ against the code: the production stack cannot be started here (no image
registry), so these tests read compose.yaml, the proxy's config and the crontab and hold
them against the settings, the management commands and docs/deploy.md."""

import re
from pathlib import Path

import pytest
import yaml

from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "config" / "deploy"
# What a deployment reads; the test settings (pytest-xdist's worker name …) never run there.
SETTINGS = sorted(path for path in (ROOT / "config" / "settings").glob("*.py") if path.name != "test.py")
DOCS = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")

# os.environ.get("X"…), os.environ["X"], os.getenv("X"…), "X" in os.environ, env_bool("X"…)
ENV_READ = re.compile(
    r"""os\.environ(?:\.get)?[\[(]\s*["']([A-Z0-9_]+)["']"""
    r"""|os\.getenv\(\s*["']([A-Z0-9_]+)["']"""
    r"""|["']([A-Z0-9_]+)["']\s+in\s+os\.environ"""
    r"""|env_bool\(\s*["']([A-Z0-9_]+)["']"""
)


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))


def settings_variables():
    found = {"DATABASE_URL"}  # read by dj_database_url.config(), which names no variable
    for path in SETTINGS:
        for match in ENV_READ.finditer(path.read_text(encoding="utf-8")):
            found.add(next(group for group in match.groups() if group))
    return found


def documented_variables():
    """Variables named in backticks in the first column of docs/deploy.md's tables."""
    names = set()
    for line in DOCS.splitlines():
        if line.startswith("| `"):
            names.update(re.findall(r"`([A-Z][A-Z0-9_]+)`", line.split("|")[1]))
    return names


def commands(service):
    command = service.get("command", [])
    return " ".join(command) if isinstance(command, list) else command


def test_the_scan_finds_what_the_settings_read():
    found = settings_variables()
    assert {"SECRET_KEY", "REDIS_URL", "WAGTAILADMIN_BASE_URL", "TRUSTED_PROXY_COUNT", "SECURE_SSL_REDIRECT"} <= found
    assert {"STRIPE_WEBHOOK_SECRET", "ELASTICSEARCH_URL", "EMAIL_HOST", "DATABASE_URL"} <= found


def test_every_variable_the_settings_read_is_set_in_compose_or_documented(compose):
    in_compose = set()
    for service in compose["services"].values():
        in_compose.update(service.get("environment") or {})
    missing = settings_variables() - in_compose - documented_variables()
    assert not missing, f"set these in config/deploy/compose.yaml or document them in docs/deploy.md: {sorted(missing)}"
    # What production refuses to start without is always set.
    for name in ("SECRET_KEY", "REDIS_URL", "WAGTAILADMIN_BASE_URL", "DATABASE_URL", "STRIPE_WEBHOOK_SECRET"):
        assert name in in_compose, name


def test_secrets_come_from_the_environment_not_the_file(compose):
    app = compose["services"]["app-1"]["environment"]
    for name in ("SECRET_KEY", "STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET", "EMAIL_HOST_PASSWORD"):
        assert re.fullmatch(r"\$\{" + name + r"(:[-?][^}]*)?\}", app[name]), (name, app[name])
    assert "${POSTGRES_PASSWORD" in app["DATABASE_URL"]
    assert app["DJANGO_SETTINGS_MODULE"] == "config.settings.production"


def test_every_component_has_its_service(compose):
    services = compose["services"]

    def by_image(prefix):
        return [name for name, s in services.items() if s.get("image", "").split("/")[-1].startswith(prefix)]

    def by_command(word):
        return [name for name, s in services.items() if word in commands(s)]

    assert by_image("postgres")
    assert by_image("redis")
    assert by_image("minio")  # s3
    assert by_image("elasticsearch")  # search
    assert by_image("nginx")  # the caching proxy
    assert len(by_command("gunicorn")) >= 2  # app servers
    assert by_command("db_worker")  # the django-tasks worker
    assert by_command("supercronic")  # the scheduler
    assert services["smtp"].get("profiles") == ["dev"]  # e-mail catcher, development only
    release = commands(services["release"])
    assert release.index("migrate") < release.index("setup_site")  # the page tree, never load_demo
    assert "load_demo" not in (DEPLOY / "compose.yaml").read_text(encoding="utf-8")


def test_app_servers_are_health_checked_and_behind_the_proxy(compose):
    services = compose["services"]
    apps = [name for name, s in services.items() if "gunicorn" in commands(s)]
    proxy_config = (DEPLOY / "nginx.conf").read_text(encoding="utf-8")
    upstream = re.search(r"upstream app_servers \{(.*?)\}", proxy_config, re.S).group(1)
    assert sorted(re.findall(r"server ([\w-]+):8000", upstream)) == sorted(apps)
    for name in apps:
        assert "/healthz/" in " ".join(services[name]["healthcheck"]["test"])
        assert services[name]["environment"]["TRUSTED_PROXY_COUNT"] == "1"
    assert "$proxy_add_x_forwarded_for" in proxy_config  # the one hop TRUSTED_PROXY_COUNT counts
    assert set(services["proxy"]["depends_on"]) == set(apps)


def test_files_compose_names_exist(compose):
    build = compose["services"]["app-1"]["build"]
    assert (DEPLOY / build["context"] / build["dockerfile"]).resolve() == DEPLOY / "Dockerfile"
    for volume in compose["services"]["proxy"]["volumes"]:
        source = volume.split(":")[0]
        if source.startswith("./") and source != "./certs":  # certificates are the operator's
            assert (DEPLOY / source).exists(), source
    assert "/app/config/deploy/crontab" in commands(compose["services"]["scheduler"])


def test_the_scheduler_runs_every_documented_job():
    crontab = [
        line.split()
        for line in (DEPLOY / "crontab").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    jobs = {fields[7]: fields[:5] for fields in crontab if fields[5:7] == ["python", "manage.py"]}
    assert len(jobs) == len(crontab)
    section = DOCS.split("## Scheduled commands")[1].split("\n## ")[0]
    documented = set(re.findall(r"^manage\.py (\w+)", section, re.M)) - {"db_worker"}
    assert set(jobs) == documented
    assert set(jobs) <= set(get_commands())
    assert jobs["send_pending_notifications"] == ["*"] * 5  # every minute
