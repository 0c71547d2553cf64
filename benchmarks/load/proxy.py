"""deploy/nginx.conf run locally: the deployment's proxy in front of the gunicorn pools of a test or a load run.

The site file is the deployed one with only the upstream addresses and the listening port replaced, so what is
measured and tested is the routing that production uses (POST /accounts/login/ to the login pool).
"""

import os
import shutil
from pathlib import Path

from benchmarks.faults.harness import ROOT, Process, port_open, wait_until

SITE = ROOT / "deploy" / "nginx.conf"


def nginx_binary():
    return shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)


def write_config(work, *, listen, pages, login):
    """Write nginx.conf + site.conf into ``work`` for 127.0.0.1 ports; returns the main file's path."""
    work = Path(work)
    site = (SITE.read_text(encoding="utf-8")
            .replace("server web:8000;", f"server 127.0.0.1:{pages};")
            .replace("server web-login:8000;", f"server 127.0.0.1:{login};")
            .replace("listen 80;", f"listen 127.0.0.1:{listen};"))
    (work / "site.conf").write_text(site, encoding="utf-8")
    main = work / "nginx.conf"
    main.write_text(
        f"pid {work}/nginx.pid; error_log {work}/nginx-error.log; daemon off; worker_processes 1;\n"
        f"events {{ worker_connections 1024; }}\n"
        f"http {{ access_log off; client_body_temp_path {work}; proxy_temp_path {work};\n"
        f"  include {work}/site.conf; }}\n", encoding="utf-8")
    return main


class Nginx(Process):
    """nginx in the foreground (a Lab member: stopped with the rest)."""

    def __init__(self, port, *, pages, login, log_dir):
        self.port = port
        config = write_config(log_dir, listen=port, pages=pages, login=login)
        super().__init__(f"nginx-{port}", [nginx_binary(), "-c", config], log_dir=log_dir)

    @property
    def base_url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self, ready_timeout=15):
        super().start()
        wait_until(lambda: port_open(self.port) or not self.alive(), ready_timeout, interval=0.05,
                   what=f"nginx on {self.port}")
        return self
