"""One closure protocol for every optimizer that re-evaluates the model itself (LBFGS, BFGS,
ConjugateGradient, Newton, HessianFree, GaussNewton, LevenbergMarquardt): PyTorch's.

The closure computes and returns the loss (or what the method works on: GaussNewton's
residuals, HessianFree's pair (loss, outputs)). It MAY zero the gradients and call
``backward`` itself, as a closure written for PyTorch's LBFGS does, or it may leave the
differentiation to the optimizer. Which of the two it did is seen, not guessed: a hook on
every parameter notes whether a gradient reached it while the closure ran. So

- first-order information (LBFGS, BFGS, CG) comes from ``.grad`` when the closure ran
  backward, and from differentiating the returned loss when it did not;
- second-order methods (Newton, HessianFree) differentiate the returned loss twice, which
  works when the closure ran no backward, or ran it keeping the graph
  (``loss.backward(create_graph=True)``, or ``retain_graph=True``); a plain ``backward()``
  frees the graph, and the error says so;
- extra evaluations (line searches, trial steps) run without building a graph only when the
  closure does not need one for its own backward.
"""
from ..autograd import grad as autograd_grad
from ..grad_mode import set_grad_enabled
from ..tensor import Tensor
from .flat import flat_grad, flatten


def run(closure, params, grad_enabled=True):
    """Call the closure; returns (its result, whether a backward reached the parameters)."""
    reached = []

    def note(_):
        reached.append(True)

    handles = [p.register_hook(note) for p in params if p.requires_grad]
    try:
        with set_grad_enabled(grad_enabled):
            result = closure()
    finally:
        for handle in handles:
            handle.remove()
    return result, bool(reached)


def loss_and_gradient(closure, params, name):
    """(loss Tensor, flat gradient as a NumPy array) at the current parameters."""
    loss, ran_backward = run(closure, params)
    if ran_backward:
        return loss, flat_grad(params)
    if not isinstance(loss, Tensor):
        raise TypeError(f"{name}'s closure must return the loss Tensor; got "
                        f"{type(loss).__name__}")
    if not loss.requires_grad:
        # The closure did not call backward and its loss has no graph: no gradient to be had.
        raise ValueError(f"{name}'s closure returned a loss that does not require grad and "
                         "called no backward: compute the loss from the parameters with grad "
                         "enabled (and call loss.backward() in the closure, or let "
                         f"{name} differentiate it)")
    grads = autograd_grad(loss, params, allow_unused=True)
    return loss, flatten(grads, params)


def check_graph_kept(loss, name):
    """A method that differentiates the loss again needs the graph the closure built."""
    fn = getattr(loss, "grad_fn", None)
    if fn is not None and fn.released:
        raise RuntimeError(f"{name} differentiates the closure's loss twice, but the closure's "
                           "backward() freed its graph: call loss.backward(create_graph=True) "
                           "in the closure, or return the loss without calling backward")


def check_no_backward(ran_backward, name, returns):
    """For the methods whose closure returns residuals rather than a loss."""
    if ran_backward:
        raise RuntimeError(f"{name}'s closure returns {returns} and calls no backward "
                           f"({name} differentiates them itself); this closure called "
                           "backward(): return the residuals without calling backward")
