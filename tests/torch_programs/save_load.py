"""The quickstart's loop on (a slice of) MNIST, then a state_dict saved and loaded into a new
model that must predict exactly the same (the style of PyTorch's "Quickstart" tutorial)."""
import sys

import torch
from torch import nn
from torch.utils.data import DataLoader, Subset
from torchvision import datasets
from torchvision.transforms import ToTensor

root = sys.argv[1] if len(sys.argv) > 1 else "data"
training_data = Subset(datasets.MNIST(root=root, train=True, download=True, transform=ToTensor()),
                       range(4000))
test_data = Subset(datasets.MNIST(root=root, train=False, download=True, transform=ToTensor()),
                   range(1000))

batch_size = 64
train_dataloader = DataLoader(training_data, batch_size=batch_size)
test_dataloader = DataLoader(test_data, batch_size=batch_size)
for X, y in test_dataloader:
    print(f"Shape of X [N, C, H, W]: {X.shape}")
    print(f"Shape of y: {y.shape} {y.dtype}")
    assert X.shape == (64, 1, 28, 28) and y.dtype == torch.int64
    break

device = torch.accelerator.current_accelerator().type if torch.accelerator.is_available() else "cpu"
print(f"Using {device} device")


class NeuralNetwork(nn.Module):
    def __init__(self):
        super().__init__()
        self.flatten = nn.Flatten()
        self.linear_relu_stack = nn.Sequential(
            nn.Linear(28 * 28, 128),
            nn.ReLU(),
            nn.Linear(128, 10),
        )

    def forward(self, x):
        x = self.flatten(x)
        logits = self.linear_relu_stack(x)
        return logits


torch.manual_seed(0)
model = NeuralNetwork().to(device)
print(model)
loss_fn = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=1e-1)


def train(dataloader, model, loss_fn, optimizer):
    size = len(dataloader.dataset)
    model.train()
    for batch, (X, y) in enumerate(dataloader):
        X, y = X.to(device), y.to(device)
        pred = model(X)
        loss = loss_fn(pred, y)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
        if batch % 20 == 0:
            loss, current = loss.item(), (batch + 1) * len(X)
            print(f"loss: {loss:>7f}  [{current:>5d}/{size:>5d}]")


def test(dataloader, model, loss_fn):
    size = len(dataloader.dataset)
    num_batches = len(dataloader)
    model.eval()
    test_loss, correct = 0, 0
    with torch.no_grad():
        for X, y in dataloader:
            X, y = X.to(device), y.to(device)
            pred = model(X)
            test_loss += loss_fn(pred, y).item()
            correct += (pred.argmax(1) == y).type(torch.float).sum().item()
    test_loss /= num_batches
    correct /= size
    print(f"Test Error: \n Accuracy: {(100 * correct):>0.1f}%, Avg loss: {test_loss:>8f} \n")
    return correct


for t in range(2):
    print(f"Epoch {t + 1}\n-------------------------------")
    train(train_dataloader, model, loss_fn, optimizer)
    accuracy = test(test_dataloader, model, loss_fn)
assert accuracy > 0.75, accuracy

torch.save(model.state_dict(), "model.pth")
print("Saved PyTorch Model State to model.pth")
model2 = NeuralNetwork().to(device)
model2.load_state_dict(torch.load("model.pth", weights_only=True))
assert [k for k in model2.state_dict()] == ["linear_relu_stack.0.weight", "linear_relu_stack.0.bias",
                                            "linear_relu_stack.2.weight", "linear_relu_stack.2.bias"]

classes = [str(digit) for digit in range(10)]
model2.eval()
x, y = test_data[0][0], test_data[0][1]
with torch.no_grad():
    x = x.to(device)
    pred = model2(x)
    predicted, actual = classes[pred[0].argmax(0)], classes[y]
    print(f'Predicted: "{predicted}", Actual: "{actual}"')
    images = torch.stack([test_data[i][0] for i in range(100)])
    assert torch.equal(model(images), model2(images)), "the loaded model predicts differently"
print("save and load: OK")
