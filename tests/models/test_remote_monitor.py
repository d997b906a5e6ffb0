"""keras.callbacks.RemoteMonitor: each epoch's logs POSTed to a local HTTP server."""

import http.server
import json
import threading
import urllib.parse

import numpy as np
import pytest

from gpuflow import keras


class _Recorder(http.server.BaseHTTPRequestHandler):
    received: list = []

    def do_POST(self):  # noqa: N802 (http.server's name)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        _Recorder.received.append((self.path, self.headers["Content-Type"], body))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    _Recorder.received = []
    httpd = http.server.HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
    thread.join()


def _fit(callback, epochs=2):
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    return model.fit(
        np.ones((8, 2)), np.zeros((8, 1)), epochs=epochs, verbose=0, callbacks=[callback]
    )


@pytest.mark.parametrize("send_as_json", [False, True])
def test_each_epoch_posts_its_logs(server, send_as_json):
    history = _fit(keras.callbacks.RemoteMonitor(root=server, send_as_json=send_as_json))
    assert len(_Recorder.received) == 2
    for epoch, (path, kind, body) in enumerate(_Recorder.received):
        assert path == "/publish/epoch/end/"
        if send_as_json:
            assert kind == "application/json"
            sent = json.loads(body)
        else:
            assert kind == "application/x-www-form-urlencoded"
            sent = json.loads(urllib.parse.parse_qs(body.decode())["data"][0])
        assert sent["epoch"] == epoch
        assert sent["loss"] == pytest.approx(history.history["loss"][epoch])
        assert sent["mae"] == pytest.approx(history.history["mae"][epoch])


def test_unreachable_server_warns():
    monitor = keras.callbacks.RemoteMonitor(root="http://127.0.0.1:9", path="/x")
    with pytest.warns(UserWarning, match="Could not reach RemoteMonitor root server"):
        _fit(monitor, epochs=1)
