"""Start, seed and stop a real WordPress: Debian's package, our own MariaDB, ``php -S``.

One :class:`WordPress` per test session: a ``mariadbd`` on a unix socket in a temporary folder
(``--skip-networking``: no TCP at all), a config file ``/etc/wordpress/config-<name>.php`` with
a name of our own (Debian's ``wp-config.php`` picks it by the ``WORDPRESS_CONFIG`` server
variable, which our router sets), and the sample site seeded once through ``wp-load.php`` into
tables with the prefix ``seed_``. Each served site (:meth:`WordPress.site`) is a copy of those
tables under its own prefix, with its own address, theme and ``php -S 127.0.0.1:PORT``; copying
takes milliseconds, so a test that edits posts gets a site of its own.

Every process started here is asked to die with the test run (``PR_SET_PDEATHSIG``) and is
stopped by :meth:`WordPress.stop`; the config file is removed with it.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from tests.support.wordpress.seed_data import SEED_HOME, seed_data

PHP_DIR = Path(__file__).with_name("php")
WORDPRESS = Path("/usr/share/wordpress")
CONFIG_DIR = Path("/etc/wordpress")
THEMES = Path("/var/lib/wordpress/wp-content/themes")
CLASSIC = "twentytwentyone"
BLOCK = "twentytwentythree"
PACKAGES = (
    "wordpress wordpress-theme-twentytwentyone wordpress-theme-twentytwentythree php-cli "
    "php-mysql php-mbstring php-xml php-gd mariadb-server mariadb-client"
)
_CONFIG_PREFIX = "reader-test-"
_START_DEADLINE = 60.0


class WordPressError(Exception):
    """The test WordPress could not be started or seeded; says what and why."""


def unavailable() -> str | None:
    """Why a real WordPress cannot run here (a missing package, no root), or None."""
    needs = {
        "php": shutil.which("php"),
        "mariadbd": shutil.which("mariadbd") or _sbin("mariadbd"),
        "mariadb-install-db": shutil.which("mariadb-install-db"),
        "mariadb": shutil.which("mariadb"),
    }
    missing = [name for name, found in needs.items() if not found]
    for path in (WORDPRESS / "wp-config.php", THEMES / CLASSIC, THEMES / BLOCK):
        if not path.exists():
            missing.append(str(path))
    if missing:
        return f"no WordPress to test against (missing {', '.join(missing)}; apt: {PACKAGES})"
    if not os.access(CONFIG_DIR, os.W_OK):
        return f"no WordPress to test against ({CONFIG_DIR} is not writable: run as root)"
    modules = subprocess.run(
        ["php", "-m"], capture_output=True, text=True, check=False, timeout=30
    ).stdout.lower()
    absent = [m for m in ("mysqli", "gd", "mbstring", "xml") if m not in modules.split()]
    if absent:
        return f"no WordPress to test against (PHP lacks {', '.join(absent)}; apt: {PACKAGES})"
    return None


def _sbin(name: str) -> str | None:
    path = Path("/usr/sbin") / name
    return str(path) if path.exists() else None


_PR_SET_PDEATHSIG = 1
_libc = ctypes.CDLL(None, use_errno=True)


def _die_with_parent() -> None:
    # Runs in the child between fork and exec: a killed test run takes its servers along.
    _libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_until_closed(port: int, *, deadline: float = 20.0) -> None:
    """Wait until nothing answers on ``port``: php's killed workers may hold it a moment,
    and a test that stopped the site expects "connection refused", not a reset."""
    give_up = time.monotonic() + deadline
    while time.monotonic() < give_up:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                pass
        except OSError:
            return
        time.sleep(0.05)
    raise WordPressError(f"port {port} still answers {deadline:.0f} s after its server stopped")


def _stop(process: subprocess.Popen[bytes], *, grace: float = 20.0) -> None:
    """Stop a process we started (and its group: php's workers), politely, then firmly."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(grace)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(5)
    # Workers of ``php -S`` outlive a master that died first; the group finds them.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)


@dataclass
class WordPressSite:
    """One served WordPress site: a copy of the seeded tables, a theme, a ``php -S``."""

    wordpress: WordPress
    prefix: str
    url: str
    """``http://127.0.0.1:PORT/``, with the trailing slash the reader's sources have."""
    theme: str
    rest: str
    """``open``, ``locked`` (401 for every REST request) or ``missing`` (404, no link)."""
    navigation: str
    """``theme`` (as the theme has it), ``hidden`` (none) or ``blocks`` (navigation blocks)."""
    process: subprocess.Popen[bytes] | None = None

    @property
    def home(self) -> str:
        """The address WordPress has for itself, without the trailing slash."""
        return self.url.rstrip("/")

    @property
    def port(self) -> int:
        """The port ``php -S`` listens on."""
        return int(self.home.rsplit(":", 1)[1])

    def php(self, code: str) -> Any:
        """Run PHP inside this site (``wp-load.php`` loaded) and return its ``return`` value."""
        return self.wordpress.run_php(code, prefix=self.prefix, home=self.home)

    def sql(self, statement: str) -> str:
        """Run SQL on the database; ``{p}`` is this site's table prefix."""
        return self.wordpress.sql(statement.replace("{p}", self.prefix))

    def requests(self) -> list[tuple[str, str, int]]:
        """(method, target, status) of every request this site's router answered."""
        try:
            lines = self.wordpress.requests_file(self).read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return []
        found = []
        for line in lines:
            status, method, target = line.split(" ", 2)
            found.append((method, target, int(status)))
        return found

    def restart(self, *, rest: str | None = None, navigation: str | None = None) -> None:
        """Serve the same site on the same port again, its REST API or navigation changed."""
        if self.process is not None:
            _stop(self.process)
            self.process = None
        self.rest = rest or self.rest
        self.navigation = navigation or self.navigation
        self.wordpress.serve(self)

    def stop(self) -> None:
        """Stop serving this site and drop its tables."""
        if self.process is not None:
            _stop(self.process)
            self.process = None
            _wait_until_closed(self.port)
        self.wordpress.drop_tables(self.prefix)


@dataclass
class WordPress:
    """MariaDB plus the seeded WordPress; :meth:`site` serves copies of it."""

    folder: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="reader-wp-")))
    name: str = field(
        default_factory=lambda: f"{_CONFIG_PREFIX}{os.getpid()}-{secrets.token_hex(4)}"
    )
    timings: dict[str, float] = field(default_factory=dict)
    """Seconds each step of :meth:`start` took, for the test run's summary."""
    seeded: dict[str, Any] = field(default_factory=dict)
    """What seed.php returned: ids WordPress gave the terms, authors and pages."""
    _mariadb: subprocess.Popen[bytes] | None = None
    _sites: list[WordPressSite] = field(default_factory=list)
    _counter: int = 0

    @property
    def socket(self) -> Path:
        """The MariaDB socket (the only way in: no TCP)."""
        return self.folder / "mysqld.sock"

    @property
    def uploads(self) -> Path:
        """Where the sites' uploads (featured images) live; shared by every copy."""
        return self.folder / "uploads"

    @property
    def config_file(self) -> Path:
        """The file Debian's ``wp-config.php`` loads for our ``WORDPRESS_CONFIG`` name."""
        return CONFIG_DIR / f"config-{self.name}.php"

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> None:
        """Install and start MariaDB, write the config, seed the sample site."""
        _remove_stale_configs()
        try:
            self._timed("install MariaDB", self._install_db)
            self._timed("start MariaDB", self._start_db)
            self._timed("config", self._write_config)
            self._timed("seed", self._seed)
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        """Stop every site and MariaDB, remove the config file and the folder."""
        for site in list(self._sites):
            if site.process is not None:
                _stop(site.process)
                site.process = None
        self._sites.clear()
        if self._mariadb is not None:
            _stop(self._mariadb, grace=30.0)
            self._mariadb = None
        with contextlib.suppress(FileNotFoundError):
            self.config_file.unlink()
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> WordPress:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _timed(self, what: str, step: Callable[[], None]) -> None:
        began = time.monotonic()
        step()
        self.timings[what] = time.monotonic() - began

    def _install_db(self) -> None:
        self._scratch.mkdir(exist_ok=True)
        self._run(
            [
                "mariadb-install-db",
                "--no-defaults",
                f"--datadir={self.folder / 'db'}",
                f"--tmpdir={self._scratch}",
                "--auth-root-authentication-method=normal",
                "--skip-test-db",
                *self._user(),
                "--innodb-log-file-size=4M",
            ],
            "mariadb-install-db",
        )

    @property
    def _scratch(self) -> Path:
        """MariaDB's temporary files, in this instance's folder: under the shared /tmp, the
        bootstrap once lost a temporary table of its own ("Could not remove temporary table
        '/tmp/#sql-temptable-…', error: 2") with other test runs on the machine."""
        return self.folder / "db-tmp"

    def _user(self) -> list[str]:
        return ["--user=root"] if os.geteuid() == 0 else []

    def _start_db(self) -> None:
        log = self.folder / "mariadb.log"
        self._mariadb = subprocess.Popen(
            [
                shutil.which("mariadbd") or "/usr/sbin/mariadbd",
                "--no-defaults",
                f"--datadir={self.folder / 'db'}",
                f"--tmpdir={self._scratch}",
                f"--socket={self.socket}",
                f"--pid-file={self.folder / 'mariadb.pid'}",
                f"--log-error={log}",
                "--skip-networking",
                "--skip-log-bin",
                "--innodb-log-file-size=4M",
                "--innodb-buffer-pool-size=32M",
                # A test database: a crash may lose the last second, which nobody needs.
                "--innodb-flush-log-at-trx-commit=0",
                "--innodb-doublewrite=0",
                *self._user(),
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            preexec_fn=_die_with_parent,
        )
        deadline = time.monotonic() + _START_DEADLINE
        while True:
            if self._mariadb.poll() is not None:
                raise WordPressError(f"mariadbd exited at start: {_tail(log)}")
            if self.socket.exists():
                probe = subprocess.run(
                    self._client("-e", "SELECT 1"), capture_output=True, check=False
                )
                if probe.returncode == 0:
                    break
            if time.monotonic() > deadline:
                raise WordPressError(f"mariadbd did not answer within a minute: {_tail(log)}")
            time.sleep(0.05)
        self.sql("CREATE DATABASE wordpress CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")

    def _client(self, *args: str, database: str | None = None) -> list[str]:
        command = ["mariadb", "--no-defaults", f"--socket={self.socket}", "-uroot", "--batch"]
        if database:
            command.append(database)
        return [*command, *args]

    def _write_config(self) -> None:
        self.uploads.mkdir(parents=True, exist_ok=True)
        plugins = self.folder / "mu-plugins"
        plugins.mkdir(exist_ok=True)
        shutil.copy(PHP_DIR / "mu-plugin.php", plugins / "reader-test-site.php")
        # Debian's wp-config.php reads this file; the prefix comes from the process that
        # serves (or seeds) one site, so one config serves every copy.
        self.config_file.write_text(
            "<?php\n"
            f"// Written by stemcell-reader's tests for {self.folder}; removed when they end.\n"
            "define('DB_NAME', 'wordpress');\n"
            "define('DB_USER', 'root');\n"
            "define('DB_PASSWORD', '');\n"
            f"define('DB_HOST', {_php_string('localhost:' + str(self.socket))});\n"
            "$table_prefix = getenv('READER_WP_PREFIX') ?: 'seed_';\n"
            f"define('WPMU_PLUGIN_DIR', {_php_string(str(plugins))});\n"
            "define('DISABLE_WP_CRON', true);\n"
            "define('AUTOMATIC_UPDATER_DISABLED', true);\n"
            "define('WP_HTTP_BLOCK_EXTERNAL', true);\n"
            "define('WP_DEBUG', false);\n"
            "define('AUTH_KEY', 'test'); define('SECURE_AUTH_KEY', 'test');\n"
            "define('LOGGED_IN_KEY', 'test'); define('NONCE_KEY', 'test');\n"
            "define('AUTH_SALT', 'test'); define('SECURE_AUTH_SALT', 'test');\n"
            "define('LOGGED_IN_SALT', 'test'); define('NONCE_SALT', 'test');\n",
            encoding="utf-8",
        )

    def _seed(self) -> None:
        data = self.folder / "seed.json"
        data.write_text(json.dumps(seed_data()), encoding="utf-8")
        code = (PHP_DIR / "seed.php").read_text(encoding="utf-8")
        self.seeded = self.run_php(
            code,
            prefix="seed_",
            home=SEED_HOME,
            env={"READER_WP_INSTALLING": "1", "READER_WP_SEED": str(data)},
        )
        # Copies swap the address in by text; a serialized PHP value holding it would break.
        serialized = self.sql(
            "SELECT option_name FROM seed_options WHERE option_value LIKE"
            f" '%{SEED_HOME.removeprefix('http://')}%' AND option_name NOT IN ('home', 'siteurl')"
        )
        if serialized.strip():
            raise WordPressError(f"seeded options hold the seed address: {serialized}")

    # -- helpers for sites and tests -------------------------------------------------------

    def _run(self, command: list[str], what: str, **kw: Any) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(command, capture_output=True, text=True, check=False, **kw)
        if done.returncode != 0:
            raise WordPressError(f"{what} failed ({done.returncode}): {done.stderr[-2000:]}")
        return done

    def sql(self, statement: str) -> str:
        """Run SQL on the ``wordpress`` database; returns the client's tab-separated output."""
        database = None if statement.lstrip().upper().startswith("CREATE DATABASE") else "wordpress"
        return self._run(
            self._client("-e", statement, database=database), f"SQL {statement[:60]!r}"
        ).stdout

    def run_php(
        self, code: str, *, prefix: str, home: str, env: dict[str, str] | None = None
    ) -> Any:
        """Run PHP code (a ``<?php`` file's text) inside one site; returns its value."""
        environment = {
            **os.environ,
            "READER_WP_PREFIX": prefix,
            "READER_WP_UPLOADS": str(self.uploads),
            **(env or {}),
        }
        done = self._run(
            [
                "php",
                "-d",
                "display_errors=stderr",
                str(PHP_DIR / "run.php"),
                self.name,
                prefix,
                home,
            ],
            "php",
            input=code if code.lstrip().startswith("<?php") else "<?php " + code,
            env=environment,
            timeout=600,
        )
        marker = "\n--reader-result--\n"
        if marker not in done.stdout:
            raise WordPressError(
                f"PHP ended without a result: {done.stdout[-2000:]} {done.stderr[-2000:]}"
            )
        return json.loads(done.stdout.rsplit(marker, 1)[1])

    def drop_tables(self, prefix: str) -> None:
        """Drop one copy's tables (never the seeded ones)."""
        if prefix == "seed_" or self._mariadb is None:
            return
        tables = self._tables(prefix)
        if tables:
            self.sql("DROP TABLE " + ", ".join(f"`{t}`" for t in tables))

    def _tables(self, prefix: str) -> list[str]:
        pattern = prefix.replace("_", "\\_") + "%"
        return [t for t in self.sql(f"SHOW TABLES LIKE '{pattern}'").splitlines()[1:] if t]

    def site(
        self,
        theme: str = CLASSIC,
        *,
        rest: str = "open",
        navigation: str = "theme",
        feed_excerpts: bool = False,
    ) -> WordPressSite:
        """A new copy of the seeded site, served by its own ``php -S`` on a free port."""
        self._counter += 1
        prefix = f"s{self._counter}_"
        port = _free_port()
        home = f"http://127.0.0.1:{port}"
        self._copy_tables(prefix, home, theme, feed_excerpts)
        site = WordPressSite(self, prefix, home + "/", theme, rest, navigation)
        self._sites.append(site)
        self.serve(site)
        return site

    def _copy_tables(self, prefix: str, home: str, theme: str, feed_excerpts: bool) -> None:
        began = time.monotonic()
        statements: list[str] = []
        for table in self._tables("seed_"):
            copy = prefix + table.removeprefix("seed_")
            statements += [
                f"CREATE TABLE `{copy}` LIKE `{table}`",
                f"INSERT INTO `{copy}` SELECT * FROM `{table}`",
            ]
        seed = SEED_HOME
        statements += [
            f"UPDATE {prefix}posts SET post_content=REPLACE(post_content, '{seed}', '{home}'),"
            f" guid=REPLACE(guid, '{seed}', '{home}')",
            f"UPDATE {prefix}options SET option_value='{home}'"
            " WHERE option_name IN ('home', 'siteurl')",
            f"UPDATE {prefix}options SET option_value='{theme}'"
            " WHERE option_name IN ('template', 'stylesheet')",
            f"UPDATE {prefix}options SET option_value='{int(feed_excerpts)}'"
            " WHERE option_name='rss_use_excerpt'",
            # WordPress keys roles and capabilities by table prefix.
            f"UPDATE {prefix}options SET option_name='{prefix}user_roles'"
            " WHERE option_name='seed_user_roles'",
            f"UPDATE {prefix}usermeta SET meta_key=CONCAT('{prefix}', SUBSTRING(meta_key, 6))"
            " WHERE meta_key LIKE 'seed\\_%'",
        ]
        self.sql(";\n".join(statements))
        self.timings.setdefault("copy a site", time.monotonic() - began)

    def serve(self, site: WordPressSite) -> None:
        """Start (or start again) the ``php -S`` of ``site``."""
        began = time.monotonic()
        log = self.folder / f"php-{site.prefix.rstrip('_')}.log"
        environment = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "READER_WP_CONFIG": self.name,
            "READER_WP_PREFIX": site.prefix,
            "READER_WP_UPLOADS": str(self.uploads),
            "READER_WP_REST": site.rest,
            "READER_WP_NAV": site.navigation,
            "READER_WP_REQUESTS": str(self.requests_file(site)),
            # The reader asks for a few pages at once; one php process would queue them.
            "PHP_CLI_SERVER_WORKERS": "4",
        }
        php = [
            "php",
            *("-d", "display_errors=stderr", "-d", "log_errors=0", "-d", "memory_limit=256M"),
            *("-S", f"127.0.0.1:{site.port}", "-t", str(WORDPRESS), str(PHP_DIR / "router.php")),
        ]
        # php's workers outlive their master when it is killed, so a shell holds the group:
        # when the test run dies (PR_SET_PDEATHSIG) or stops it, it kills the whole group.
        script = 'trap "kill -KILL 0" TERM INT HUP; "$@" & wait'
        with log.open("wb") as output:
            site.process = subprocess.Popen(
                ["sh", "-c", script, "php-server", *php],
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=output,
                env=environment,
                start_new_session=True,
                preexec_fn=_die_with_parent,
            )
        deadline = time.monotonic() + _START_DEADLINE
        while True:
            if site.process.poll() is not None:
                raise WordPressError(f"php -S exited at start: {_tail(log)}")
            try:
                answer = httpx.get(site.url + "feed/", timeout=10)
                if answer.status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise WordPressError(f"php -S did not answer within a minute: {_tail(log)}")
            time.sleep(0.05)
        self.timings.setdefault("serve a site", time.monotonic() - began)

    def requests_file(self, site: WordPressSite) -> Path:
        """Where a site's router notes each request: ``STATUS METHOD TARGET`` a line."""
        return self.folder / f"requests-{site.prefix.rstrip('_')}.log"

    def log(self, site: WordPressSite, *, size: int | None = 20000) -> str:
        """What a site's ``php -S`` has printed (requests and PHP errors), its end or all."""
        return _tail(self.folder / f"php-{site.prefix.rstrip('_')}.log", size)


def _php_string(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _tail(path: Path, size: int | None = 2000) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
        return text if size is None else text[-size:]
    except OSError:
        return f"({path} is missing)"


def _remove_stale_configs() -> None:
    """Config files (and folders) of killed test runs; never those of a run still going."""
    for config in CONFIG_DIR.glob(f"config-{_CONFIG_PREFIX}*.php"):
        owner = config.name.removeprefix(f"config-{_CONFIG_PREFIX}").split("-", 1)[0]
        if not owner.isdigit() or Path(f"/proc/{owner}").exists():
            continue
        with contextlib.suppress(OSError):
            text = config.read_text(encoding="utf-8", errors="replace")
            folder = text.split(" for ", 1)[1].split(";", 1)[0] if " for " in text else ""
            if folder.startswith(tempfile.gettempdir() + "/reader-wp-"):
                shutil.rmtree(folder, ignore_errors=True)
            config.unlink()


@contextlib.contextmanager
def running(*themes: str) -> Iterator[tuple[WordPress, list[WordPressSite]]]:
    """A started WordPress with one site per theme, stopped on leaving (for scripts)."""
    wordpress = WordPress()
    with wordpress:
        yield wordpress, [wordpress.site(theme) for theme in themes]
