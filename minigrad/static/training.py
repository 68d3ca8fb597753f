"""The Trainer's step as one compiled function (``Trainer(..., compile=True)``)."""
from .compiled import compile as compile_step


def compiled_step(model, optimizer, loss_fn):
    """forward, loss, zero_grad, backward, update: traced once per batch shape, then
    replayed. Returns (logits, loss), both detached."""
    def training_step(inputs, targets):
        logits = model(inputs)
        loss = loss_fn(logits, targets)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        return logits.detach(), loss.detach()
    return compile_step(training_step)
