"""A real OpenLDAP server for the directory tests: Debian's slapd on a free loopback port,
with a temporary configuration and the people in people.ldif, reloaded for every test.

Without slapd the tests are skipped on a developer's machine, but fail in CI (CI=true or
LMS_REQUIRE_LDAP=1; .ci/run installs slapd when it is missing)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

SLAPD = os.environ.get("SLAPD", "/usr/sbin/slapd")
HERE = Path(__file__).resolve().parent
SUFFIX = "dc=example,dc=com"
ROOT_DN = f"cn=admin,{SUFFIX}"
ROOT_PW = "test-directory-admin"  # noqa: S105 - a throwaway test server's password


def _required() -> bool:
    return bool(os.environ.get("LMS_REQUIRE_LDAP")) or \
        os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _installed() -> bool:
    return Path(SLAPD).exists() and shutil.which("ldapadd") is not None


MISSING = (f"OpenLDAP slapd not found at {SLAPD}: directory tests not run "
           "(apt-get install slapd ldap-utils)")


def pytest_collection_modifyitems(config, items):
    if _installed() or _required():  # in CI a missing slapd fails the tests (slapd_server)
        return
    for item in items:
        if "tests/directory/" in str(item.fspath):
            item.add_marker(pytest.mark.skip(reason=MISSING))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Directory:
    url: str
    folder: Path

    def ldap(self, tool: str, *args: str, stdin: str | None = None) -> None:
        subprocess.run([tool, "-x", "-H", self.url, "-D", ROOT_DN, "-w", ROOT_PW, *args],
                       input=stdin, text=True, check=True, capture_output=True)

    def reset(self) -> None:
        for ou in ("people", "groups"):
            subprocess.run(["ldapdelete", "-x", "-H", self.url, "-D", ROOT_DN, "-w", ROOT_PW,
                            "-r", f"ou={ou},{SUFFIX}"], capture_output=True)
        self.ldap("ldapadd", "-f", str(HERE / "people.ldif"))

    def modify(self, ldif: str) -> None:
        self.ldap("ldapmodify", stdin=ldif)

    def config(self) -> dict:
        return {"LDAP_URL": self.url, "LDAP_BASE_DN": f"ou=people,{SUFFIX}",
                "LDAP_BIND_DN": ROOT_DN, "LDAP_BIND_PASSWORD": ROOT_PW,
                "LDAP_GROUP_ROLES": f"trainer:cn=lms-trainers,ou=groups,{SUFFIX}",
                "LDAP_TIMEOUT": 3}


@pytest.fixture(scope="session")
def slapd_server():
    if not _installed():
        pytest.fail(MISSING + " — CI must run them (.ci/ldap-deps.sh installs slapd)")
    folder = Path(tempfile.mkdtemp(prefix="lms-slapd-"))
    (folder / "db").mkdir()
    schema = Path("/etc/ldap/schema")
    (folder / "slapd.conf").write_text(f"""
include {schema}/core.schema
include {schema}/cosine.schema
include {schema}/inetorgperson.schema
pidfile {folder}/slapd.pid
modulepath /usr/lib/ldap
moduleload back_mdb
database mdb
maxsize 10485760
suffix "{SUFFIX}"
rootdn "{ROOT_DN}"
rootpw {ROOT_PW}
directory {folder}/db
""")
    port = _free_port()
    url = f"ldap://127.0.0.1:{port}"
    log = (folder / "slapd.log").open("wb")
    proc = subprocess.Popen([SLAPD, "-d", "0", "-h", f"{url}/", "-f",
                             str(folder / "slapd.conf")], stdout=log, stderr=log)
    directory = Directory(url, folder)
    try:
        for _ in range(100):
            if proc.poll() is not None:
                raise RuntimeError("slapd did not start: "
                                   + (folder / "slapd.log").read_text()[-2000:])
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                time.sleep(0.1)
        directory.ldap("ldapadd", stdin=f"dn: {SUFFIX}\nobjectClass: dcObject\n"
                                        "objectClass: organization\ndc: example\no: Example\n")
        yield directory
    finally:
        proc.terminate()
        proc.wait(10)
        log.close()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture()
def directory(slapd_server, app, monkeypatch) -> Directory:
    """The test directory as people.ldif has it, and the app configured to use it."""
    slapd_server.reset()
    for key, value in slapd_server.config().items():
        monkeypatch.setitem(app.config, key, value)
    return slapd_server
