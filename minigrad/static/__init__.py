"""Static graphs: trace a training step once, replay it as a flat list of NumPy kernels.

Reading order: ``hooks`` (the one hook the rest of minigrad calls, so it imports nothing),
``recorder`` (slots and kernels), ``patches`` (the entry points watched while tracing),
``planner`` (the replay program: liveness, folding, the generated function, ``explain``),
``compiled`` (``minigrad.compile``: signatures, the confirming second trace, the fallbacks
to eager), ``training`` (the Trainer's compiled step).
"""
