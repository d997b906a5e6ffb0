"""tf.compat.v1.flags and app.run: absl's parsing rules and error types (as TF 2.21)."""

import pytest

import gpuflow as tf

flags = tf.compat.v1.flags


@pytest.fixture
def values():
    fv = flags.FlagValues()
    flags.DEFINE_integer("epochs", 3, "epochs", lower_bound=1, flag_values=fv)
    flags.DEFINE_boolean("verbose", False, "talk", flag_values=fv)
    flags.DEFINE_list("sizes", "8,4", "sizes", flag_values=fv)
    flags.DEFINE_enum("mode", "train", ["train", "eval"], "mode", flag_values=fv)
    return fv


def test_parse_values_booleans_lists_and_positionals(values):
    assert values(["p"]) == ["p"] and values.epochs == 3 and values.sizes == ["8", "4"]
    rest = values(["p", "a", "--epochs", "7", "--verbose", "--sizes=1,2", "--", "--epochs=9"])
    assert rest == ["p", "a", "--epochs=9"]
    assert values.epochs == 7 and values.verbose is True and values.sizes == ["1", "2"]
    values(["p", "--noverbose", "--verbose=false"])
    assert values.verbose is False


def test_bad_values_unknown_and_duplicate_flags(values):
    for argv in (["p", "--epochs=0"], ["p", "--epochs=x"], ["p", "--mode=test"]):
        with pytest.raises(flags.IllegalFlagValueError, match="flag --"):
            values(argv)
    assert values.epochs == 3
    with pytest.raises(flags.UnrecognizedFlagError, match="Unknown command line flag 'lr'"):
        values(["p", "--lr=1"])
    assert values(["p", "--lr=1", "--mode=eval"], known_only=True) == ["p", "--lr=1"]
    assert values.mode == "eval"
    with pytest.raises(flags.DuplicateFlagError):
        flags.DEFINE_string("mode", "x", "again", flag_values=values)
    with pytest.raises(flags.Error, match="must have a value"):
        values(["p", "--epochs"])


def test_app_run_parses_argv_and_exits_with_mains_result():
    calls = []

    def main(argv):
        calls.append(argv)
        return 3

    with pytest.raises(SystemExit) as exit_info:
        tf.compat.v1.app.run(main=main, argv=["prog", "x", "--not_defined_here=1"])
    assert exit_info.value.code == 3 and calls == [["prog", "x", "--not_defined_here=1"]]
