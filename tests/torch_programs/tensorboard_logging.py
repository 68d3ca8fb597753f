"""A training loop that logs to TensorBoard with ``torch.utils.tensorboard.SummaryWriter``
(scalars, a pair of curves, a weight histogram, text), then reads its own event file back."""
import glob
import os
import sys

import torch
import torch.nn as nn
from torch.utils.tensorboard import SummaryWriter

log_dir = sys.argv[1] if len(sys.argv) > 1 else "runs/tensorboard_logging"
torch.manual_seed(0)
model = nn.Linear(3, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
x = torch.randn(128, 3)
y = x @ torch.tensor([[1.0], [-2.0], [0.5]])
with SummaryWriter(log_dir) as writer:
    writer.add_text("setup", "SGD lr=0.1 on a linear target")
    for epoch in range(20):
        optimizer.zero_grad()
        loss = nn.functional.mse_loss(model(x), y)
        loss.backward()
        optimizer.step()
        writer.add_scalar("Loss/train", loss.item(), epoch)
        writer.add_scalars("lr_and_loss", {"lr": optimizer.param_groups[0]["lr"],
                                           "loss": loss}, epoch)
        writer.add_histogram("weight", model.weight, epoch)
    writer.flush()

files = glob.glob(os.path.join(log_dir, "events.out.tfevents.*"))
assert files and os.path.getsize(files[0]) > 0, files
try:
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
except ImportError:
    print("TensorBoard is not installed: checked that the event file exists")
else:
    events = EventAccumulator(log_dir)
    events.Reload()
    losses = [event.value for event in events.Scalars("Loss/train")]
    assert len(losses) == 20 and losses[-1] < losses[0] / 10, losses
    # TensorBoard keeps a sample of the histograms (by default one: the latest).
    assert events.Histograms("weight")[-1].step == 19
    print(f"read back {len(losses)} losses, from {losses[0]:.3f} to {losses[-1]:.4f}")
print("tensorboard_logging: OK")
