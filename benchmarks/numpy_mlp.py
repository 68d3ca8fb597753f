"""The reference: a 784-256-128-10 ReLU MLP written by hand in NumPy, sharing no code with
minigrad. Forward, a manually derived backward, fused softmax cross-entropy, and Adam or
SGD with momentum as in-place float32 updates: what a careful person would write directly.
"""
import numpy as np


class NumpyMLP:
    def __init__(self, weights):
        """``weights``: [(W1, b1), (W2, b2), (W3, b3)] with W of shape (out, in), float32."""
        self.params = [a.astype(np.float32).copy() for pair in weights for a in pair]
        self.grads = [np.zeros_like(p) for p in self.params]

    def loss_and_grads(self, x, y):
        """Mean softmax cross-entropy of the batch, and all gradients into self.grads."""
        w1, b1, w2, b2, w3, b3 = self.params
        h1 = x @ w1.T
        h1 += b1
        np.maximum(h1, 0, out=h1)
        h2 = h1 @ w2.T
        h2 += b2
        np.maximum(h2, 0, out=h2)
        logits = h2 @ w3.T
        logits += b3
        # Fused softmax cross-entropy: d loss / d logits = (softmax - onehot) / N.
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        total = exp.sum(axis=1, keepdims=True)
        n = len(y)
        rows = np.arange(n)
        loss = float(np.mean(np.log(total[:, 0]) - logits[rows, y]))
        d_logits = exp / total
        d_logits[rows, y] -= 1
        d_logits /= n
        g = self.grads
        np.matmul(d_logits.T, h2, out=g[4])
        np.sum(d_logits, axis=0, out=g[5])
        d_h2 = d_logits @ w3
        d_h2 *= h2 > 0
        np.matmul(d_h2.T, h1, out=g[2])
        np.sum(d_h2, axis=0, out=g[3])
        d_h1 = d_h2 @ w2
        d_h1 *= h1 > 0
        np.matmul(d_h1.T, x, out=g[0])
        np.sum(d_h1, axis=0, out=g[1])
        return loss


class NumpyAdam:
    def __init__(self, params, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
        self.params, self.lr, self.beta1, self.beta2, self.eps = params, lr, beta1, beta2, eps
        self.m = [np.zeros_like(p) for p in params]
        self.v = [np.zeros_like(p) for p in params]
        self.t = 0

    def step(self, grads):
        self.t += 1
        step_size = self.lr / (1 - self.beta1 ** self.t)
        root_correction = (1 - self.beta2 ** self.t) ** 0.5
        for p, g, m, v in zip(self.params, grads, self.m, self.v):
            m *= self.beta1
            m += (1 - self.beta1) * g
            v *= self.beta2
            v += (1 - self.beta2) * g * g
            denom = np.sqrt(v)
            denom /= root_correction
            denom += self.eps
            p -= step_size * m / denom


class NumpyMomentum:
    def __init__(self, params, lr=0.05, momentum=0.9):
        self.params, self.lr, self.momentum = params, lr, momentum
        self.buffers = None

    def step(self, grads):
        if self.buffers is None:
            self.buffers = [g.copy() for g in grads]
        else:
            for b, g in zip(self.buffers, grads):
                b *= self.momentum
                b += g
        for p, b in zip(self.params, self.buffers):
            p -= self.lr * b


def train_epoch(model, optimizer, images, labels, batch_size, rng):
    order = rng.permutation(len(images))
    for start in range(0, len(images), batch_size):
        batch = order[start:start + batch_size]
        model.loss_and_grads(images[batch], labels[batch])
        optimizer.step(model.grads)
