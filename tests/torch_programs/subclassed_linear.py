"""A learner's layer: ``nn.Linear`` subclassed with PyTorch's full positional signature
(``in_features, out_features, bias, device, dtype``), used in a residual block whose forward
writes ``out += identity``, trained by a manual SGD update through ``.data``."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class ScaledLinear(nn.Linear):
    def __init__(self, in_features, out_features, bias=True, device=None, dtype=None,
                 scale=0.5):
        super().__init__(in_features, out_features, bias, device, dtype)
        self.scale = scale

    def forward(self, x):
        return super().forward(x) * self.scale


class ResidualBlock(nn.Module):
    def __init__(self, width):
        super().__init__()
        self.fc1 = ScaledLinear(width, width)
        self.fc2 = ScaledLinear(width, width)

    def forward(self, x):
        identity = x
        out = F.relu(self.fc1(x))
        out = self.fc2(out)
        out += identity
        return F.relu(out)


torch.manual_seed(0)
model = nn.Sequential(ScaledLinear(4, 16), ResidualBlock(16), ResidualBlock(16),
                      nn.Linear(16, 1))
x = torch.randn(256, 4)
y = x.pow(2).sum(1, keepdims=True)
first = None
for step in range(300):
    loss = F.mse_loss(model(x), y)
    first = loss.item() if first is None else first
    model.zero_grad()
    loss.backward()
    for p in model.parameters():
        p.data.add_(-0.05 * p.grad)
print(f"loss {first:.3f} -> {loss.item():.3f}")
assert loss.item() < first / 5, (first, loss.item())
print("subclassed_linear: OK")
