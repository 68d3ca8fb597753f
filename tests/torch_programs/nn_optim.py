"""nn.Module models trained by torch.optim, in the style of PyTorch's "Learning PyTorch with
examples" (polynomial_nn, polynomial_optim, polynomial_module) and a linear regression fed by a
DataLoader over a TensorDataset split with random_split."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset, random_split

torch.manual_seed(0)
x = torch.linspace(-math.pi, math.pi, 2000)
y = torch.sin(x)

# 1. Sequential(Linear, Flatten) on the features (x, x^2, x^3), RMSprop, sum-reduced MSE.
p = torch.tensor([1, 2, 3])
xx = x.unsqueeze(-1).pow(p)
assert xx.shape == (2000, 3) and xx.dtype == torch.float32
model = nn.Sequential(nn.Linear(3, 1), nn.Flatten(0, 1))
loss_fn = nn.MSELoss(reduction="sum")
optimizer = torch.optim.RMSprop(model.parameters(), lr=1e-3)
for t in range(2000):
    y_pred = model(xx)
    loss = loss_fn(y_pred, y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
linear_layer = model[0]
print(f"Result: y = {linear_layer.bias.item()} + {linear_layer.weight[:, 0].item()} x + "
      f"{linear_layer.weight[:, 1].item()} x^2 + {linear_layer.weight[:, 2].item()} x^3")
print("RMSprop loss", loss.item())
assert loss.item() < 20

# 2. The same model updated by hand through model.parameters().
model = nn.Sequential(nn.Linear(3, 1), nn.Flatten(0, 1))
for t in range(500):
    loss = loss_fn(model(xx), y)
    model.zero_grad()
    loss.backward()
    with torch.no_grad():
        for param in model.parameters():
            param -= 1e-6 * param.grad
print("manual-update loss", loss.item())
assert loss.item() < 500


# 3. A Module subclass with its own Parameters, and SGD with momentum.
class Polynomial3(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Parameter(torch.randn(()))
        self.b = nn.Parameter(torch.randn(()))
        self.c = nn.Parameter(torch.randn(()))
        self.d = nn.Parameter(torch.randn(()))

    def forward(self, x):
        return self.a + self.b * x + self.c * x ** 2 + self.d * x ** 3

    def string(self):
        return f"y = {self.a.item()} + {self.b.item()} x + {self.c.item()} x^2 + {self.d.item()} x^3"


model = Polynomial3()
assert [name for name, _ in model.named_parameters()] == ["a", "b", "c", "d"]
criterion = torch.nn.MSELoss(reduction="sum")
optimizer = torch.optim.SGD(model.parameters(), lr=1e-6, momentum=0.9)
for t in range(2000):
    loss = criterion(model(x), y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
print(f"Result: {model.string()}; loss {loss.item()}")
assert loss.item() < 15

# 4. Linear regression on a TensorDataset, split 80/20, mini-batches from a DataLoader.
true_w, true_b = torch.tensor([[2.0, -3.4]]), 4.2
features = torch.randn(1000, 2)
labels = features @ true_w.t() + true_b + 0.01 * torch.randn(1000, 1)
train_set, val_set = random_split(TensorDataset(features, labels), [0.8, 0.2])
assert len(train_set) == 800 and len(val_set) == 200
first_x, first_y = train_set[0]
assert first_x.shape == (2,) and first_y.shape == (1,)
train_loader = DataLoader(train_set, batch_size=10, shuffle=True, num_workers=0, pin_memory=False)
net = nn.Sequential(nn.Linear(2, 1))
net.apply(lambda m: nn.init.normal_(m.weight, 0, 0.01) if isinstance(m, nn.Linear) else None)
optimizer = torch.optim.SGD(net.parameters(), lr=0.03)
for epoch in range(3):
    net.train()
    for X, Y in train_loader:
        loss = F.mse_loss(net(X), Y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    net.eval()
    with torch.no_grad():
        val_x = torch.stack([val_set[i][0] for i in range(len(val_set))])
        val_y = torch.stack([val_set[i][1] for i in range(len(val_set))])
        val_loss = F.smooth_l1_loss(net(val_x), val_y)
    print(f"epoch {epoch + 1}, validation smooth-L1 loss {val_loss.item():f}")
weight, bias = net[0].weight.detach(), net[0].bias.detach()
print("estimated w", weight, "b", bias)
assert (weight - true_w).abs().max().item() < 0.02 and abs(bias.item() - true_b) < 0.02
print(net)
print("nn + optim: OK")
