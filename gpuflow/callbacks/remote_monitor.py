"""RemoteMonitor: each epoch's logs POSTed to a server, as ``keras.callbacks.RemoteMonitor``
(through the standard library's ``urllib`` where Keras uses ``requests``)."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
import warnings

import numpy as np

from .base import Callback


class RemoteMonitor(Callback):
    """POST ``{"epoch": epoch, **logs}`` to ``root + path`` at the end of each epoch.

    Args:
        root: the server's root URL.
        path: the path the events go to.
        field: the form field holding the JSON text (when not ``send_as_json``).
        headers: extra HTTP headers.
        send_as_json: send the body as ``application/json`` instead of a form.

    A server that cannot be reached gives a warning, not an error (as Keras).
    """

    def __init__(
        self,
        root="http://localhost:9000",
        path="/publish/epoch/end/",
        field="data",
        headers=None,
        send_as_json=False,
    ) -> None:
        super().__init__()
        self.root = root
        self.path = path
        self.field = field
        self.headers = headers
        self.send_as_json = send_as_json

    def on_epoch_end(self, epoch, logs=None):
        send = {"epoch": epoch}
        for key, value in (logs or {}).items():
            send[key] = value.item() if isinstance(value, (np.ndarray, np.generic)) else value
        headers = dict(self.headers or {})
        if self.send_as_json:
            body = json.dumps(send).encode("utf-8")
            headers.setdefault("Content-Type", "application/json")
        else:
            body = urllib.parse.urlencode({self.field: json.dumps(send)}).encode("ascii")
            headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
        request = urllib.request.Request(self.root + self.path, body, headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                response.read()
        except (urllib.error.URLError, OSError):
            warnings.warn(
                "Could not reach RemoteMonitor root server at " + str(self.root), stacklevel=2
            )
