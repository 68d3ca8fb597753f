"""Linear and softmax regression from scratch, in the style of the "Dive into Deep Learning"
notebooks: parameters from ``torch.normal(..., requires_grad=True)``, a hand-written SGD
under ``torch.no_grad()``, ``y_hat.gather``, ``torch.max(outputs.data, 1)``, then the concise
version with ``nn.Sequential(OrderedDict)``, ``net.apply(init_weights)`` and legacy
``torch.FloatTensor`` data."""
from collections import OrderedDict

import torch
from torch import nn
from torch.utils import data

torch.manual_seed(0)

# ---------------------------------------------------------------- linear regression, scratch
true_w, true_b = torch.tensor([2, -3.4]), 4.2
X = torch.normal(0, 1, (1000, len(true_w)))
y = (torch.matmul(X, true_w) + true_b + torch.normal(0, 0.01, size=(1000,))).reshape((-1, 1))
w = torch.normal(0, 0.01, size=(2, 1), requires_grad=True)
b = torch.zeros(1, requires_grad=True)


def sgd(params, lr, batch_size):
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad / batch_size
            param.grad.zero_()


loader = data.DataLoader(data.TensorDataset(X, y), batch_size=10, shuffle=True)
for epoch in range(3):
    for features, labels in loader:
        loss = ((features @ w + b - labels) ** 2 / 2).sum()
        loss.backward()
        sgd([w, b], 0.03, 10)
print(f"w error {(true_w - w.reshape(true_w.shape)).tolist()}, b error {true_b - b.item():.4f}")
assert (true_w - w.reshape(true_w.shape)).abs().max().item() < 0.01
assert abs(true_b - b.item()) < 0.01

# ---------------------------------------------------------------- softmax regression, scratch
centres = torch.FloatTensor([[2, 2], [-2, 2], [0, -2]])
labels = torch.randint(0, 3, (600,))
features = centres[labels] + torch.randn(600, 2) * 0.7
W = torch.normal(0, 0.01, size=(2, 3), requires_grad=True)
bias = torch.zeros(3, requires_grad=True)


def softmax(z):
    z_exp = torch.exp(z)
    return z_exp / z_exp.sum(1, keepdim=True)


def cross_entropy(y_hat, y):
    return -torch.log(y_hat.gather(1, y.view(-1, 1)))


for epoch in range(20):
    y_hat = softmax(features @ W + bias)
    cross_entropy(y_hat, labels).mean().backward()
    with torch.no_grad():
        W -= 0.5 * W.grad
        bias -= 0.5 * bias.grad
        W.grad.zero_()
        bias.grad.zero_()
_, predicted = torch.max((features @ W + bias).data, 1)
scratch_accuracy = (predicted == labels).sum().item() / len(labels)
print(f"softmax regression from scratch: accuracy {scratch_accuracy:.3f}")
assert isinstance(centres, torch.FloatTensor) and scratch_accuracy > 0.9

# ---------------------------------------------------------------- the concise version
net = nn.Sequential(OrderedDict([("flatten", nn.Flatten()), ("linear", nn.Linear(2, 3))]))


def init_weights(m):
    if type(m) == nn.Linear:
        nn.init.normal_(m.weight, std=0.01)


net.apply(init_weights)
loss = nn.CrossEntropyLoss(reduction="none")
trainer = torch.optim.SGD(net.parameters(), lr=0.5)
for epoch in range(20):
    trainer.zero_grad()
    loss(net(features), labels).mean().backward()
    trainer.step()
concise_accuracy = (net(features).argmax(axis=1) == labels).float().mean().item()
print(f"concise: accuracy {concise_accuracy:.3f}; layers {list(net.state_dict().keys())}")
assert list(net.state_dict().keys()) == ["linear.weight", "linear.bias"]
assert net.linear.weight.shape == (3, 2) and concise_accuracy > 0.9
print("d2l_style: OK")
