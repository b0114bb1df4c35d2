"""tc.debugprint (frontend/debugprint.py): the graph as an indented tree, as Theano prints it."""
import tensorc as tc


def test_debugprint_prints_a_tree_and_returns_it(capsys):
    x = tc.matrix("x")
    y = (x * 2).sum(axis=0)
    y.name = "total"
    text = tc.debugprint([y, x])
    assert capsys.readouterr().out == text
    lines = text.splitlines()
    assert lines[0].startswith("reduce_sum{axes=(0,), keepdims=False} [id A] 'total' float32 (?,)")
    assert lines[1].startswith(" |mul [id B] float32 (?, ?)")
    assert lines[2] == " | |x [id C] float32 (?, ?)"
    assert lines[3].startswith(" | |TensorConstant{2.0} [id D] float32 (1, 1)")
    assert lines[4] == "x [id C]"  # seen before: name and id only
