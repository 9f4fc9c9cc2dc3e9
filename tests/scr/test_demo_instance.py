"""The instance `make run` serves: a demo with debug pages off, its static files from collectstatic.

Each test starts a fresh Python with the demo's environment, as `make run` does, because the
middleware and the static files storage are chosen when the settings are read.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# What a browser fetches first, with the demo's settings and the collected files.
FETCH = """
import json, re
import django
from django.core.management import call_command
from django.test import Client

django.setup()
call_command("collectstatic", "--noinput", verbosity=0)
client = Client(HTTP_HOST="127.0.0.1")
sign_in = client.get("/sign-in/")
css = re.search(r'<link rel="stylesheet" href="([^"]+)"', sign_in.content.decode()).group(1)
favicon = client.get("/favicon.ico")
missing = client.get("/no-such-page/")
print(json.dumps({
    "sign-in": sign_in.status_code,
    "css": [css, client.get(css).status_code],
    "favicon": [favicon.status_code, client.get(favicon["Location"]).status_code],
    "missing": [missing.status_code, "Page not found" in missing.content.decode()],
}))
"""


def demo_env(tmp_path):
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "SCR_"))}
    return {
        **env,
        "DJANGO_SETTINGS_MODULE": "scr.settings.base",
        "SCR_DEMO": "1",
        "DJANGO_DEBUG": "0",
        "DJANGO_HTTPS": "0",
        "DJANGO_STATIC_ROOT": str(tmp_path / "staticfiles"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
    }


def run(args, tmp_path):
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=demo_env(tmp_path), capture_output=True, text=True, check=False
    )


def test_check_passes_before_collectstatic_with_debug_off(tmp_path):
    result = run(["manage.py", "check"], tmp_path)
    assert (result.returncode, result.stdout.strip()) == (
        0,
        "System check identified no issues (0 silenced).",
    )


def test_demo_serves_its_collected_static_files_and_the_products_404(tmp_path):
    result = run(["-c", FETCH], tmp_path)
    assert result.returncode == 0, result.stderr
    fetched = json.loads(result.stdout)
    css_url = fetched["css"][0]
    # The manifest's hashed name, served by whitenoise: runserver serves nothing with DEBUG off.
    assert re.fullmatch(r"/static/css/scr\.min\.[0-9a-f]{12}\.css", css_url)
    assert fetched == {"sign-in": 200, "css": [css_url, 200], "favicon": [302, 200], "missing": [404, True]}
