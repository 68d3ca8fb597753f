"""The one hook the rest of minigrad uses to stay correct under ``minigrad.compile``.

A recorder sees every primitive (``Function.forward``) a traced step runs. What it cannot
see is NumPy run directly on values outside any primitive: a ReLU mask built in a backward,
a dropout mask drawn from the generator, the one-hot targets of a loss, the running
statistics of batch norm. Such code calls ``kernel(function, *args)`` instead of
``function(*args)``: eagerly it is the same call (one global lookup more); while a step is
traced, the recorder records it as one kernel, so a replay recomputes it from the new values
instead of reusing the traced ones.
"""


class _Active:
    recorder = None  # the Recorder of the step being traced, if any


ACTIVE = _Active()


def kernel(function, *args, **kwargs):
    """``function(*args, **kwargs)``, recorded as one kernel of a static graph when traced.

    ``args`` are what a replay feeds anew (arrays, tensors, objects, numbers); ``kwargs`` are
    fixed for the recording. ``function`` may return a value or a tuple of values.
    """
    recorder = ACTIVE.recorder
    if recorder is None:
        return function(*args, **kwargs)
    return recorder.call(function, args, kwargs)


def branch(function, *args):
    """``function(*args)``, a value a Python ``if`` depends on (``(b == 0).any()``).

    A replay cannot take another branch than its trace did; so while a step is traced, a
    branch on a value that a replay would compute anew (anything but a constant) keeps the
    step eager, with a warning. A branch on constants (the exponent of ``x ** 2``) is fine.
    """
    recorder = ACTIVE.recorder
    if recorder is not None:
        recorder.branch(function, args)
    return function(*args)
