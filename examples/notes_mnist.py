"""The notes' claims that need real data, on MNIST: L-BFGS with full and with mini-batches,
batch normalisation in training and evaluation mode, and feature scaling for plain SGD.
Used by notes_reproduced.py; each function returns plain numbers (and curves)."""
import copy

import numpy as np

import minigrad as mg
from minigrad import data, models, nn, optim
from minigrad.nn import functional as F
from minigrad.random import manual_seed

MEAN, STD = 0.1307, 0.3081  # MNIST's pixel statistics, as minigrad.recipes.choices.NORMALIZATION


def mnist_arrays(count, train=True):
    """The first ``count`` images as float32 rows of 784 raw pixel values (0..255), labels."""
    mnist = data.MNIST(train=train)
    return (mnist.data[:count].reshape(-1, 784).astype(np.float32),
            np.asarray(mnist.targets[:count], dtype=np.int64))


def batch_indices(count, batch_size, rng):
    order = rng.permutation(count)
    return [order[i:i + batch_size] for i in range(0, count, batch_size)]


def full_loss(model, images, labels):
    with mg.no_grad():
        return F.cross_entropy(model(mg.Tensor(images)), mg.Tensor(labels)).item()


def accuracy(model, images, labels):
    with mg.no_grad():
        return float((model(mg.Tensor(images)).numpy().argmax(1) == labels).mean())


# ------------------------------------------------------------------ L-BFGS
def lbfgs_full_vs_minibatch(count=5000, epochs=10, batch_size=256, seed=0):
    """Softmax regression (784 -> 10) on ``count`` standardised images, trained by the same
    L-BFGS (strong Wolfe line search, history 10) on the whole set, or on one mini-batch per
    step; SGD on the same mini-batches for reference. Cost is counted in gradient evaluations
    over examples, in epochs (passes over the set). Returns, per method, the curve
    (epochs of gradient work, full-set training loss) and the test accuracy."""
    images, labels = mnist_arrays(count)
    images = (images / 255 - MEAN) / STD
    test_images, test_labels = mnist_arrays(2000, train=False)
    test_images = (test_images / 255 - MEAN) / STD
    manual_seed(seed)
    initial = nn.Linear(784, 10).state_dict()
    results = {}
    for method in ("L-BFGS, full batch", "L-BFGS, mini-batches", "SGD, mini-batches"):
        model = nn.Linear(784, 10)
        model.load_state_dict(initial)
        if method.startswith("L-BFGS"):
            optimizer = optim.LBFGS(model.parameters(), lr=1, max_iter=20, history_size=10,
                                    line_search_fn="strong_wolfe")
        else:
            optimizer = optim.SGD(model.parameters(), lr=0.1)
        work = [0.0]  # examples whose gradient was computed so far, in epochs
        curve = [(0.0, full_loss(model, images, labels))]

        def closure(rows):
            optimizer.zero_grad()
            loss = F.cross_entropy(model(mg.Tensor(images[rows])), mg.Tensor(labels[rows]))
            loss.backward()
            work[0] += len(rows) / count
            if len(rows) == count:  # on the whole set the closure's loss is the curve itself
                curve.append((work[0], loss.item()))
            return loss

        rng = np.random.default_rng(seed)
        while work[0] < epochs:
            if method == "L-BFGS, full batch":
                optimizer.step(lambda: closure(np.arange(count)))
                continue
            for rows in batch_indices(count, batch_size, rng):
                optimizer.step(lambda: closure(rows))
                curve.append((work[0], full_loss(model, images, labels)))
        results[method] = {"curve": np.array(curve),
                           "test_accuracy": accuracy(model, test_images, test_labels)}
    return results


# ------------------------------------------------------------------ batch normalisation
def batchnorm_modes(count=10000, epochs=2, seed=0):
    """The BatchNorm MLP (784-256-128-10): (1) how much one image's logits move when the
    other images of its batch change, in training and in evaluation mode; (2) after training,
    test accuracy in evaluation mode (running statistics) against training mode on test
    batches of 1000 and of 8 images (each batch normalised by its own statistics)."""
    images, labels = mnist_arrays(count)
    images = (images / 255 - MEAN) / STD
    test_images, test_labels = mnist_arrays(10000, train=False)
    test_images = (test_images / 255 - MEAN) / STD
    manual_seed(seed)
    model = models.mlp_bn()
    optimizer = optim.Adam(model.parameters(), lr=1e-3)
    rng = np.random.default_rng(seed)
    for _ in range(epochs):
        model.train()
        for rows in batch_indices(count, 128, rng):
            loss = F.cross_entropy(model(mg.Tensor(images[rows])), mg.Tensor(labels[rows]))
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    result = {}
    first, second = test_images[:64].copy(), test_images[:64].copy()
    second[1:] = test_images[64:127]  # the same image 0, different batch-mates
    for mode in ("train", "eval"):
        probe = copy.deepcopy(model)  # a training-mode forward would move the running stats
        probe.train(mode == "train")
        with mg.no_grad():
            a, b = probe(mg.Tensor(first)).numpy()[0], probe(mg.Tensor(second)).numpy()[0]
        result[f"batch_dependence_{mode}"] = float(np.abs(a - b).max())
    model.eval()
    result["accuracy_eval"] = accuracy(model, test_images, test_labels)
    for size in (1000, 8):
        probe = copy.deepcopy(model)
        probe.train()
        with mg.no_grad():
            predictions = np.concatenate([
                probe(mg.Tensor(test_images[i:i + size])).numpy().argmax(1)
                for i in range(0, len(test_images), size)])
        result[f"accuracy_train_mode_batch{size}"] = float((predictions == test_labels).mean())
    return result


# ------------------------------------------------------------------ feature scaling
def scalings(train_images, test_images):
    """Raw pixels (0..255), min-max to [0, 1], and z-score per pixel (with the training
    set's mean and std; std floored at 1 grey level so that always-black pixels stay 0)."""
    low, high = train_images.min(), train_images.max()
    mean, std = train_images.mean(0), np.maximum(train_images.std(0), 1.0)
    return {"raw 0..255": (train_images, test_images),
            "min-max [0, 1]": ((train_images - low) / (high - low),
                               (test_images - low) / (high - low)),
            "z-score": ((train_images - mean) / std, (test_images - mean) / std)}


def feature_scaling(count=5000, epochs=5, learning_rates=(1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1.0),
                    seed=0):
    """Plain SGD (batch 64, no momentum) on softmax regression, for each scaling and each lr;
    the best lr of each (lowest final training loss, diverged runs excluded) with its loss
    after every epoch."""
    images, labels = mnist_arrays(count)
    test_images, test_labels = mnist_arrays(2000, train=False)
    manual_seed(seed)
    initial = nn.Linear(784, 10).state_dict()
    results = {}
    for name, (train_x, test_x) in scalings(images, test_images).items():
        best = None
        for lr in learning_rates:
            model = nn.Linear(784, 10)
            model.load_state_dict(initial)
            optimizer = optim.SGD(model.parameters(), lr=lr)
            rng, losses = np.random.default_rng(seed), [full_loss(model, train_x, labels)]
            for _ in range(epochs):
                for rows in batch_indices(count, 64, rng):
                    loss = F.cross_entropy(model(mg.Tensor(train_x[rows])), mg.Tensor(labels[rows]))
                    optimizer.zero_grad()
                    loss.backward()
                    optimizer.step()
                losses.append(full_loss(model, train_x, labels))
                if not np.isfinite(losses[-1]):
                    break
            if np.isfinite(losses[-1]) and (best is None or losses[-1] < best["losses"][-1]):
                best = {"lr": lr, "losses": losses,
                        "test_accuracy": accuracy(model, test_x, test_labels)}
        results[name] = best
    return results
