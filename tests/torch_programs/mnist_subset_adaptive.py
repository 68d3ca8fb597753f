"""A learner's notebook: cut torchvision's MNIST down by assigning ``.data`` / ``.targets``
(a boolean mask keeping the digits 0-4, then the first 3000), and train a small CNN whose head
is ``nn.AdaptiveAvgPool2d`` with ``nn.Dropout2d`` between the convolutions."""
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

root = sys.argv[1] if len(sys.argv) > 1 else "data"
torch.manual_seed(0)
transform = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.1307,), (0.3081,))])
train = datasets.MNIST(root, train=True, download=True, transform=transform)
test = datasets.MNIST(root, train=False, download=True, transform=transform)
assert train.data.dtype == torch.uint8 and tuple(train.data.shape) == (60000, 28, 28)
assert train.targets.dtype == torch.int64

for ds, size in ((train, 3000), (test, 1000)):
    idx = ds.targets < 5
    ds.data, ds.targets = ds.data[idx], ds.targets[idx]
    ds.data, ds.targets = ds.data[:size], ds.targets[:size]
assert len(train) == 3000 and len(test) == 1000
image, label = train[0]
assert tuple(image.shape) == (1, 28, 28) and isinstance(label, int) and label < 5
print("classes:", torch.unique(train.targets).tolist())
assert torch.unique(train.targets).tolist() == [0, 1, 2, 3, 4]


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Dropout2d(0.1),
            nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(),
            nn.AdaptiveAvgPool2d((2, 2)))
        self.fc = nn.Linear(16 * 2 * 2, 5)

    def forward(self, x):
        return self.fc(torch.flatten(self.features(x), 1))


model = Net()
optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
loader = DataLoader(train, batch_size=64, shuffle=True)
for epoch in range(2):
    model.train()
    for data, target in loader:
        optimizer.zero_grad()
        loss = F.cross_entropy(model(data), target)
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: last loss {loss.item():.3f}")

model.eval()
correct = 0
with torch.no_grad():
    for data, target in DataLoader(test, batch_size=500):
        correct += (model(data).argmax(1) == target).sum().item()
accuracy = correct / len(test)
print(f"test accuracy on the digits 0-4: {accuracy:.3f}")
assert accuracy > 0.8, accuracy
print("mnist_subset_adaptive: OK")
