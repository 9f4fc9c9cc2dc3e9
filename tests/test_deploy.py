"""docker-compose.yml scales (`docker compose up --scale web=3 --scale worker=2`) behind its proxy.

No Docker engine is needed: the compose file is read as YAML, and the proxy's configuration is
checked by nginx itself (`nginx -t`), which `make install-dev` installs for the tests.
"""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
NGINX_CONF = ROOT / "deploy" / "nginx.conf"


@pytest.fixture(scope="module")
def services():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))["services"]


@pytest.fixture(scope="module")
def nginx_conf():
    # Without comments, so that only the directives count.
    return re.sub(r"#[^\n]*", "", NGINX_CONF.read_text(encoding="utf-8"))


def test_web_and_worker_can_be_scaled(services):
    for name in ("web", "worker"):
        assert "ports" not in services[name], f"{name} publishes a host port: a second one could not start"
        assert "container_name" not in services[name]
    assert services["web"]["expose"] == ["8000"]


def test_the_proxy_is_the_one_published_port_and_reads_the_config_in_the_repository(services):
    published = {name for name, service in services.items() if service.get("ports")}
    assert published == {"proxy"}
    proxy = services["proxy"]
    assert proxy["image"] == "nginx:stable"
    assert proxy["ports"] == ["${SCR_HTTP_PORT:-8000}:8080"]
    assert proxy["volumes"] == ["./deploy/nginx.conf:/etc/nginx/nginx.conf:ro"]


def test_migrations_run_once_before_web_worker_and_beat_start(services):
    migrate = services["migrate"]
    assert migrate["command"] == "python manage.py migrate --noinput"
    # It exits when done; restarting it would run it for ever.
    assert migrate["restart"] == "no"
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
        assert services[name]["depends_on"]["db"] == {"condition": "service_healthy"}
        assert "migrate" not in services[name]["command"]


def test_web_and_worker_share_one_document_storage(services):
    web, worker, beat = services["web"], services["worker"], services["beat"]
    assert web["volumes"] == worker["volumes"] == ["documents:/var/lib/scr/documents"]
    for name in ("DOCUMENT_ROOT", "STORAGE_URL", "DATABASE_URL", "REDIS_URL"):
        assert web["environment"][name] == worker["environment"][name] == beat["environment"][name]
    assert web["environment"]["STORAGE_URL"] == "${STORAGE_URL:-}"


def test_beat_runs_once(services):
    assert services["beat"]["deploy"] == {"replicas": 1}
    assert "--schedule /tmp/celerybeat-schedule" in services["beat"]["command"]


def test_the_proxy_spreads_requests_over_every_web_container(nginx_conf):
    # Docker's DNS, asked at each request through a variable, so that every scaled container is found.
    assert re.search(r"resolver 127\.0\.0\.11 valid=10s", nginx_conf)
    assert re.search(r"set \$web http://web:8000;\s+proxy_pass \$web;", nginx_conf)
    for header in (
        "proxy_set_header Host $host;",
        "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
        "proxy_set_header X-Forwarded-Proto $forwarded_proto;",
    ):
        assert header in nginx_conf


def test_the_proxy_takes_an_upload_of_the_largest_size_the_product_accepts(nginx_conf):
    (size,) = re.findall(r"client_max_body_size (\d+)m;", nginx_conf)
    body = int(size) * 1024 * 1024
    # The file and the form around it pass; much more is refused before it reaches gunicorn.
    assert settings.DOCUMENT_UPLOAD_MAX_BYTES < body <= settings.DOCUMENT_UPLOAD_MAX_BYTES + 2 * 1024 * 1024
    assert body > settings.CHRONOLOGY_UPLOAD_MAX_BYTES


def test_nginx_accepts_the_proxy_configuration(require_service, tmp_path):
    nginx = shutil.which("nginx") or next(
        (path for path in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if Path(path).exists()), None
    )
    require_service("nginx (make install-dev installs nginx-light)", nginx is not None)
    result = subprocess.run(
        [nginx, "-t", "-q", "-e", "stderr", "-p", str(tmp_path), "-c", str(NGINX_CONF)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_web_counts_sign_in_failures_by_the_clients_address_behind_the_proxy(services, nginx_conf):
    # The proxy appends the client's address; web trusts exactly that one entry of X-Forwarded-For.
    assert "proxy_add_x_forwarded_for" in nginx_conf
    assert services["web"]["environment"]["TRUSTED_PROXY_COUNT"] == "${TRUSTED_PROXY_COUNT:-1}"
