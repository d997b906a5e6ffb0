"""JPEG files decode to TensorFlow's pixels: libjpeg's fast integer DCT by default, its
fancy chroma upsampling, and both options of ``decode_jpeg`` (reference values from
TensorFlow 2.21 on these exact bytes)."""

import base64

import numpy as np
import pytest

import gpuflow as tf

# a 17x9 noise image Pillow wrote at quality 85, chroma subsampled 4:2:0 and 4:2:2
_S420 = base64.b64decode(
    "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAUDBAQEAwUEBAQFBQUGBwwIBwcHBw8LCwkMEQ8SEhEPERETFhwX"
    "ExQaFRERGCEYGh0dHx8fExciJCIeJBweHx7/2wBDAQUFBQcGBw4ICA4eFBEUHh4eHh4eHh4eHh4eHh4eHh4e"
    "Hh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh7/wAARCAARAAkDASIAAhEBAxEB/8QAHwAAAQUBAQEB"
    "AQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKB"
    "kaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1"
    "dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl"
    "5ufo6erx8vP09fb3+Pn6/8QAHwEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREAAgECBAQDBAcF"
    "BAQAAQJ3AAECAxEEBSExBhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5"
    "OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0"
    "tba3uLm6wsPExcbHyMnK0tPU1dbX2Nna4uPk5ebn6Onq8vP09fb3+Pn6/9oADAMBAAIRAxEAPwBNP1Xbp2na"
    "fqFjq7zXSZlkMwNu0rN5AAEm4EDBYK4GzbGpbYNlN/4Tax/6Fe5/8KFP8aqeI5JrW/voY76W3VLJJlWBdq3+"
    "N29A+7NuCHmCtnG2OR9y7tx1vM8Wf9Nv/AD/AOxrlr4vA0oqdelGXM39qpBXvd2stXqk3fotFLmOfEYbCV6c"
    "OdRsr2a5tb2drd46X73uJ8Qv+Q5d/wDYb1H/ANNoriqKKy4q+Gh6S/Q9zgX+Ni/WP/tx/9k="
)
_S422 = base64.b64decode(
    "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAUDBAQEAwUEBAQFBQUGBwwIBwcHBw8LCwkMEQ8SEhEPERETFhwX"
    "ExQaFRERGCEYGh0dHx8fExciJCIeJBweHx7/2wBDAQUFBQcGBw4ICA4eFBEUHh4eHh4eHh4eHh4eHh4eHh4e"
    "Hh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh7/wAARCAARAAkDASEAAhEBAxEB/8QAHwAAAQUBAQEB"
    "AQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKB"
    "kaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1"
    "dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl"
    "5ufo6erx8vP09fb3+Pn6/8QAHwEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREAAgECBAQDBAcF"
    "BAQAAQJ3AAECAxEEBSExBhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5"
    "OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0"
    "tba3uLm6wsPExcbHyMnK0tPU1dbX2Nna4uPk5ebn6Onq8vP09fb3+Pn6/9oADAMBAAIRAxEAPwBNP1Xbp2na"
    "fqFjq7zXSZlkMwNu0rN5AAEm4EDBYK4GzbGpbYNlN/4Tax/6Fe5/8KFP8a6afDkMwcrSaim2nGhOpK7k7qfM"
    "rxdlF9E3JpfC2/Px+U4XE0KclWptJyWqUtU1dq6lvutIys03dcpU8RyTWt/fQx30tuqWSTKsC7Vv8bt6B92b"
    "cEPMFbONscj7l3bjreZ4s/6bf+AH/wBjXzWY1srp0qcsVRag7qHvw1tZPSVkrPT3VrZSerO/63g6cVXnJpT0"
    "0qQVmkrr3uR9b6XXNKT6ifEL/kOXf/Yb1H/02iuKrt4q+Gh6S/Q9XgX+Ni/WP/tx/9k="
)

# (decode_jpeg keyword arguments, pixel sum, pixel [8, 4], pixel [-1, -1]) on TF 2.21
_TF = {
    "420": [
        ({}, 56490, [176, 203, 186], [128, 93, 53]),
        ({"dct_method": "INTEGER_ACCURATE"}, 56837, [177, 204, 187], [130, 92, 53]),
        ({"fancy_upscaling": False}, 56584, [166, 209, 179], [173, 76, 25]),
    ],
    "422": [
        ({}, 56526, [225, 176, 198], [142, 86, 51]),
        ({"dct_method": "INTEGER_ACCURATE"}, 56874, [228, 175, 201], [144, 85, 51]),
        ({"fancy_upscaling": False}, 56538, [246, 162, 212], [173, 76, 25]),
    ],
}


@pytest.mark.parametrize("kind", ["420", "422"])
def test_decode_jpeg_gives_tensorflows_pixels(kind):
    data = _S420 if kind == "420" else _S422
    for kwargs, total, middle, corner in _TF[kind]:
        image = tf.io.decode_jpeg(data, **kwargs)
        assert image.dtype == tf.uint8 and tuple(image.shape) == (17, 9, 3)
        pixels = image.numpy().astype(np.int64)
        assert pixels.sum() == total, kwargs
        assert pixels[8, 4].tolist() == middle and pixels[-1, -1].tolist() == corner, kwargs


def test_decode_image_and_cropping_use_the_same_pixels():
    full = tf.io.decode_jpeg(_S420).numpy()
    np.testing.assert_array_equal(tf.io.decode_image(_S420).numpy(), full)
    crop = tf.image.decode_and_crop_jpeg(_S420, [2, 3, 5, 4]).numpy()
    np.testing.assert_array_equal(crop, full[2:7, 3:7])
    accurate = tf.io.decode_jpeg(_S420, dct_method="INTEGER_ACCURATE").numpy()
    difference = np.abs(full.astype(int) - accurate.astype(int))
    assert 0 < difference.max() <= 8  # the two DCTs differ by a few levels
