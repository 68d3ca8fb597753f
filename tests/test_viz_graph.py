"""The autograd graph as DOT: nodes, edges, values and gradients, caps, and rendering."""
import math
import re
import shutil

import numpy as np
import pytest

import minigrad as mg
from minigrad import nn, viz

NODE = re.compile(r'^\s*(n\d+|omitted) \[label="((?:[^"\\]|\\.)*)"', re.M)
EDGE = re.compile(r"^\s*(n\d+|omitted) -> (n\d+)", re.M)
HAS_DOT = shutil.which("dot") is not None


def parse(source):
    """{node id: list of label lines} and the edges as (tail id, head id), in order."""
    nodes = {name: label.split("\\n") for name, label in NODE.findall(source)}
    return nodes, EDGE.findall(source)


def by_title(nodes):
    return {lines[0]: lines for lines in nodes.values()}


def scalar(value):
    return mg.tensor([value], dtype=mg.float64, requires_grad=True)


def number(lines, key):
    return float(next(line for line in lines if line.startswith(key + " ")).split()[-1])


def test_a_small_expression_gives_its_nodes_and_edges():
    x, w, b = scalar(2.0), scalar(-3.0), scalar(0.5)
    out = (x * w + b).tanh()
    nodes, edges = parse(viz.to_dot(out, params={"x": x, "w": w, "b": b}))
    titles = {name: lines[0] for name, lines in nodes.items()}
    assert sorted(titles.values()) == ["Add", "Mul", "Tanh", "b", "w", "x"]
    named_edges = [(titles[tail], titles[head]) for tail, head in edges]
    # inputs in argument order, every edge from an input to the op that used it
    assert named_edges == [("x", "Mul"), ("w", "Mul"), ("Mul", "Add"), ("b", "Add"),
                           ("Add", "Tanh")]
    assert by_title(nodes)["Mul"][1] == "(1,) float64"


def test_after_backward_scalar_nodes_show_value_and_gradient():
    x, w, b = scalar(2.0), scalar(-3.0), scalar(5.5)
    out = viz.retain_grads((x * w + b).tanh())
    out.backward(retain_graph=True)
    nodes = by_title(parse(viz.to_dot(out, params={"x": x, "w": w, "b": b}))[0])
    # d tanh(u)/du = 1 - tanh(u)^2 with u = x w + b; then du/dx = w, du/dw = x, du/db = 1
    u = 2.0 * -3.0 + 5.5
    local = 1 - math.tanh(u) ** 2
    expected = {"Tanh": (math.tanh(u), 1.0), "Add": (u, local), "Mul": (-6.0, local),
                "x": (2.0, -3.0 * local), "w": (-3.0, 2.0 * local), "b": (5.5, local)}
    for title, (value, gradient) in expected.items():
        assert number(nodes[title], "data") == pytest.approx(value, rel=1e-3), title
        assert number(nodes[title], "grad") == pytest.approx(gradient, rel=1e-3), title


def test_tensor_nodes_show_shape_dtype_and_gradient_norm():
    weight = mg.tensor(np.arange(6, dtype=np.float32).reshape(2, 3), requires_grad=True)
    data = mg.ones(4, 3)
    loss = (data @ weight.T).sum()
    loss.backward(retain_graph=True)
    nodes = by_title(parse(viz.to_dot(loss, params={"weight": weight}))[0])
    assert nodes["weight"][1] == "(2, 3) float32"
    assert nodes["input"][1] == "(4, 3) float32"  # does not require grad: drawn as an input
    # d sum(D W^T) / dW = 1^T D: every entry equals the column sum of D, 4
    assert number(nodes["weight"], "grad norm") == pytest.approx(math.sqrt(6 * 16), rel=1e-3)
    assert "grad" not in " ".join(nodes["input"])
    assert number(nodes["Sum"], "data") == pytest.approx(4 * 15, rel=1e-6)


def test_an_input_used_twice_gets_two_edges_and_a_layer_its_parameter_names():
    x = scalar(3.0)
    nodes, edges = parse(viz.to_dot(x * x))
    assert len(nodes) == 2 and len(edges) == 2 and edges[0] == edges[1]
    assert by_title(nodes)["leaf"]  # a leaf that is not a named parameter
    model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
    out = model(mg.randn(5, 2)).sum()
    titles = set(by_title(parse(viz.to_dot(out, dict(model.named_parameters())))[0]))
    assert {"0.weight", "0.bias", "2.weight", "2.bias", "ReLU", "Sum"} <= titles


def test_a_huge_graph_is_capped_with_a_note_of_what_was_left_out():
    x = scalar(1.0)
    y = x
    for _ in range(20_000):  # far deeper than Python's recursion limit
        y = y * 1.0
    source = viz.to_dot(y, max_nodes=25)
    nodes, edges = parse(source)
    total = 1 + 2 * 20_000  # the leaf, and per multiply the op and its constant
    assert len(nodes) == 26  # 25 kept, and the note
    assert f"{total - 25} more nodes not drawn" in " ".join(nodes["omitted"])
    assert any(tail == "omitted" for tail, _ in edges)
    assert all(tail in nodes and head in nodes for tail, head in edges)


def test_errors_name_the_problem():
    x = scalar(1.0)
    y = (x * 2.0).sum()
    y.backward()
    with pytest.raises(RuntimeError, match="retain_graph=True"):
        viz.to_dot(y)
    with pytest.raises(TypeError, match="Tensor"):
        viz.to_dot(np.ones(3))
    with pytest.raises(ValueError, match="max_nodes"):
        viz.to_dot(x, max_nodes=0)
    with pytest.raises(ValueError, match="graph.jpg"):
        viz.render(x, "graph.jpg")


@pytest.mark.skipif(not HAS_DOT, reason="needs Graphviz's dot")
@pytest.mark.parametrize("suffix, magic", [(".svg", None), (".png", b"\x89PNG\r\n\x1a\n")])
def test_render_writes_a_valid_picture(tmp_path, suffix, magic):
    x, w = scalar(2.0), scalar(-1.0)
    out = (x * w).sigmoid()
    out.backward(retain_graph=True)
    path = viz.render(out, tmp_path / f"graph{suffix}", params={"x": x, "w": w})
    content = path.read_bytes()
    if magic:
        assert content.startswith(magic) and len(content) > 1000
    else:
        text = content.decode()
        assert "<svg" in text and text.rstrip().endswith("</svg>") and ">w<" in text


def test_without_dot_render_writes_the_source_and_says_so(tmp_path, monkeypatch):
    monkeypatch.setattr(viz.graph.shutil, "which", lambda name: None)
    x = scalar(2.0)
    with pytest.warns(UserWarning, match="dot was not found"):
        path = viz.render(x * 3.0, tmp_path / "graph.svg")
    assert path == tmp_path / "graph.dot" and not (tmp_path / "graph.svg").exists()
    assert path.read_text().startswith("digraph minigrad {")


def test_draw_lists_the_graph_as_text_inputs_before_users():
    x, w = scalar(2.0), scalar(-1.0)
    out = x * w + x
    out.backward(retain_graph=True)
    text = viz.describe(out, params={"x": x, "w": w})
    lines = text.splitlines()
    assert lines[0].startswith("autograd graph of a (1,) float64 tensor: 4 nodes (ops: 2, leaves and inputs: 2)")
    calls = {line.split(" = ")[0].strip(): line.split(" = ")[1] for line in lines[1:]}
    ids = {call.split("(")[0].split()[0]: node for node, call in calls.items()}
    # x is used twice: by the product and by the sum
    assert calls[ids["Add"]].startswith(f"Add({ids['Mul']}, {ids['x']})")
    assert f"grad {1 + (-1.0):.4g}" in calls[ids["x"]]  # d(xw + x)/dx = w + 1 = 0
    assert lines.index(next(l for l in lines if "Mul(" in l)) < lines.index(
        next(l for l in lines if "Add(" in l))


@pytest.mark.skipif(not HAS_DOT, reason="needs Graphviz's dot")
def test_draw_shows_inline_as_svg_with_dot():
    x = scalar(3.0)
    drawing = viz.draw((x * x).sum(), params={"x": x})
    bundle = drawing._repr_mimebundle_()
    assert bundle["image/svg+xml"].lstrip().startswith(("<?xml", "<svg"))
    assert ">x<" in bundle["image/svg+xml"] and drawing._repr_svg_() == bundle["image/svg+xml"]
    assert bundle["text/plain"] == repr(drawing) and "Graphviz" not in bundle["text/plain"]


def test_draw_without_dot_falls_back_to_text_saying_how_to_get_the_picture(tmp_path,
                                                                           monkeypatch):
    monkeypatch.setattr(viz.graph.shutil, "which", lambda name: None)
    x = scalar(3.0)
    drawing = viz.draw((x * x).sum(), params={"x": x})
    bundle = drawing._repr_mimebundle_()
    assert set(bundle) == {"text/plain"} and drawing._repr_svg_() is None
    assert bundle["text/plain"].startswith(drawing.text) and "Mul(n2, n2)" in drawing.text
    assert "install graphviz" in bundle["text/plain"]
    with pytest.warns(UserWarning, match="dot was not found"):
        assert drawing.save(tmp_path / "g.svg") == tmp_path / "g.dot"


def test_a_drawing_keeps_the_graph_as_it_was_when_drawn():
    x = scalar(3.0)
    out = (x * 2.0).sum()
    drawing = viz.draw(out)
    out.backward()  # frees the graph and gives x a gradient: the drawing does not change
    assert ", grad" not in drawing.text and drawing.source.count("->") == 3


@pytest.mark.parametrize("as_passed", [
    lambda labels: mg.tensor(labels),  # a Tensor of class indices
    lambda labels: labels,             # a NumPy array
], ids=["tensor", "array"])
def test_the_loss_target_is_drawn_as_the_user_passed_it(as_passed):
    # cross_entropy computes with an (N, C) target distribution; the drawing shows the (N,)
    # int64 labels the user gave, as a plain input box feeding the loss.
    X, labels = mg.data.make_moons(200, noise=0.1, seed=0)
    labels = labels.array if isinstance(labels, mg.Tensor) else np.asarray(labels)
    model = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 2))
    loss = nn.functional.cross_entropy(model(X), as_passed(labels))
    loss.backward(retain_graph=True)
    nodes, edges = parse(viz.to_dot(loss, params=dict(model.named_parameters())))
    inputs = [lines for lines in nodes.values() if lines[0] == "input"]
    assert sorted(lines[1] for lines in inputs) == ["(200, 2) float32", "(200,) int64"]
    target = next(name for name, lines in nodes.items() if lines[1] == "(200,) int64")
    loss_node = next(name for name, lines in nodes.items() if lines[0] == "CrossEntropy")
    assert (target, loss_node) in edges
    # The other input is the data X, feeding the first layer; no one-hot array feeds the loss.
    assert [tail for tail, head in edges if head == loss_node and nodes[tail][0] == "input"] \
        == [target]


def test_nll_loss_is_drawn_with_the_targets_not_its_internal_weights():
    X, labels = mg.data.make_moons(50, noise=0.1, seed=0)
    model = nn.Sequential(nn.Linear(2, 4), nn.LogSoftmax(dim=1))
    loss = nn.functional.nll_loss(model(X), labels)
    nodes, edges = parse(viz.to_dot(loss, params=dict(model.named_parameters())))
    inputs = {name: lines[1] for name, lines in nodes.items() if lines[0] == "input"}
    # The labels as passed, picking from the log-probabilities; no per-row weights (50,)
    # float32 nor the count they are divided by, which nll_loss makes internally.
    assert "(50, 2) float32" in inputs.values() and "(50,) int64" in inputs.values()
    assert "(50,) float32" not in inputs.values() and "() float32" not in inputs.values()
    target = next(name for name, shape in inputs.items() if shape == "(50,) int64")
    assert [nodes[head][0] for tail, head in edges if tail == target] == ["GetItem"]
