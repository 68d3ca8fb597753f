"""Draw the autograd graph behind a tensor, with Graphviz.

    out = model(x); loss = F.cross_entropy(out, y)
    minigrad.viz.render(loss, "graph.svg", params=dict(model.named_parameters()))
    minigrad.viz.draw(loss)    # in a notebook: the graph, inline

``draw`` returns a ``Drawing``: Jupyter shows it as an SVG drawn by Graphviz's ``dot``, or,
without ``dot``, as a text listing of the graph with a note on installing Graphviz.

Every op is one node (its name, output shape and dtype), every leaf one box (its parameter
name when ``params`` maps names to tensors, otherwise "leaf", or "input" for a tensor that
does not require grad), and an edge runs from each input to the op that used it; an input
used twice gets two edges. Whatever gradient a node holds is shown: after ``backward`` the
leaves have ``.grad``, and the ops too if their outputs were marked with ``retain_grad``
(``retain_grads(output)`` marks them all). A node with a single element shows its value and
gradient, as micrograd's drawing does; a larger one shows its gradient's norm.

``backward`` frees the graph unless called with ``retain_graph=True``, so draw after a
``backward(retain_graph=True)``, or before ``backward``. Graphs larger than ``max_nodes``
keep the nodes nearest the output and draw one note saying how many were left out.
"""
from __future__ import annotations

import shutil
import subprocess
import warnings
from collections import deque
from pathlib import Path

import numpy as np

from ..tensor import Tensor

FORMATS = ("svg", "png", "pdf")
COLORS = {"param": "#cfe2f3", "leaf": "#d9ead3", "input": "#eeeeee", "op": "#ffffff",
          "output": "#fff2cc"}


def _inputs(tensor: Tensor) -> tuple:
    fn = tensor.grad_fn
    if fn is None:
        return ()
    if fn.released:
        raise RuntimeError(
            f"the graph behind this tensor was freed by backward() (at {fn.name}); to draw it "
            "with gradients call backward(retain_graph=True), or draw it before backward()")
    # What the user passed, where the op works on a derived array (cross_entropy's one-hot
    # target distribution stands for the class indices given).
    return getattr(fn, "shown_inputs", fn.inputs)


def walk(output: Tensor, max_nodes: int | None = None):
    """Tensors of the graph behind ``output`` in breadth-first order from it (so a cap keeps
    the nodes nearest the output), and the edges (input, user) among the kept ones, listed
    from the far end of the graph towards the output, each op's inputs in argument order.

    Returns (nodes, edges, cut) where ``cut`` lists the kept nodes some of whose inputs were
    left out, and the number left out. Iterative: a chain of 100,000 ops is fine."""
    if not isinstance(output, Tensor):
        raise TypeError(f"expected the Tensor whose graph to draw; got {type(output).__name__}")
    order, seen = [output], {id(output)}
    queue = deque([output])
    while queue:
        tensor = queue.popleft()
        for inp in _inputs(tensor):
            if id(inp) not in seen:
                seen.add(id(inp))
                order.append(inp)
                queue.append(inp)
    kept = order if max_nodes is None else order[:max_nodes]
    kept_ids = {id(t) for t in kept}
    edges, cut = [], []
    for tensor in reversed(kept):
        inputs = _inputs(tensor)
        edges += [(inp, tensor) for inp in inputs if id(inp) in kept_ids]
        if any(id(inp) not in kept_ids for inp in inputs):
            cut.append(tensor)
    return kept, edges, (cut, len(order) - len(kept))


def retain_grads(output: Tensor) -> Tensor:
    """Mark every op output in the graph with ``retain_grad`` so that, after backward, the
    drawing shows the gradient of every node and not only of the leaves."""
    for tensor in walk(output)[0]:
        tensor.retain_grad()
    return output


def _number(value) -> str:
    return f"{float(value):.4g}"


def _label(tensor: Tensor, names: dict) -> tuple[str, str]:
    """The node's text (lines) and its kind (a key of COLORS)."""
    if tensor.grad_fn is not None:
        kind, title = "op", type(tensor.grad_fn).__name__
    elif id(tensor) in names:  # a named tensor that takes no gradient is a named input
        kind, title = "param" if tensor.requires_grad else "input", names[id(tensor)]
    else:
        kind, title = ("leaf", "leaf") if tensor.requires_grad else ("input", "input")
    lines = [title, f"{tuple(tensor.shape)} {tensor.dtype}"]
    grad = tensor.grad
    if tensor.array.size == 1:
        lines.append(f"data {_number(tensor.array.reshape(-1)[0])}")
        if grad is not None:
            lines.append(f"grad {_number(grad.array.reshape(-1)[0])}")
    elif grad is not None:
        lines.append(f"grad norm {_number(np.linalg.norm(grad.array.astype(np.float64)))}")
    return "\n".join(lines), kind


def _quote(text: str) -> str:
    # DOT strings: escape backslashes and quotes, and write line breaks as \n
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def to_dot(output: Tensor, params=None, max_nodes: int = 150, rankdir: str = "LR") -> str:
    """The graph behind ``output`` as Graphviz DOT source (see the module docstring).

    ``params`` maps names to tensors (e.g. ``dict(model.named_parameters())``) to label the
    leaves; at most ``max_nodes`` nodes are drawn, the rest summarised in one note."""
    if not isinstance(max_nodes, int) or max_nodes < 1:
        raise ValueError(f"max_nodes must be a positive integer; got {max_nodes!r}")
    names = {id(tensor): name for name, tensor in (params or {}).items()}
    nodes, edges, (cut, omitted) = walk(output, max_nodes)
    ids = {id(tensor): f"n{index}" for index, tensor in enumerate(nodes)}
    lines = ["digraph minigrad {",
             f"  // {len(nodes)} nodes, {len(edges)} edges, {omitted} nodes left out",
             f"  graph [rankdir={rankdir}];",
             '  node [fontname="Helvetica", fontsize=10, style=filled];']
    # Inputs before their users, so the source reads in the order the values were computed.
    for tensor in reversed(nodes):
        text, kind = _label(tensor, names)
        shape = "ellipse" if kind == "op" else "box"
        color = COLORS["output" if tensor is output else kind]
        lines.append(f"  {ids[id(tensor)]} [label={_quote(text)}, shape={shape}, "
                     f'fillcolor="{color}"];')
    for inp, user in edges:
        lines.append(f"  {ids[id(inp)]} -> {ids[id(user)]};")
    if omitted:
        note = (f"{omitted} more nodes not drawn\n(the graph has {len(nodes) + omitted}; "
                f"max_nodes={max_nodes})")
        lines.append(f"  omitted [label={_quote(note)}, shape=note, style=dashed];")
        lines += [f"  omitted -> {ids[id(tensor)]} [style=dashed];" for tensor in cut]
    lines.append("}")
    return "\n".join(lines) + "\n"


def describe(output: Tensor, params=None, max_nodes: int = 150) -> str:
    """The graph behind ``output`` as text: one line per node, inputs before their users,
    each op naming the nodes it used (``drawing``'s fallback when Graphviz is missing)."""
    names = {id(tensor): name for name, tensor in (params or {}).items()}
    nodes, edges, (_, omitted) = walk(output, max_nodes)
    ids = {id(tensor): f"n{index}" for index, tensor in enumerate(nodes)}
    used = {}
    for inp, user in edges:
        used.setdefault(id(user), []).append(ids[id(inp)])
    ops = sum(tensor.grad_fn is not None for tensor in nodes)
    lines = [f"autograd graph of a {tuple(output.shape)} {output.dtype} tensor: {len(nodes)} "
             f"nodes (ops: {ops}, leaves and inputs: {len(nodes) - ops}), {len(edges)} edges"]
    for tensor in reversed(nodes):
        title, *details = _label(tensor, names)[0].split("\n")
        inputs = used.get(id(tensor))
        call = f"{title}({', '.join(inputs)})" if inputs else title
        lines.append(f"  {ids[id(tensor)]:>4} = {call}  " + ", ".join(details))
    if omitted:
        lines.append(f"  ... and {omitted} more nodes farther from the output (max_nodes="
                     f"{max_nodes})")
    return "\n".join(lines)


def _dot(source: str, fmt: str) -> bytes:
    """Graphviz's ``dot`` run on ``source``: the picture's bytes in format ``fmt``."""
    result = subprocess.run([shutil.which("dot"), f"-T{fmt}"], input=source.encode(),
                            capture_output=True)
    if result.returncode != 0:
        raise RuntimeError(f"dot failed to draw the graph as {fmt}: "
                           f"{result.stderr.decode(errors='replace').strip()}")
    return result.stdout


NO_DOT = ("(drawn as text: Graphviz's dot was not found. Install Graphviz to see the graph "
          "drawn: apt-get install graphviz, brew install graphviz, or conda install graphviz)")


class Drawing:
    """The graph behind a tensor as it was when ``draw`` was called (values and gradients
    included), for Jupyter: an SVG through Graphviz's ``dot``, else a text listing.

    ``source`` is the DOT source, ``text`` the listing; ``svg()`` draws it, ``save(path)``
    writes an .svg, .png, .pdf or .dot file as ``render`` does."""

    def __init__(self, output: Tensor, params=None, max_nodes: int = 150, rankdir: str = "LR"):
        self.source = to_dot(output, params, max_nodes, rankdir)
        self.text = describe(output, params, max_nodes)
        self._svg = None

    def svg(self) -> str | None:
        """The drawing as SVG text, or None without Graphviz's ``dot``."""
        if self._svg is None and shutil.which("dot") is not None:
            self._svg = _dot(self.source, "svg").decode()
        return self._svg

    def save(self, path) -> Path:
        """Write the drawing to ``path`` (format by suffix, as ``render``)."""
        return _write(self.source, Path(path))

    def _repr_svg_(self):
        return self.svg()

    def _repr_mimebundle_(self, include=None, exclude=None):
        # text/plain always (consoles, and notebooks without dot); the SVG when dot draws it
        svg = self.svg()
        bundle = {"text/plain": self.text if svg else f"{self.text}\n{NO_DOT}"}
        if svg:
            bundle["image/svg+xml"] = svg
        return bundle

    def __repr__(self):
        return self.text


def draw(output: Tensor, params=None, max_nodes: int = 150, rankdir: str = "LR") -> Drawing:
    """The graph behind ``output``, to display: a notebook shows it inline (an SVG with
    Graphviz, a text listing without). Arguments as ``to_dot``."""
    return Drawing(output, params, max_nodes, rankdir)


def render(output: Tensor, path, params=None, max_nodes: int = 150, rankdir: str = "LR") -> Path:
    """Draw the graph behind ``output`` into ``path``: SVG, PNG or PDF by its suffix (with
    Graphviz's ``dot``), or DOT source for ``.dot``/``.gv``. Without ``dot`` installed it
    writes the DOT source beside ``path`` (suffix ``.dot``), warns saying so, and returns
    that path. Returns the path written."""
    return _write(to_dot(output, params, max_nodes, rankdir), Path(path), stacklevel=3)


def _write(source: str, path: Path, stacklevel: int = 2) -> Path:
    suffix = path.suffix.lower().lstrip(".")
    if suffix not in (*FORMATS, "dot", "gv"):
        raise ValueError(f"cannot tell the format of {path}: use a .svg, .png, .pdf or .dot "
                         "suffix")
    if suffix in ("dot", "gv") or shutil.which("dot") is None:
        target = path if suffix in ("dot", "gv") else path.with_suffix(".dot")
        target.write_text(source)
        if target != path:
            warnings.warn(f"Graphviz's dot was not found, so {path} was not drawn; wrote the DOT "
                          f"source to {target} instead (install Graphviz, Debian package "
                          f"graphviz, then: dot -T{suffix} {target} -o {path})",
                          stacklevel=stacklevel)
        return target
    path.write_bytes(_dot(source, suffix))
    return path
