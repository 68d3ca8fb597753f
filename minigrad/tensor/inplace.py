"""In-place updates, recorded in the graph as PyTorch records them.

Every in-place method computes the new value with the out-of-place op, writes it into the
tensor's own array (every reference sees it) and bumps the version counter. When no graph
runs through the tensor (grad mode off, or neither it nor the operand requires grad) that
is all. When one does (a non-leaf, or a plain tensor given an operand that requires grad),
the tensor's history is *rebased*: its ``grad_fn`` becomes the op applied to its former
state, so ``out += identity`` leaves ``out.grad_fn`` an AddBackward of (the old ``out``,
``identity``) and backward gives PyTorch's gradients (see ``autograd/rebase.py``).

As in PyTorch: a leaf that requires grad refuses in-place ops while grad mode is on; a
value saved for backward and then changed in place makes backward raise (the version
check); and the augmented operators (``y += x``) are these in-place methods.
Views (a slice, a reshape, a transpose of a graph tensor): an in-place op on one is made to
its base, as ``base[index] = f(base[index])``, and a change of a base reaches the views of it
that see the change (see ``autograd/rebase.py``).
"""
from __future__ import annotations

import numpy as np

from .conversion import _to_array

# Bound by minigrad.tensor once the class exists (ops and functional build on Tensor).
Tensor = autograd = ops = F = None


class InplaceMethods:
    __slots__ = ()

    def _update(self, compute, *operands, cast="same_kind"):
        """self <- compute(self), in place; ``operands`` are the other tensors compute reads.
        ``cast``: which dtype conversions of the result into self are allowed (NumPy's rule
        name: arithmetic refuses float into int, as PyTorch; fills and copies convert)."""
        recording = autograd.is_grad_enabled() and (
            self._requires_grad or any(isinstance(o, Tensor) and o._requires_grad
                                       for o in operands))
        if not recording:
            self._write(compute(self), cast)
            self._changed(self.array, False)
            return self
        if self.grad_fn is None and self._requires_grad:
            raise RuntimeError("a leaf Variable that requires grad is being used in an in-place "
                               "operation. Wrap the update in minigrad.no_grad(), or change "
                               "a .data of it")
        view = autograd.rebase.view_node(self)
        if view is not None:
            return self._update_through_base(view, compute, operands, cast)
        old = self.grad_fn
        private = old is not None and old.private_output and old.saved_values()[1]
        former = autograd.rebase.former_state(self, private)
        result = compute(former)
        if result.grad_fn is None or result is former or any(result is o for o in operands):
            result = ops.Clone.apply(result)  # the node must be a new one, ours to rewire
        if autograd.rebase.reads_former(result, former, operands):
            # An op saved the old value (x.mul_(w) for w's gradient, the clamp inside elu):
            # give it a copy of that value, as PyTorch keeps the original self, rather than
            # the array changed below.
            result = compute(ops.Clone.apply(former))
        node = result.grad_fn
        self._write(result, cast)
        autograd.rebase.rebase(self, node, former)
        self._changed(node.changed_region(self.array), True)
        return self

    def _changed(self, region, recorded):
        """Tell the views of this tensor (and, unrecorded, the tensor it is a view of) that
        ``region`` changed: views share their base's version counter in PyTorch."""
        if getattr(self, "_views", None):
            autograd.rebase.refresh_views(self, region, recorded)
        if recorded:
            return
        base = None
        if self.grad_fn is not None:
            view = autograd.rebase.view_node(self)
            base = None if view is None else autograd.rebase.current(view.inputs[0])
        elif getattr(self, "_detached_from", None) is not None:
            base = self._detached_from()
        if base is not None:
            base._version += 1
            if getattr(base, "_views", None):  # its other views (this one is counted)
                autograd.rebase.refresh_views(base, region, False, skip=self)

    def _update_through_base(self, view, compute, operands, cast):
        """An in-place op on a view (a slice, a reshape, a transpose) of a graph tensor: made
        to the base, as base[index] = f(base[index]) (so ``h[:, t] += v`` works), after which
        the view is that view of the base's new state. A view op that cannot put a value
        back (a broadcast) is refused."""
        if not view.is_view:
            raise RuntimeError(
                f"in-place operation on a view (the output of {view.name}, which shares its "
                "memory with its input) of a tensor in a recorded graph: minigrad cannot "
                "write it back into that input; apply the operation out of place, or to a "
                ".clone()")
        base = autograd.rebase.current(view.inputs[0])

        def into_base(former_base):
            # A copy of the view's old value: ops saving it must not see the write below.
            value = compute(ops.Clone.apply(view.replay(former_base)))
            self._check_fits(value.array, cast)
            return view.place(former_base, value)
        version = self._version
        base._update(into_base, *operands, cast=cast)  # rebases the base's views, this one too
        if self._version == version:  # not registered as a view (made while tracing)
            former = autograd.rebase.former_state(self, False)
            node = view.replay(base).grad_fn  # the values are already there: shared memory
            self._version += 1
            autograd.rebase.rebase(self, node, former)
        return self

    def _check_fits(self, values, cast):
        """Refuse a result that does not fit this tensor (before anything is changed)."""
        if values.shape != self.shape and np.broadcast_shapes(values.shape,
                                                               self.shape) != self.shape:
            raise RuntimeError(f"output with shape {list(self.shape)} doesn't match the "
                               f"broadcast shape {list(values.shape)} of an in-place operation")
        if not np.can_cast(values.dtype, self.dtype, cast):
            raise RuntimeError(f"result type {values.dtype} can't be cast to the desired "
                               f"output type {self.dtype} of an in-place operation")

    def _write(self, result, cast):
        """Copy ``result``'s values into this tensor's array, after checking they fit."""
        values = result.array if isinstance(result, Tensor) else np.asarray(result)
        self._check_fits(values, cast)
        self.array[...] = values
        self._version += 1

    def _overwrite(self, values, cast="unsafe"):
        """self <- values (an array or scalar, no gradient): fills, copies of constants and
        random draws; on a graph tensor the old history gets a zero gradient (Copy)."""
        source = Tensor._make(np.asarray(values), False, None)
        if self._requires_grad and autograd.is_grad_enabled():
            return self._update(lambda old: ops.Copy.apply(old, source), cast=cast)
        self._write(source, cast)
        self._changed(self.array, False)
        return self

    # ------------------------------------------------------------------ arithmetic
    def add_(self, other, *, alpha=1):
        return self._update(lambda t: t.add(other, alpha=alpha), other)

    def sub_(self, other, *, alpha=1):
        return self._update(lambda t: t.sub(other, alpha=alpha), other)

    def mul_(self, other):
        return self._update(lambda t: t * other, other)

    def div_(self, other, *, rounding_mode=None):
        if rounding_mode is not None:  # an integer-valued quotient: no gradient
            rounded = {"floor": np.floor, "trunc": np.trunc}[rounding_mode]
            return self._overwrite(rounded(self.array / _to_array(other)), cast="same_kind")
        return self._update(lambda t: F.div(t, other), other)

    def pow_(self, exponent):
        return self._update(lambda t: t ** exponent, exponent)

    def neg_(self):
        return self._update(lambda t: -t)

    def addcmul_(self, tensor1, tensor2, *, value=1):
        """self += value * tensor1 * tensor2."""
        return self._update(lambda t: t + value * tensor1 * tensor2, tensor1, tensor2)

    def addcdiv_(self, tensor1, tensor2, *, value=1):
        """self += value * tensor1 / tensor2."""
        return self._update(lambda t: t + value * tensor1 / tensor2, tensor1, tensor2)

    def lerp_(self, end, weight):
        """self += weight * (end - self)."""
        return self._update(lambda t: t + weight * (end - t), end, weight)

    # ------------------------------------------------------------------ pointwise math
    def abs_(self):
        return self._update(lambda t: t.abs())

    def exp_(self):
        return self._update(lambda t: t.exp())

    def log_(self):
        return self._update(lambda t: t.log())

    def sqrt_(self):
        return self._update(lambda t: t.sqrt())

    def sigmoid_(self):
        return self._update(lambda t: t.sigmoid())

    def tanh_(self):
        return self._update(lambda t: t.tanh())

    def relu_(self):
        return self._update(lambda t: t.relu())

    def clamp_(self, min=None, max=None):
        return self._update(lambda t: t.clamp(min, max))

    def clip_(self, min=None, max=None):
        return self.clamp_(min, max)

    def masked_fill_(self, mask, value):
        """self = value where mask holds (mask broadcast to self's shape, not beyond)."""
        shape = np.shape(mask.array if isinstance(mask, Tensor) else mask)
        if np.broadcast_shapes(shape, self.shape) != self.shape:
            raise RuntimeError(f"masked_fill_: the mask of shape {shape} is larger than the "
                               f"tensor of shape {self.shape}")
        return self._update(lambda t: F.masked_fill(t, mask, value), value, cast="unsafe")

    # ------------------------------------------------------------------ fills and copies
    def zero_(self):
        return self._overwrite(0)

    def fill_(self, value):
        if isinstance(value, Tensor) and value.requires_grad:  # a 0-d tensor: d value = sum g
            return self._update(lambda t: ops.Copy.apply(t, value), value, cast="unsafe")
        return self._overwrite(_to_array(value))

    def copy_(self, src, non_blocking=False):
        """self = src, broadcast to self's shape and converted to its dtype; the gradient
        flows to src (summed over the broadcast), none to self's old value."""
        if isinstance(src, Tensor) and src.requires_grad:
            return self._update(lambda t: ops.Copy.apply(t, src), src, cast="unsafe")
        return self._overwrite(_to_array(src))

    def __setitem__(self, index, value):
        index = ops.normalize_index(index)
        graph = autograd.is_grad_enabled() and (
            self._requires_grad or isinstance(value, Tensor) and value._requires_grad)
        if not graph:  # the common case (data, masks, no_grad updates): a plain assignment
            self.array[index] = _to_array(value)
            self._version += 1
            if self.grad_fn is not None or getattr(self, "_views", None) or \
                    getattr(self, "_detached_from", None):
                self._changed(self.array, False)
            return
        value = value if isinstance(value, Tensor) else Tensor._make(_to_array(value), False,
                                                                     None)
        self._update(lambda t: ops.SetItem.apply(t, value, index=index), value, cast="unsafe")

    def scatter_(self, dim, index, src=None, *, value=None):
        """self[index[i][j]][j] = src[i][j] (for dim=0), or ``value`` everywhere ``index``
        points: PyTorch's ``scatter_``, e.g. a one-hot label with
        ``zeros(10).scatter_(0, tensor(y), value=1)``."""
        if (src is None) == (value is None):
            raise TypeError("scatter_ needs exactly one of src and value")
        index = index if isinstance(index, Tensor) else Tensor(np.asarray(index))
        index = index.reshape(1) if index.ndim == 0 else index
        if index.ndim != self.ndim:
            raise ValueError(f"scatter_: index has {index.ndim} dimensions but the tensor has "
                             f"{self.ndim}")
        source = src if isinstance(src, Tensor) else \
            Tensor._make(np.asarray(value if src is None else src, dtype=self.dtype), False, None)
        if source.ndim == 0:
            source = Tensor._make(np.full(index.shape, source.array), False, None)
        return self._update(lambda t: F.scatter(t, dim, index, source), source, cast="unsafe")

    def scatter_add_(self, dim, index, src):
        """self[index[i][j]][j] += src[i][j] (for dim=0), in place."""
        return self._update(lambda t: F.scatter_add(t, dim, index, src), src)

    # ------------------------------------------------------------------ x += y, x -= y, ...
    def __iadd__(self, other):
        return self.add_(other)

    def __isub__(self, other):
        return self.sub_(other)

    def __imul__(self, other):
        return self.mul_(other)

    def __itruediv__(self, other):
        return self.div_(other)

    def __ipow__(self, exponent):
        return self.pow_(exponent)

    def __iand__(self, other):
        return self._overwrite(self.array & _to_array(other), cast="same_kind")

    def __ior__(self, other):
        return self._overwrite(self.array | _to_array(other), cast="same_kind")

    def __ixor__(self, other):
        return self._overwrite(self.array ^ _to_array(other), cast="same_kind")
