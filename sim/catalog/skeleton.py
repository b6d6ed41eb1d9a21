"""A sample of the files in catalog layers, so a container of a real image has a root
filesystem to explore. The data has real digests and sizes but no file lists: these are
the well-known paths of each distribution and application, with their usual sizes.
Their bytes count inside the layer's real size; they are not added to it."""

from __future__ import annotations

from ..model.layer import FileEntry, dir_entry, file_entry, sized_entry

EPOCH = 1758000000  # files carry a fixed mtime (Sep 2026), like a reproducible rootfs

COMMON_DIRS = [
    "/bin", "/boot", "/dev", "/etc", "/home", "/lib", "/media", "/mnt", "/opt", "/proc",
    "/root", "/run", "/sbin", "/srv", "/sys", "/tmp", "/usr", "/usr/bin", "/usr/lib",
    "/usr/local", "/usr/local/bin", "/usr/sbin", "/usr/share", "/var", "/var/cache", "/var/lib",
    "/var/log", "/var/tmp",
]

PASSWD = (
    "root:x:0:0:root:/root:/bin/sh\n"
    "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
    "bin:x:2:2:bin:/bin:/usr/sbin/nologin\n"
    "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n"
)

INDEX_HTML = (
    "<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n<style>\nhtml { "
    "color-scheme: light dark; }\nbody { width: 35em; margin: 0 auto;\nfont-family: Tahoma, "
    "Verdana, Arial, sans-serif; }\n</style>\n</head>\n<body>\n<h1>Welcome to nginx!</h1>\n"
    "<p>If you see this page, the nginx web server is successfully installed and\nworking. "
    "Further configuration is required.</p>\n\n<p>For online documentation and support please "
    "refer to\n<a href=\"http://nginx.org/\">nginx.org</a>.<br/>\nCommercial support is "
    "available at\n<a href=\"http://nginx.com/\">nginx.com</a>.</p>\n\n<p><em>Thank you for "
    "using nginx.</em></p>\n</body>\n</html>\n"
)


GROUP = "root:x:0:\ndaemon:x:1:\nbin:x:2:\nusers:x:100:\nnogroup:x:65534:\n"

#: Users an official image adds (name, uid, gid, home): the app layer rewrites
#: /etc/passwd and /etc/group, as useradd/adduser did when the image was built.
APP_USERS = {
    "nginx": [("nginx", 101, 101, "/nonexistent")],
    "redis": [("redis", 999, 999, "/home/redis")],
    "postgres": [("postgres", 999, 999, "/var/lib/postgresql")],
    "node": [("node", 1000, 1000, "/home/node")],
    "mysql": [("mysql", 999, 999, "/var/lib/mysql")],
    "mongo": [("mongodb", 999, 999, "/data/db")],
    "rabbitmq": [("rabbitmq", 999, 999, "/var/lib/rabbitmq")],
    "memcached": [("memcache", 11211, 11211, "/home/memcache")],
    "elasticsearch": [("elasticsearch", 1000, 1000, "/usr/share/elasticsearch")],
}


def _accounts(users: list[tuple[str, int, int, str]]) -> dict[str, FileEntry]:
    passwd = PASSWD + "".join(f"{n}:x:{u}:{g}::{h}:/bin/sh\n" for n, u, g, h in users)
    group = GROUP + "".join(f"{n}:x:{g}:\n" for n, _u, g, _h in users)
    return {"/etc/passwd": _text(passwd), "/etc/group": _text(group)}


def _dirs(paths: list[str]) -> dict[str, FileEntry]:
    out: dict[str, FileEntry] = {}
    for p in paths:
        parts = p.strip("/").split("/")
        for i in range(1, len(parts) + 1):
            out.setdefault("/" + "/".join(parts[:i]), dir_entry(mtime=EPOCH))
    out["/tmp"] = dir_entry(mode=0o1777, mtime=EPOCH)
    out["/root"] = dir_entry(mode=0o700, mtime=EPOCH)
    return out


def _text(text: str, mode: int = 0o644) -> FileEntry:
    return file_entry(text.encode(), mode=mode, mtime=EPOCH)


def _bin(size: int, name: str) -> FileEntry:
    return sized_entry(size, name, mode=0o755, mtime=EPOCH)


def base_files(distro: str, pretty: str) -> dict[str, FileEntry]:
    """The rootfs sample of a base layer (Debian/Ubuntu-like or Alpine)."""
    files = _dirs(COMMON_DIRS)
    files.update(_accounts([]))
    files["/etc/hostname"] = _text("localhost\n")
    files["/etc/os-release"] = _text(f'PRETTY_NAME="{pretty}"\nID={distro}\n')
    if distro == "alpine":
        files["/bin/busybox"] = _bin(808_712, "busybox")
        files["/bin/sh"] = FileEntry("symlink", 12, 0o777, target="/bin/busybox", mtime=EPOCH)
        files["/etc/alpine-release"] = _text(pretty.split()[-1] + "\n")
    else:
        files["/usr/bin/dash"] = _bin(125_640, "dash")
        files["/usr/bin/bash"] = _bin(1_265_648, "bash")
        files["/bin/sh"] = FileEntry("symlink", 4, 0o777, target="dash", mtime=EPOCH)
        files["/usr/bin/ls"] = _bin(151_344, "ls")
        files["/usr/bin/cat"] = _bin(44_016, "cat")
        files["/etc/debian_version"] = _text("13.1\n")
    return files


def app_files(image: str) -> dict[str, FileEntry]:
    """Well-known files an application image adds, keyed by the official image name."""
    files = _app_files(image)
    if image in APP_USERS:
        files.update(_accounts(APP_USERS[image]))
    return files


def _app_files(image: str) -> dict[str, FileEntry]:
    if image == "node":
        files = _dirs(["/usr/local/bin", "/home/node"])
        files["/usr/local/bin/node"] = _bin(120_000_000, "node")
        return files
    if image == "nginx":
        files = _dirs(["/usr/share/nginx/html", "/etc/nginx/conf.d", "/docker-entrypoint.d",
                       "/var/cache/nginx", "/var/log/nginx", "/usr/sbin"])
        files["/usr/share/nginx/html/index.html"] = _text(INDEX_HTML)
        files["/usr/share/nginx/html/50x.html"] = sized_entry(497, "50x.html", mtime=EPOCH)
        files["/etc/nginx/nginx.conf"] = sized_entry(644, "nginx.conf", mtime=EPOCH)
        files["/etc/nginx/conf.d/default.conf"] = sized_entry(1093, "default.conf", mtime=EPOCH)
        files["/usr/sbin/nginx"] = _bin(1_610_160, "nginx")
        files["/docker-entrypoint.sh"] = sized_entry(1620, "entry", mode=0o775, mtime=EPOCH)
        return files
    if image == "redis":
        files = _dirs(["/data", "/usr/local/bin"])
        files["/usr/local/bin/redis-server"] = _bin(13_200_000, "redis-server")
        files["/usr/local/bin/docker-entrypoint.sh"] = sized_entry(
            2300, "entry", mode=0o775, mtime=EPOCH)
        return files
    if image == "postgres":
        files = _dirs(["/var/lib/postgresql/data", "/usr/lib/postgresql",
                       "/docker-entrypoint-initdb.d"])
        files["/usr/local/bin/docker-entrypoint.sh"] = sized_entry(
            12_000, "entry", mode=0o775, mtime=EPOCH)
        return files
    if image == "httpd":
        files = _dirs(["/usr/local/apache2/htdocs", "/usr/local/apache2/conf"])
        files["/usr/local/apache2/htdocs/index.html"] = _text(
            "<html><body><h1>It works!</h1></body></html>\n")
        return files
    if image in APP_USERS:
        return _dirs([APP_USERS[image][0][3]])
    return {}
