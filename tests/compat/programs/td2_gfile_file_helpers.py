# tf.io.gfile and the tf.io file ops as input pipelines use them: makedirs/mkdir, GFile
# reading and writing (text and bytes, seek/tell, readline), glob/listdir/walk, copy,
# rename, remove, rmtree, read_file/write_file, matching_files and Dataset.list_files.
import tensorflow as tf

gfile = tf.io.gfile
gfile.makedirs("data/train/cats")
gfile.makedirs("data/train/dogs")
gfile.makedirs("data/train/dogs")  # exists already: no error
gfile.mkdir("data/test")
gfile.mkdir("data/test")  # TensorFlow's mkdir ignores an existing directory too
assert gfile.isdir("data/train") and not gfile.exists("data/nothing")

for label in ["cats", "dogs"]:
    for i in range(2):
        with gfile.GFile(f"data/train/{label}/{i}.txt", "w") as f:
            f.write(f"{label} sample {i}\nsecond line\n")
with gfile.GFile("data/test/blob.bin", "wb") as f:
    f.write(bytes(range(10)))

with gfile.GFile("data/test/blob.bin", "rb") as f:
    assert f.read(3) == b"\x00\x01\x02" and f.tell() == 3
    f.seek(8)
    assert f.read() == b"\x08\x09"
assert (
    gfile.GFile("data/test/blob.bin").size() == 10 and gfile.stat("data/test/blob.bin").length == 10
)
with gfile.GFile("data/train/cats/0.txt") as f:
    assert f.readline() == "cats sample 0\n"
    assert f.readlines() == ["second line\n"]

assert sorted(gfile.listdir("data/train")) == ["cats", "dogs"]
files = sorted(gfile.glob("data/train/*/*.txt"))
assert files == [f"data/train/{a}/{i}.txt" for a in ["cats", "dogs"] for i in range(2)], files
walked = {top: sorted(names) for top, _, names in gfile.walk("data/train")}
assert walked["data/train/cats"] == ["0.txt", "1.txt"] and walked["data/train"] == []

gfile.copy("data/train/cats/0.txt", "data/test/copy.txt")
try:
    gfile.copy("data/train/cats/0.txt", "data/test/copy.txt")
    raise AssertionError("expected AlreadyExistsError")
except tf.errors.AlreadyExistsError:
    pass
gfile.rename("data/test/copy.txt", "data/test/moved.txt")
assert not gfile.exists("data/test/copy.txt") and gfile.exists("data/test/moved.txt")
gfile.remove("data/test/moved.txt")
try:
    gfile.remove("data/test/moved.txt")
    raise AssertionError("expected NotFoundError")
except tf.errors.NotFoundError:
    pass

# tf.io ops on files, usable inside a pipeline.
tf.io.write_file("data/test/raw.bin", tf.constant(b"\x00abc\xff"))
contents = tf.io.read_file("data/test/raw.bin")
assert contents.numpy() == b"\x00abc\xff" and int(tf.strings.length(contents)) == 5
matched = sorted(tf.io.matching_files("data/train/dogs/*.txt").numpy().tolist())
assert matched == [b"data/train/dogs/0.txt", b"data/train/dogs/1.txt"]


def load(path):
    label = tf.strings.split(path, "/")[-2]
    first_line = tf.strings.split(tf.io.read_file(path), "\n")[0]
    return label, first_line


listed = tf.data.Dataset.list_files("data/train/*/*.txt", shuffle=False)
assert int(listed.cardinality()) == 4
rows = list(listed.map(load).as_numpy_iterator())
assert rows[0] == (b"cats", b"cats sample 0") and rows[3] == (b"dogs", b"dogs sample 1"), rows
shuffled = tf.data.Dataset.list_files("data/train/*/*.txt", seed=3)
assert sorted(shuffled.as_numpy_iterator()) == sorted(listed.as_numpy_iterator())

gfile.rmtree("data/train")
assert not gfile.exists("data/train") and gfile.exists("data/test")
print("pipeline rows:", len(rows))
