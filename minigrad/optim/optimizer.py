"""``Optimizer``: the loop every optimizer shares.

The base class owns ``param_groups`` (lists of parameters with their hyperparameters),
the per-parameter ``state``, ``zero_grad``, ``step`` and ``state_dict``. ``step`` visits each
parameter that has a gradient and applies, in PyTorch's order,

    g <- -g                          if maximize
    g <- g + weight_decay * p        L2 penalty (the default), or
    p <- p * (1 - lr * weight_decay) decoupled decay, when the group says
                                     decoupled_weight_decay=True (AdamW)

then calls the algorithm's ``update(param, grad, state, group)``, which changes ``param`` in
place. An algorithm supplies only ``init_state`` and ``update`` (and, declaratively, the
constraints its hyperparameters must satisfy). State arrays are plain NumPy arrays in the
parameter's dtype; updates use ``out=`` so that no step allocates more than it must.
"""
from __future__ import annotations

import numpy as np

from ..autograd import enable_grad
from ..tensor import Tensor


# ---------------------------------------------------------------- hyperparameter checks
def nonnegative(value) -> bool:
    return value >= 0.0


def positive(value) -> bool:
    return value > 0.0


def probability(value) -> bool:
    return 0.0 <= value < 1.0


def beta_pair(value) -> bool:
    return len(value) == 2 and all(0.0 <= b < 1.0 for b in value)


_DESCRIPTIONS = {"lr": "learning rate", "eps": "epsilon value"}


def _describe(name):
    return _DESCRIPTIONS.get(name, f"{name} value")


class Optimizer:
    """Base class. ``params``: an iterable of tensors, or of dicts ``{"params": [...], **options}``
    (parameter groups, each overriding ``defaults``)."""

    constraints: dict = {"lr": nonnegative}  # hyperparameter -> predicate it must satisfy
    flush_subnormals_every = 100  # steps; 0 disables the flush

    def __init__(self, params, defaults: dict):
        self.defaults = dict(defaults)
        self.param_groups: list[dict] = []
        self.state: dict = {}
        self._step_count = 0
        self._scratch: dict = {}
        params = [params] if isinstance(params, Tensor) else list(params)
        if not params:
            raise ValueError("optimizer got an empty parameter list")
        groups = params if isinstance(params[0], dict) else [{"params": params}]
        for group in groups:
            self.add_param_group(group)

    def add_param_group(self, group: dict) -> None:
        """Add a group of parameters, checking its hyperparameters before anything changes."""
        group = dict(group)
        params = group["params"]
        params = [params] if isinstance(params, Tensor) else list(params)
        for i, p in enumerate(params):
            if not isinstance(p, Tensor):
                raise TypeError(f"optimizer can only optimize Tensors; parameter {i} is a "
                                f"{type(p).__name__}")
            if not p.is_leaf:
                raise ValueError(f"can't optimize a non-leaf Tensor (parameter {i})")
        existing = {id(p) for g in self.param_groups for p in g["params"]}
        if len({id(p) for p in params}) != len(params) or existing & {id(p) for p in params}:
            raise ValueError("some parameters appear in more than one parameter group")
        for name, value in self.defaults.items():
            group.setdefault(name, value)
        self._validate(group)
        group["params"] = params
        self.param_groups.append(group)

    def _validate(self, group):
        for name, is_valid in self.constraints.items():
            if name in group and not is_valid(group[name]):
                raise ValueError(f"Invalid {_describe(name)}: {group[name]}")

    def zero_grad(self, set_to_none: bool = True) -> None:
        for group in self.param_groups:
            for p in group["params"]:
                if set_to_none:
                    p.grad = None
                elif p.grad is not None:
                    p.grad = Tensor._make(np.zeros_like(p.grad.array), False, None)

    def step(self, closure=None):
        """One update of every parameter that has a gradient. ``closure`` (optional)
        re-evaluates the model, calls backward and returns the loss."""
        loss = None
        if closure is not None:
            with enable_grad():
                loss = closure()
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                grad = p.grad.array
                if group.get("maximize", False):
                    grad = -grad
                weight_decay = group.get("weight_decay", 0)
                if weight_decay and group.get("decoupled_weight_decay", False):
                    p.array *= 1 - group["lr"] * weight_decay
                elif weight_decay:
                    grad = grad + weight_decay * p.array
                state = self.state.get(p)
                if state is None:
                    state = self.state[p] = self.init_state(p.array, group)
                self.update(p.array, grad, state, group)
                p._version += 1
        self._step_count += 1
        if self.flush_subnormals_every and self._step_count % self.flush_subnormals_every == 0:
            self._flush_subnormals()
        return loss

    def _flush_subnormals(self):
        """Set state values below the smallest normal float to zero.

        Moment estimates of units whose gradient stays zero (dead ReLUs) decay geometrically
        into the subnormal range, where arithmetic on many x86 CPUs is many times slower. Such
        values change an update by less than 1e-30 (they sit next to eps >= 1e-10 in every
        denominator), far below float32 noise, so flushing them costs nothing in accuracy.
        """
        for state in self.state.values():
            for value in state.values():
                if isinstance(value, np.ndarray) and value.dtype.kind == "f":
                    np.copyto(value, 0, where=np.abs(value) < np.finfo(value.dtype).tiny)

    def scratch(self, like: np.ndarray, count: int = 1) -> list:
        """``count`` reusable work arrays shaped like ``like``, so that an update can run with
        ``out=`` and allocate nothing. They carry nothing from one call to the next and are
        not part of the state (nor of ``state_dict``)."""
        key = (like.shape, like.dtype)
        buffers = self._scratch.get(key)
        if buffers is None or len(buffers) < count:
            buffers = self._scratch[key] = [np.empty_like(like) for _ in range(count)]
        return buffers[:count]

    def init_state(self, param: np.ndarray, group: dict) -> dict:
        return {}

    def update(self, param: np.ndarray, grad: np.ndarray, state: dict, group: dict) -> None:
        raise NotImplementedError

    # ---------------------------------------------------------------- state dicts
    def state_dict(self) -> dict:
        """PyTorch's layout: ``{"state": {index: {...}}, "param_groups": [{..., "params":
        [indices]}]}``, parameters numbered in group order. Arrays are copied as Tensors."""
        index = {}
        groups = []
        for group in self.param_groups:
            ids = []
            for p in group["params"]:
                index.setdefault(id(p), len(index))
                ids.append(index[id(p)])
            groups.append({**{k: v for k, v in group.items() if k != "params"}, "params": ids})
        state = {index[id(p)]: {k: _export(v) for k, v in s.items()}
                 for p, s in self.state.items() if id(p) in index}
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict: dict) -> None:
        """Restore hyperparameters and state; every check happens before anything changes."""
        groups = state_dict["param_groups"]
        if len(groups) != len(self.param_groups):
            raise ValueError(f"loaded state dict has {len(groups)} parameter groups; this "
                             f"optimizer has {len(self.param_groups)}")
        for i, (saved, own) in enumerate(zip(groups, self.param_groups)):
            if len(saved["params"]) != len(own["params"]):
                raise ValueError(f"loaded parameter group {i} has {len(saved['params'])} "
                                 f"parameters; this optimizer's has {len(own['params'])}")
        by_index = {}
        for saved, own in zip(groups, self.param_groups):
            by_index.update(zip(saved["params"], own["params"]))
        new_state = {}
        for key, values in state_dict["state"].items():
            param = by_index[int(key)]
            new_state[param] = {k: _import(v, param) for k, v in values.items()}
        self.state = new_state
        for saved, own in zip(groups, self.param_groups):
            own.update({k: v for k, v in saved.items() if k != "params"})

    def __repr__(self):
        lines = [f"{type(self).__name__} ("]
        for i, group in enumerate(self.param_groups):
            lines.append(f"Parameter Group {i}")
            lines += [f"    {k}: {v}" for k, v in sorted(group.items()) if k != "params"]
        return "\n".join(lines) + "\n)"


def _export(value):
    if isinstance(value, np.ndarray):
        return Tensor(value.copy())
    if isinstance(value, list):
        return [_export(v) for v in value]
    return value


def _import(value, param: Tensor):
    if isinstance(value, Tensor):
        value = value.array
    if isinstance(value, np.ndarray):
        # Floating state follows the parameter's dtype, as PyTorch casts it on load.
        return value.astype(param.dtype) if value.dtype.kind == "f" else value.copy()
    if isinstance(value, list):
        return [_import(v, param) for v in value]
    return value


def lerp_(target: np.ndarray, end: np.ndarray, weight: float, work=None) -> None:
    """target <- target + weight * (end - target), in place, with PyTorch's two-sided
    formula (the second form is more accurate when weight is near 1). ``work``: an array of
    the same shape to compute in, instead of allocating."""
    work = np.subtract(end, target, out=work)
    if weight < 0.5:
        work *= weight
        target += work
    else:
        work *= 1.0 - weight
        np.subtract(end, work, out=target)
