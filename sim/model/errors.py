"""Errors the model raises. Each carries Docker's exact text so the CLI only prints it."""

from __future__ import annotations


class DockerError(Exception):
    """A daemon error: the CLI prints ``Error response from daemon: <message>``."""

    def __init__(self, message: str, status: int = 500) -> None:
        super().__init__(message)
        self.message = message
        self.status = status  # the HTTP status the daemon would answer with


class NotFound(DockerError):
    def __init__(self, message: str) -> None:
        super().__init__(message, 404)


class Conflict(DockerError):
    def __init__(self, message: str) -> None:
        super().__init__(message, 409)


class InvalidParameter(DockerError):
    def __init__(self, message: str) -> None:
        super().__init__(message, 400)


class NotModified(DockerError):
    """HTTP 304: the client treats it as success (start on running, stop on stopped)."""

    def __init__(self, message: str = "") -> None:
        super().__init__(message, 304)


class FSError(Exception):
    """A filesystem error inside a container, named by its errno (ENOENT, EISDIR, ...)."""

    STRERROR = {
        "ENOENT": "No such file or directory",
        "EEXIST": "File exists",
        "ENOTDIR": "Not a directory",
        "EISDIR": "Is a directory",
        "ENOTEMPTY": "Directory not empty",
        "EACCES": "Permission denied",
        "EINVAL": "Invalid argument",
        "EXDEV": "Invalid cross-device link",
        "EBUSY": "Device or resource busy",
        "ENOSPC": "No space left on device",
    }

    def __init__(self, errno_name: str, path: str) -> None:
        super().__init__(f"{path}: {self.STRERROR.get(errno_name, errno_name)}")
        self.errno_name = errno_name
        self.path = path

    @property
    def strerror(self) -> str:
        return self.STRERROR.get(self.errno_name, self.errno_name)
