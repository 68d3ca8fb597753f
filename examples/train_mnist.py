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
# The last 5,000 training images are held out for validation, which measures every epoch;
# the test set is looked at once, at the very end (anything chosen by looking at it, even
# just "the best epoch", would make the test accuracy an optimistic guess).
transform = T.Compose([T.ToTensor(), T.Normalize(0.1307, 0.3081)])
full_train = data.MNIST(train=True, transform=transform)
test_set = data.MNIST(train=False, transform=transform)
train_set = data.Subset(full_train, range(len(full_train) - 5000))
val_set = data.Subset(full_train, range(len(full_train) - 5000, len(full_train)))
if quick:
    train_set = data.Subset(train_set, range(512))
    val_set, test_set = data.Subset(val_set, range(256)), data.Subset(test_set, range(256))
train_loader = data.DataLoader(train_set, batch_size=128, shuffle=True)
val_loader = data.DataLoader(val_set, batch_size=1000)
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


def accuracy(loader):
    model.eval()
    correct = total = 0
    with mg.no_grad():  # no graph: evaluation only reads
        for images, labels in loader:
            correct += int((model(images).argmax(1) == labels).numpy().sum())
            total += len(labels)
    model.train()
    return correct / total


# 4. The loop: forward, loss, backward, step; the schedule steps once per epoch, after the
# epoch's lr has been used (and printed).
for epoch in range(1, epochs + 1):
    start, total, lr = time.perf_counter(), 0.0, optimizer.param_groups[0]["lr"]
    for images, labels in train_loader:
        loss = loss_fn(model(images), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total += loss.item() * len(labels)
    scheduler.step()
    print(f"epoch {epoch}: loss {total / len(train_set):.4f}, validation accuracy "
          f"{100 * accuracy(val_loader):.2f}%, lr {lr:.2e}, {time.perf_counter() - start:.1f}s")
print(f"test accuracy {100 * accuracy(test_loader):.2f}% (evaluated once, after training)")

# 5. A checkpoint that can be loaded without running any code, in the layout minigrad train
# writes: `minigrad evaluate --checkpoint mnist_mlp.mg` finds the model's name in it (this
# network is models.mlp(), layer for layer).
mg.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(), "epoch": epochs,
         "metadata": {"config": {"model": "mlp", "dataset": "mnist"}}}, "mnist_mlp.mg")
print("saved mnist_mlp.mg")
