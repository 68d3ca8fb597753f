"""Multi-task heads in an ``nn.ModuleDict``, per-task scales in an ``nn.ParameterList`` and
biases in an ``nn.ParameterDict``, a non-persistent buffer, and freezing the trunk with
``requires_grad_(False)`` for fine-tuning (patterns from learners' notebooks)."""
import torch
import torch.nn as nn

torch.manual_seed(0)
TASKS = ["sum", "diff"]


class MultiTask(nn.Module):
    def __init__(self):
        super().__init__()
        self.trunk = nn.Sequential(nn.Linear(2, 32), nn.Tanh())
        self.heads = nn.ModuleDict({task: nn.Linear(32, 1) for task in TASKS})
        self.scales = nn.ParameterList([nn.Parameter(torch.ones(1)) for _ in TASKS])
        self.offsets = nn.ParameterDict({task: nn.Parameter(torch.zeros(1)) for task in TASKS})
        self.register_buffer("calls", torch.zeros(1), persistent=False)

    def forward(self, x):
        self.calls += 1
        h = self.trunk(x)
        return {task: self.heads[task](h) * self.scales[i] + self.offsets[task]
                for i, task in enumerate(TASKS)}


model = MultiTask()
keys = list(model.state_dict().keys())
print(keys)
assert "heads.sum.weight" in keys and "scales.1" in keys and "offsets.diff" in keys
assert "calls" not in keys and [n for n, _ in model.named_buffers()] == ["calls"]
assert len(list(model.parameters())) == 2 + 4 + 2 + 2

x = torch.rand(256, 2) * 2 - 1
targets = {"sum": x.sum(1, keepdim=True), "diff": (x[:, :1] - x[:, 1:])}
optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
for step in range(300):
    optimizer.zero_grad()
    out = model(x)
    loss = sum(nn.functional.mse_loss(out[t], targets[t]) for t in TASKS)
    loss.backward()
    optimizer.step()
print(f"multi-task loss {loss.item():.5f}")
assert loss.item() < 5e-3, loss.item()

# Fine-tune only the heads: freeze the trunk; its parameters get no gradient.
model.zero_grad()
model.trunk.requires_grad_(False)
before = model.trunk[0].weight.detach().clone()
trainable = [p for p in model.parameters() if p.requires_grad]
assert len(trainable) == 8
optimizer = torch.optim.SGD(trainable, lr=0.1)
optimizer.zero_grad()
out = model(x)
sum(nn.functional.mse_loss(out[t], targets[t]) for t in TASKS).backward()
optimizer.step()
assert model.trunk[0].weight.grad is None
assert torch.equal(model.trunk[0].weight, before)
assert model.calls.item() == 301
print("containers_and_buffers: OK")
