"""`make run` serves the pages, catches the mail and runs the scheduler in one process (`flask dev`)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.notify.smtp_server import free_port


def wait_for(url: str, seconds: float = 30) -> str:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.read().decode()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def test_flask_dev_delivers_the_demo_mail_to_its_own_catcher(tmp_path, database_url):
    port, mail_port = free_port(), free_port()
    env = {**os.environ, "CASEFLOW_DATABASE_URL": database_url, "CASEFLOW_MAIL_PORT": str(mail_port),
           "CASEFLOW_PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000", "CASEFLOW_STORAGE_DIR": str(tmp_path / "documents"),
           "CASEFLOW_DEFAULT_LOCALE": "en"}
    flask = [sys.executable, "-m", "flask", "--app", "caseflow"]
    instance = Path(__file__).resolve().parents[2] / "instance" / "caught-mail"
    before = set(instance.glob("*.eml")) if instance.is_dir() else set()
    subprocess.run([*flask, "init-db"], env=env, check=True, capture_output=True)
    subprocess.run([*flask, "demo"], env=env, check=True, capture_output=True)
    server = subprocess.Popen([*flask, "dev", "--port", str(port)], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
    try:
        assert "International Office" in wait_for(f"http://127.0.0.1:{port}/")
        deadline = time.monotonic() + 60  # the scheduler's first delivery round comes within 15 s
        while time.monotonic() < deadline and not (set(instance.glob("*.eml")) - before):
            time.sleep(0.5)
        caught = set(instance.glob("*.eml")) - before
        assert caught, "no demo mail reached the catcher"
    finally:
        server.terminate()
        output = server.communicate(timeout=20)[0]
        for path in set(instance.glob("*.eml")) - before:
            path.unlink()
    assert f"Mail to 127.0.0.1:{mail_port} is kept" in output  # the port it really listens on
