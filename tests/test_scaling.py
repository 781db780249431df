"""Past one machine's database: the portal with a streaming replica (made by pg_basebackup) and
behind PgBouncer in transaction mode. A PostgreSQL of the module's own on spare ports (the
shared server is only read, to copy the test database's schema); the portal's smoke
(tests/smoke.py) runs in a process of its own against it."""

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
PG_BIN = next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin"))), None)
PGBOUNCER = shutil.which("pgbouncer") or shutil.which("pgbouncer", path="/usr/sbin")
AS_POSTGRES = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.slow,
    pytest.mark.skipif(PG_BIN is None, reason="PostgreSQL's binaries are not installed"),
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(port: int, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing answers on port {port}")


def run(*args, **kwargs):
    return subprocess.run(
        [*AS_POSTGRES, *map(str, args)], check=True, capture_output=True, **kwargs
    )


class Cluster:
    """A primary with the test database's schema, a streaming replica of it, and PgBouncer in
    transaction mode in front of both: all this module's own, in a temporary folder."""

    def __init__(self):
        self.folder = Path(tempfile.mkdtemp(prefix="cica-scaling-"))
        if AS_POSTGRES:
            shutil.chown(self.folder, "postgres")
        self.primary, self.replica, self.bouncer = free_port(), free_port(), free_port()
        self.started = []
        primary = self.folder / "primary"
        run(PG_BIN / "initdb", "-D", primary, "-U", "postgres", "--auth=trust")
        self.start(primary, self.primary)
        run(PG_BIN / "createdb", "-h", "127.0.0.1", "-p", self.primary, "-U", "postgres", "cica")
        with connection.cursor() as cursor:  # the test database, with every migration applied
            cursor.execute("SELECT current_database()")
            (test_database,) = cursor.fetchone()
        schema = subprocess.run(
            [
                PG_BIN / "pg_dump",
                "-h",
                "127.0.0.1",
                "-p",
                str(connection.settings_dict["PORT"] or 5432),
                "-U",
                "postgres",
                "--no-owner",
                test_database,
            ],
            check=True,
            capture_output=True,
        ).stdout
        run(
            PG_BIN / "psql", "-q", "-h", "127.0.0.1", "-p", self.primary, "-U", "postgres",
            "-v", "ON_ERROR_STOP=1", "cica", input=schema,
        )  # fmt: skip
        replica = self.folder / "replica"
        run(
            PG_BIN / "pg_basebackup", "-h", "127.0.0.1", "-p", self.primary, "-U", "postgres",
            "-D", replica, "-R", "-X", "stream", "--checkpoint=fast",
        )  # fmt: skip
        self.start(replica, self.replica)
        if PGBOUNCER:
            self.start_bouncer()

    def start(self, data: Path, port: int):
        options = f"-p {port} -k {data} -c listen_addresses=127.0.0.1"
        run(PG_BIN / "pg_ctl", "-D", data, "-o", options, "-l", data / "log", "-w", "start")
        self.started.append(data)

    def start_bouncer(self):
        users = self.folder / "users.txt"
        users.write_text('"postgres" ""\n')
        ini = self.folder / "pgbouncer.ini"
        ini.write_text(
            "[databases]\n"
            f"cica = host=127.0.0.1 port={self.primary} dbname=cica\n"
            f"cica_replica = host=127.0.0.1 port={self.replica} dbname=cica\n"
            "[pgbouncer]\n"
            f"listen_addr = 127.0.0.1\nlisten_port = {self.bouncer}\n"
            f"auth_type = trust\nauth_file = {users}\n"
            "pool_mode = transaction\n"
            # Two server connections for many clients: each transaction may get another.
            "default_pool_size = 2\nmax_client_conn = 50\n"
            "unix_socket_dir =\n"
            f"logfile = {self.folder / 'pgbouncer.log'}\n"
            "ignore_startup_parameters = extra_float_digits\n"
        )
        for path in (users, ini):
            if AS_POSTGRES:
                shutil.chown(path, "postgres")
        self.pgbouncer = subprocess.Popen([*AS_POSTGRES, PGBOUNCER, "--quiet", str(ini)])
        wait_for(self.bouncer)

    def stop(self):
        if getattr(self, "pgbouncer", None):
            self.pgbouncer.terminate()
            self.pgbouncer.wait(10)
        for data in reversed(self.started):
            subprocess.run(
                [*AS_POSTGRES, PG_BIN / "pg_ctl", "-D", data, "-m", "immediate", "-w", "stop"],
                check=False,
                capture_output=True,
            )
        shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture(scope="module")
def clusters():
    made = []
    yield made
    for cluster in made:
        cluster.stop()


@pytest.fixture
def cluster(clusters, db):
    """Made once per module, by the first test (whose database connection names the test
    database to copy)."""
    if not clusters:
        clusters.append(Cluster())
    return clusters[0]


def smoke(**env) -> dict:
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "REDIS_URL"))},
        "DJANGO_ALLOWED_HOSTS": "testserver",
        "DATABASE_REPLICA_LAG_SECONDS": "1",
        "DATABASE_CONN_MAX_AGE": "60",
        **env,
    }
    result = subprocess.run(
        [sys.executable, "-m", "tests.smoke"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def check(report: dict) -> None:
    status, queries = report["just after a change"]
    assert status == 200 and queries["replica"] == 0 and queries["default"] > 0
    public = [path for path in report if path.startswith("/")]
    assert len(public) == 10
    for path in public:
        status, queries = report[path]
        assert status == 200, path
        assert queries["default"] == 0 and queries["replica"] > 0, (path, queries)
    for path in ("signed in /admin/releases/release/",):
        status, queries = report[path]
        assert status == 200 and queries["replica"] == 0 and queries["default"] > 0
    written = report["write then read"]
    assert written["before"] == {"default": 0, "replica": 1}
    assert written["after"] == {"default": 1, "replica": 0} and written["found"] == 1
    assert report["iterated"] >= 1


def test_the_public_site_reads_the_replica_and_everything_else_the_primary(cluster):
    check(
        smoke(
            DATABASE_URL=f"postgres://postgres@127.0.0.1:{cluster.primary}/cica",
            DATABASE_REPLICA_URL=f"postgres://postgres@127.0.0.1:{cluster.replica}/cica",
        )
    )


@pytest.mark.skipif(
    PGBOUNCER is None, reason="PgBouncer is not installed (apt-get install pgbouncer)"
)
def test_the_portal_runs_behind_pgbouncer_in_transaction_mode(cluster):
    check(
        smoke(
            DATABASE_URL=f"postgres://postgres@127.0.0.1:{cluster.bouncer}/cica",
            DATABASE_REPLICA_URL=f"postgres://postgres@127.0.0.1:{cluster.bouncer}/cica_replica",
            DATABASE_POOLED="true",
        )
    )
