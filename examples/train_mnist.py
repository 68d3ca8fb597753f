"""The whole training stack in one readable script: data, model, loss, optimizer, schedule,
the loop, evaluation and a checkpoint. (``minigrad train`` does the same with more options.)

    python examples/train_mnist.py            # 5 epochs, about 98% test accuracy
    python examples/train_mnist.py --quick    # a few hundred images, for a smoke test
"""
import sys
import time

import minigrad as mg
from minigrad import data, nn, optim
from minigrad.data import transforms as T

quick = "--quick" in sys.argv
mg.manual_seed(0)

# 1. Data: pixels to [0, 1], standardised with MNIST's mean and std, shuffled in batches.
transform = T.Compose([T.ToTensor(), T.Normalize(0.1307, 0.3081)])
train_set = data.MNIST(train=True, transform=transform)
test_set = data.MNIST(train=False, transform=transform)
if quick:
    train_set, test_set = data.Subset(train_set, range(512)), data.Subset(test_set, range(256))
train_loader = data.DataLoader(train_set, batch_size=128, shuffle=True)
test_loader = data.DataLoader(test_set, batch_size=1000)

# 2. Model: 784 -> 256 -> 128 -> 10 with ReLU. Its parameters find themselves.
model = nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(),
                      nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))
print(model)

# 3. Loss, optimizer and a cosine learning-rate schedule over the epochs.
epochs = 1 if quick else 5
loss_fn = nn.CrossEntropyLoss()
optimizer = optim.Adam(model.parameters(), lr=1e-3)
scheduler = optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=epochs)


def evaluate():
    model.eval()
    correct = 0
    with mg.no_grad():  # no graph: evaluation only reads
        for images, labels in test_loader:
            correct += int((model(images).argmax(1) == labels).numpy().sum())
    model.train()
    return correct / len(test_set)


# 4. The loop: forward, loss, backward, step; the schedule steps once per epoch.
for epoch in range(1, epochs + 1):
    start, total = time.perf_counter(), 0.0
    for images, labels in train_loader:
        loss = loss_fn(model(images), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total += loss.item() * len(labels)
    scheduler.step()
    print(f"epoch {epoch}: loss {total / len(train_set):.4f}, test accuracy "
          f"{100 * evaluate():.2f}%, lr {scheduler.get_last_lr()[0]:.2e}, "
          f"{time.perf_counter() - start:.1f}s")

# 5. A checkpoint that can be loaded without running any code.
mg.save({"model": model.state_dict(), "optimizer": optimizer.state_dict()}, "mnist_mlp.mg")
print("saved mnist_mlp.mg")
