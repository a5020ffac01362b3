"""docker-compose.yml runs the files in S3-compatible storage and two web
servers behind the proxy, and each command it runs exists."""

from __future__ import annotations

import importlib
import re
import shlex
import shutil
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent.parent
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
NGINX_CONF = (ROOT / "config" / "nginx.conf").read_text()
WEB_SERVERS = ("web", "web2")
APP_SERVICES = ("web", "web2", "worker", "beat")
S3_ENV = ("S3_BUCKET", "S3_ENDPOINT_URL", "S3_REGION", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY")


def words(command) -> list[str]:
    """A compose command as words, looking inside `sh -c`."""
    found = shlex.split(command) if isinstance(command, str) else [str(w) for w in command]
    if len(found) >= 3 and found[0] in ("sh", "/bin/sh") and found[1] == "-c":
        return shlex.split(found[2])
    return found


def steps(command) -> list[list[str]]:
    """Each `&&`-joined step of a command, as words."""
    out, step = [], []
    for word in words(command):
        if word == "&&":
            out.append(step)
            step = []
        else:
            step.append(word)
    return [*out, step]


def test_the_s3_service_keeps_its_data_and_makes_a_private_bucket():
    s3 = SERVICES["s3"]
    assert s3["image"].startswith("minio/minio:RELEASE.")
    assert words(s3["command"]) == ["server", "/data"]
    assert "object-data:/data" in s3["volumes"] and "object-data" in COMPOSE["volumes"]
    assert not s3.get("ports"), "the bucket is reached by the app, not from outside"
    assert s3["healthcheck"]["test"] == ["CMD", "mc", "ready", "local"]
    init = SERVICES["s3-init"]
    assert init["depends_on"]["s3"]["condition"] == "service_healthy"
    made = [" ".join(step) for step in steps(init["entrypoint"])]
    assert made[0].startswith("mc alias set store http://s3:9000 ")
    assert made[1] == "mc mb --ignore-existing store/$$S3_BUCKET"
    assert made[2] == "mc anonymous set none store/$$S3_BUCKET"  # nobody reads or lists it


@pytest.mark.parametrize("name", APP_SERVICES)
def test_every_app_service_uses_the_bucket_once_it_is_made(name):
    service = SERVICES[name]
    env = service["environment"]
    for variable in S3_ENV:
        assert env.get(variable), f"{name} does not set {variable}"
    assert env["S3_ENDPOINT_URL"].endswith("//s3:9000}")
    assert env["S3_SECRET_ACCESS_KEY"].startswith("${S3_SECRET_ACCESS_KEY:?")
    assert service["depends_on"]["s3-init"]["condition"] == "service_completed_successfully"
    # MinIO's own key is the one the app is given.
    assert SERVICES["s3"]["environment"]["MINIO_ROOT_PASSWORD"] == env["S3_SECRET_ACCESS_KEY"]


def test_two_web_servers_sit_behind_the_proxy():
    upstream = re.search(r"upstream hubcommission \{(.*?)\}", NGINX_CONF, re.DOTALL).group(1)
    assert re.findall(r"^\s*server (\S+);", upstream, re.MULTILINE) == ["web:8000", "web2:8000"]
    for name in WEB_SERVERS:
        assert SERVICES[name]["expose"] == ["8000"]
        assert not SERVICES[name].get("ports")
        assert SERVICES["proxy"]["depends_on"][name]["condition"] == "service_healthy"
        assert SERVICES[name]["healthcheck"] == SERVICES["web"]["healthcheck"]
    # The proxy still refuses large bodies before either server sees them.
    assert re.search(r"^client_max_body_size 100k;", NGINX_CONF, re.MULTILINE)
    # The default, the calls' and EOIs' uploads, one each for a compliance
    # record, a commission record and a hub document, and the 1m location
    # (config/nginx.conf).
    assert NGINX_CONF.count("client_max_body_size") == 6


def test_only_the_first_web_server_migrates_and_the_second_waits_for_it():
    web = [" ".join(step) for step in steps(SERVICES["web"]["command"])]
    web2 = [" ".join(step) for step in steps(SERVICES["web2"]["command"])]
    assert web[0] == "python manage.py migrate --noinput"
    assert web[1] == "exec " + web2[0], "both serve the app with the same gunicorn options"
    assert "migrate" not in " ".join(web2)
    assert SERVICES["web2"]["depends_on"]["web"]["condition"] == "service_healthy"


def _commands() -> list[list[str]]:
    found = []
    for name in APP_SERVICES:
        for step in steps(SERVICES[name]["command"]):
            found.append(step[1:] if step[0] == "exec" else step)
    return found


@pytest.mark.parametrize("argv", _commands(), ids=lambda argv: " ".join(argv[:3]))
def test_each_command_the_app_services_run_exists(argv):
    program = argv[0]
    here = Path(sys.executable).parent
    if program == "python":
        assert (ROOT / argv[1]).is_file()
        if argv[1] == "manage.py":
            from django.core.management import get_commands

            assert argv[2] in get_commands()
        return
    assert (here / program).exists() or shutil.which(program), f"{program} is not installed"
    if program == "gunicorn":
        module, _, attribute = argv[1].partition(":")
        assert module == "config.wsgi" and attribute == "application"
        assert (ROOT / "config" / "wsgi.py").is_file()
    elif program == "celery":
        assert argv[1:3] == ["-A", "config"]
        assert hasattr(importlib.import_module("config.celery"), "app")
        assert argv[3] in ("worker", "beat")
