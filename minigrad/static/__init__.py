"""Static graphs: trace a training step once, replay it as a flat list of NumPy kernels.

``hooks`` (imported by ops, so it imports nothing), ``recorder`` (what a traced call
executed), ``planner`` (the replay program: liveness, buffer reuse, folding, ``explain``),
``compiled`` (``minigrad.compile``: signatures, the cache, the fallbacks to eager).
"""
