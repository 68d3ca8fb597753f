"""The handle that every ``register_*_hook`` returns."""


class RemovableHandle:
    """``handle.remove()`` unregisters the hook it was returned for (a second call is a no-op)."""

    def __init__(self, hooks: list, hook):
        self._hooks, self._hook = hooks, hook

    def remove(self):
        if self._hook in self._hooks:
            self._hooks.remove(self._hook)
