"""The deployment files (Dockerfile, docker-compose.yml) agree with the code,
and the production settings pass Django's deployment checks.

None of these tests needs a database, a broker or a Docker engine.
"""

import ast
import importlib
import json
import os
import re
import secrets
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"

APP_SERVICES = ("web", "worker", "beat")
PRODUCTION_SETTINGS = "config.settings.production"
MEDIA_ROOT = "/app/private-media"

# Settings read from the environment that would change what `check --deploy`
# sees; the subprocesses below must not inherit them from the developer's shell.
_SETTINGS_ENV = (
    "DEBUG",
    "SECRET_KEY",
    "DATABASE_URL",
    "REDIS_URL",
    "ALLOWED_HOSTS",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "CELERY_TASK_ALWAYS_EAGER",
)


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text())


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return compose["services"]


def _command_words(command) -> list[str]:
    """A compose `command` (string or list) as words, looking inside `sh -c`."""
    words = shlex.split(command) if isinstance(command, str) else [str(w) for w in command]
    if len(words) >= 3 and words[0] in ("sh", "/bin/sh", "bash") and words[1] == "-c":
        return shlex.split(words[2])
    return words


def _production_env(**overrides: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _SETTINGS_ENV}
    env.update(
        DJANGO_SETTINGS_MODULE=PRODUCTION_SETTINGS,
        SECRET_KEY=secrets.token_urlsafe(45),  # 60 characters
        DATABASE_URL="postgres://u:p@127.0.0.1:5432/x",
        REDIS_URL="redis://127.0.0.1:6379/0",
        ALLOWED_HOSTS="hub.example.org",
    )
    env.update(overrides)
    return env


def _dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, with continuation lines joined."""
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text())
    instructions = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        keyword, _, args = line.partition(" ")
        instructions.append((keyword.upper(), args.strip()))
    return instructions


# --- docker-compose.yml ----------------------------------------------------


def test_compose_names_every_service(services):
    assert {"web", "worker", "beat", "db", "redis"} <= set(services)


@pytest.mark.parametrize("name", ["db", "redis", "web"])
def test_compose_service_has_healthcheck(services, name):
    healthcheck = services[name].get("healthcheck")
    assert healthcheck, f"{name} has no healthcheck"
    assert healthcheck.get("test"), f"{name}'s healthcheck has no test"
    assert not healthcheck.get("disable", False)


def test_compose_db_healthcheck_uses_pg_isready(services):
    assert "pg_isready" in services["db"]["healthcheck"]["test"]


def test_compose_redis_healthcheck_pings(services):
    test = services["redis"]["healthcheck"]["test"]
    assert "redis-cli" in test
    assert "ping" in test


def test_compose_web_healthcheck_requests_healthz(services):
    test = " ".join(services["web"]["healthcheck"]["test"])
    assert "http://127.0.0.1:8000/healthz/" in test


@pytest.mark.parametrize("name", APP_SERVICES)
def test_compose_app_services_use_production_settings(services, name):
    env = services[name]["environment"]
    assert env["DJANGO_SETTINGS_MODULE"] == PRODUCTION_SETTINGS
    for required in ("SECRET_KEY", "DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS"):
        assert env.get(required), f"{name} does not set {required}"


def test_compose_app_services_share_one_build(services):
    builds = {json.dumps(services[name].get("build"), sort_keys=True) for name in APP_SERVICES}
    images = {services[name].get("image") for name in APP_SERVICES}
    assert len(builds) == 1
    assert builds != {"null"}
    assert len(images) == 1


def test_compose_secret_key_must_be_supplied(compose):
    assert compose["x-app-env"]["SECRET_KEY"].startswith("${SECRET_KEY:?")


@pytest.mark.parametrize("name", APP_SERVICES)
def test_compose_app_services_wait_for_healthy_db_and_redis(services, name):
    depends_on = services[name]["depends_on"]
    for dependency in ("db", "redis"):
        assert depends_on[dependency]["condition"] == "service_healthy"


def test_compose_database_url_matches_postgres_credentials(services):
    db_env = services["db"]["environment"]
    user, password, name = (
        db_env["POSTGRES_USER"],
        db_env["POSTGRES_PASSWORD"],
        db_env["POSTGRES_DB"],
    )
    expected = f"postgres://{user}:{password}@db:5432/{name}"
    for service in APP_SERVICES:
        assert services[service]["environment"]["DATABASE_URL"] == expected


def test_compose_redis_url_points_at_redis_service(services):
    for service in APP_SERVICES:
        assert services[service]["environment"]["REDIS_URL"].startswith("redis://redis:6379/")


def test_compose_declares_named_volumes(compose, services):
    declared = set(compose.get("volumes") or {})
    assert {"postgres-data", "redis-data", "private-media"} <= declared
    for service in services.values():
        for mount in service.get("volumes", []):
            source = mount.split(":", 1)[0]
            if not source.startswith((".", "/", "~")):
                assert source in declared, f"volume {source!r} is used but not declared"


@pytest.mark.parametrize(("name", "path"), [("db", "/var/lib/postgresql/data"), ("redis", "/data")])
def test_compose_data_services_keep_data_in_volumes(services, name, path):
    assert any(mount.endswith(f":{path}") for mount in services[name]["volumes"])


@pytest.mark.parametrize("name", ["web", "worker"])
def test_compose_private_media_volume_is_media_root(services, name):
    assert services[name]["environment"]["MEDIA_ROOT"] == MEDIA_ROOT
    assert f"private-media:{MEDIA_ROOT}" in services[name]["volumes"]


def test_compose_web_migrates_before_serving(services):
    words = _command_words(services["web"]["command"])
    line = " ".join(words)
    assert "manage.py migrate --noinput" in line
    assert "gunicorn config.wsgi:application" in line
    assert line.index("migrate") < line.index("gunicorn")
    assert "0.0.0.0:8000" in line


# --- the proxy in front of web ---------------------------------------------

NGINX_CONF = ROOT / "config" / "nginx.conf"
GUNICORN_LIMITS = {
    "--limit-request-line": "4094",
    "--limit-request-fields": "50",
    "--limit-request-field_size": "8190",
}


def test_compose_publishes_only_the_proxy(services):
    published = {name for name, service in services.items() if service.get("ports")}

    assert published == {"proxy"}
    assert {"80:80", "443:443"} <= set(services["proxy"]["ports"])
    assert services["proxy"]["depends_on"]["web"]["condition"] == "service_healthy"
    assert "./config/nginx.conf:/etc/nginx/conf.d/default.conf:ro" in services["proxy"]["volumes"]


def test_compose_trusts_exactly_the_one_proxy(compose, services):
    assert compose["x-app-env"]["TRUSTED_PROXY_COUNT"] == "1"
    for name in APP_SERVICES:
        assert services[name]["environment"]["TRUSTED_PROXY_COUNT"] == "1"


def test_the_proxy_replaces_the_forwarded_address_with_the_client_s():
    conf = NGINX_CONF.read_text()

    assert "proxy_set_header X-Forwarded-For $remote_addr;" in conf
    assert "$proxy_add_x_forwarded_for" not in conf
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in conf
    assert "server web:8000;" in conf


def _nginx_bytes(size: str) -> int:
    units = {"k": 1024, "m": 1024 * 1024, "g": 1024 * 1024 * 1024}
    size = size.lower()
    return int(size[:-1]) * units[size[-1]] if size[-1] in units else int(size)


def _nginx_body_limits() -> tuple[int, list[tuple[re.Pattern, int]]]:
    """The proxy's default body limit, and each regex location's own."""
    conf = NGINX_CONF.read_text()
    default = re.search(r"^client_max_body_size (\S+);", conf, re.MULTILINE).group(1)
    locations = [
        (re.compile(pattern), _nginx_bytes(size))
        for pattern, size in re.findall(r"location ~ (\S+) \{\s*client_max_body_size (\S+);", conf)
    ]
    return _nginx_bytes(default), locations


def test_the_proxy_body_limits_match_the_app_s(settings):
    from django.urls import reverse

    default, locations = _nginx_body_limits()
    samples = {
        "calls:publish": ["herts", "HC-0001"],
        "calls:eoi_edit": ["herts", 1],
        "calls:eoi_autosave": ["herts", 1],
        "monitoring:report_edit": ["herts", 1],
        "monitoring:report_autosave": ["herts", 1],
        "hub_documents:manage": ["herts"],
        "compliance:record_add": ["herts"],
        "records:add": ["herts", "HC-0001"],
    }

    assert default == settings.REQUEST_BODY_MAX_BYTES
    assert set(samples) == set(settings.REQUEST_BODY_LIMITS)
    for name, limit in settings.REQUEST_BODY_LIMITS.items():
        path = reverse(name, args=samples[name])
        matching = [size for pattern, size in locations if pattern.search(path)]
        assert matching, f"no proxy location for {name} ({path})"
        # The proxy lets through at least what the app accepts, and not much more.
        assert limit <= matching[0] <= limit + 2 * 1024 * 1024, name
    for path in ("/accounts/login/", "/h/herts/", "/admin/hubs/hub/1/change/"):
        assert not any(pattern.search(path) for pattern, _ in locations), path


def test_gunicorn_limits_the_request_line_and_headers(services):
    cmd = json.loads([args for keyword, args in _dockerfile_instructions() if keyword == "CMD"][-1])
    compose_words = _command_words(services["web"]["command"])
    for words in (cmd, compose_words):
        for flag, value in GUNICORN_LIMITS.items():
            assert flag in words, flag
            assert words[words.index(flag) + 1] == value, flag


def test_certificates_stay_out_of_the_image_and_the_repository():
    assert "certs" in (ROOT / ".dockerignore").read_text().split()
    assert "certs/" in (ROOT / ".gitignore").read_text().split()


def test_compose_celery_commands_name_existing_app(services):
    celery_commands = {
        name: _command_words(service["command"])
        for name, service in services.items()
        if "celery" in _command_words(service.get("command") or [])
    }
    assert {"worker", "beat"} <= set(celery_commands)
    assert "worker" in celery_commands["worker"]
    assert "beat" in celery_commands["beat"]
    for name, words in celery_commands.items():
        app_name = words[words.index("-A") + 1]
        assert app_name == "config", f"{name} runs celery -A {app_name}"
        module = importlib.import_module(f"{app_name}.celery")
        assert module.app.main == "hubcommission"


# --- Dockerfile ------------------------------------------------------------


def test_dockerfile_cmd_serves_existing_wsgi_application():
    cmds = [args for keyword, args in _dockerfile_instructions() if keyword == "CMD"]
    assert cmds, "Dockerfile has no CMD"
    cmd = json.loads(cmds[-1])  # exec form
    assert cmd[0] == "gunicorn"
    assert "config.wsgi:application" in cmd
    assert "0.0.0.0:8000" in cmd

    module, _, attribute = "config.wsgi:application".partition(":")
    wsgi_file = ROOT / Path(*module.split(".")).with_suffix(".py")
    assert wsgi_file.is_file()
    assigned = {
        target.id
        for node in ast.walk(ast.parse(wsgi_file.read_text()))
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    assert attribute in assigned


def test_dockerfile_builds_on_python_311_slim_and_runs_unprivileged():
    instructions = _dockerfile_instructions()
    assert instructions[0] == ("FROM", "python:3.11-slim")
    users = [args for keyword, args in instructions if keyword == "USER"]
    assert users, "Dockerfile never leaves root"
    assert users[-1] not in ("root", "0")
    assert ("EXPOSE", "8000") in instructions


def test_dockerfile_installs_weasyprint_libraries_and_collects_static():
    runs = " ".join(args for keyword, args in _dockerfile_instructions() if keyword == "RUN")
    for package in ("libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz0b", "fonts-dejavu-core"):
        assert package in runs
    assert "pip install --no-cache-dir ." in runs
    assert "collectstatic --noinput" in runs


# --- production settings ---------------------------------------------------


def test_production_settings_pass_deploy_checks():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


PRODUCTION_IMPORTS = """
import json, sys
import django
django.setup()
from django.conf import settings
from django.urls import get_resolver
import config.celery, config.wsgi
get_resolver().url_patterns  # imports every app's URLs and views
local_only = sorted(m for m in sys.modules if m.split(".")[0] in ("demo", "scale"))
print(json.dumps({"apps": settings.INSTALLED_APPS, "local_only": local_only}))
"""


def test_production_has_neither_the_demo_nor_the_load_tests():
    result = subprocess.run(
        [sys.executable, "-c", PRODUCTION_IMPORTS],
        cwd=ROOT,
        env=_production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])

    assert "demo" not in found["apps"]
    assert "scale" not in found["apps"]
    assert found["local_only"] == []


def test_production_settings_refuse_to_load_without_secret_key():
    env = _production_env()
    del env["SECRET_KEY"]
    result = subprocess.run(
        [sys.executable, "-c", f"import {PRODUCTION_SETTINGS}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


# --- docker compose itself -------------------------------------------------


def _compose_cli() -> list[str] | None:
    """`docker compose` (the plugin) or, failing that, standalone docker-compose."""
    docker = shutil.which("docker")
    if docker:
        probe = subprocess.run([docker, "compose", "version"], capture_output=True, timeout=30)
        if probe.returncode == 0:
            return [docker, "compose"]
    standalone = shutil.which("docker-compose")
    return [standalone] if standalone else None


def _empty_env_file(tmp_path: Path) -> Path:
    """An empty --env-file, so a developer's .env cannot change the outcome."""
    env_file = tmp_path / "empty.env"
    env_file.write_text("")
    return env_file


def test_docker_compose_accepts_the_compose_file(tmp_path):
    cli = _compose_cli()
    if cli is None:
        pytest.skip("neither the docker compose plugin nor docker-compose is installed")
    env = {**os.environ, "SECRET_KEY": secrets.token_urlsafe(45)}
    result = subprocess.run(
        [
            *cli,
            "-f",
            str(COMPOSE_FILE),
            "--env-file",
            str(_empty_env_file(tmp_path)),
            "config",
            "-q",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_docker_compose_refuses_to_run_without_secret_key(tmp_path):
    cli = _compose_cli()
    if cli is None:
        pytest.skip("neither the docker compose plugin nor docker-compose is installed")
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    result = subprocess.run(
        [
            *cli,
            "-f",
            str(COMPOSE_FILE),
            "--env-file",
            str(_empty_env_file(tmp_path)),
            "config",
            "-q",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "set SECRET_KEY" in result.stdout + result.stderr


# --- static security checks --------------------------------------------------

# The apps production runs (demo and scale are local tools, not installed there).
PRODUCTION_CODE = [
    "accounts",
    "agreements",
    "api",
    "commissioning",
    "config",
    "hubs",
    "monitoring",
    "notices",
    "oversight",
    "partners",
    "procurement",
]


def test_bandit_finds_nothing_in_the_code_production_runs():
    pytest.importorskip("bandit")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "bandit",
            "--quiet",
            "--recursive",
            "--exclude",
            "*/migrations/*",
            "--format",
            "json",
            *PRODUCTION_CODE,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = json.loads(result.stdout)
    found = [
        f"{r['filename']}:{r['line_number']} {r['test_id']} {r['issue_text']}"
        for r in report["results"]
    ]
    assert found == [], "\n".join(found)
    assert report["errors"] == []
