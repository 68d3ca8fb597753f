"""The reference: a 784-256-128-10 ReLU MLP written by hand in NumPy, sharing no code with
minigrad, as fast as a careful person writes it (issue 25):

- one flat float32 buffer holds every parameter, and another every gradient (the layers'
  weights and biases are views of them), so an optimizer step is a few passes over one
  contiguous array instead of a loop over six;
- the activations, their gradients and the gathered batch live in buffers allocated once
  per batch size; every NumPy call writes into them (``out=``), ReLU works in place;
- a manually derived backward with fused softmax cross-entropy;
- Adam and SGD with momentum as in-place float32 updates, with preallocated temporaries.
"""
import numpy as np

_SIZES = (784, 256, 128, 10)


class NumpyMLP:
    def __init__(self, weights):
        """``weights``: [(W1, b1), (W2, b2), (W3, b3)] with W of shape (out, in), float32."""
        arrays = [a for pair in weights for a in pair]
        self.flat = np.concatenate([a.astype(np.float32).ravel() for a in arrays])
        self.flat_grad = np.zeros_like(self.flat)
        self.params, self.grads, start = [], [], 0
        for a in arrays:  # views into the flat buffers, in the order W1, b1, W2, b2, W3, b3
            self.params.append(self.flat[start:start + a.size].reshape(a.shape))
            self.grads.append(self.flat_grad[start:start + a.size].reshape(a.shape))
            start += a.size
        self.flat_params, self.flat_grads = [self.flat], [self.flat_grad]
        self.buffers = {}  # batch size -> the arrays one step writes into

    def _buffers(self, n):
        if n not in self.buffers:
            f = np.float32
            self.buffers[n] = {
                "x": np.empty((n, _SIZES[0]), f),
                "h1": np.empty((n, _SIZES[1]), f), "h2": np.empty((n, _SIZES[2]), f),
                "logits": np.empty((n, _SIZES[3]), f), "row": np.empty((n, 1), f),
                "d_h1": np.empty((n, _SIZES[1]), f), "d_h2": np.empty((n, _SIZES[2]), f),
                "mask1": np.empty((n, _SIZES[1]), bool), "mask2": np.empty((n, _SIZES[2]), bool),
                "rows": np.arange(n)}
        return self.buffers[n]

    def loss_and_grads(self, x, y, batch=None):
        """Mean softmax cross-entropy of the batch, and all gradients into self.grads.
        With ``batch`` (indices), the rows ``x[batch]`` are gathered into a reused buffer."""
        n = len(y) if batch is None else len(batch)
        buf = self._buffers(n)
        if batch is not None:
            x = np.take(x, batch, axis=0, out=buf["x"])
            y = y[batch]
        w1, b1, w2, b2, w3, b3 = self.params
        h1, h2, logits, row = buf["h1"], buf["h2"], buf["logits"], buf["row"]
        np.matmul(x, w1.T, out=h1)
        h1 += b1
        np.maximum(h1, 0, out=h1)
        np.matmul(h1, w2.T, out=h2)
        h2 += b2
        np.maximum(h2, 0, out=h2)
        np.matmul(h2, w3.T, out=logits)
        logits += b3
        # Fused softmax cross-entropy: d loss / d logits = (softmax - onehot) / N.
        # Subtracting the row maximum keeps exp from overflowing.
        np.max(logits, axis=1, keepdims=True, out=row)
        logits -= row
        rows = buf["rows"]
        picked = logits[rows, y]  # the true class's shifted logit, before exp overwrites it
        np.exp(logits, out=logits)
        np.sum(logits, axis=1, keepdims=True, out=row)
        loss = float(np.mean(np.log(row[:, 0]) - picked))
        d_logits = np.divide(logits, row, out=logits)
        d_logits[rows, y] -= 1
        d_logits /= n
        g = self.grads
        np.matmul(d_logits.T, h2, out=g[4])
        np.sum(d_logits, axis=0, out=g[5])
        d_h2 = np.matmul(d_logits, w3, out=buf["d_h2"])
        # ReLU's backward: times the mask h > 0 (a preallocated boolean array: np.copyto
        # with where= or np.putmask measured ten times slower than this multiplication).
        np.multiply(d_h2, np.greater(h2, 0, out=buf["mask2"]), out=d_h2)
        np.matmul(d_h2.T, h1, out=g[2])
        np.sum(d_h2, axis=0, out=g[3])
        d_h1 = np.matmul(d_h2, w2, out=buf["d_h1"])
        np.multiply(d_h1, np.greater(h1, 0, out=buf["mask1"]), out=d_h1)
        np.matmul(d_h1.T, x, out=g[0])
        np.sum(d_h1, axis=0, out=g[1])
        return loss


class NumpyAdam:
    """Adam (PyTorch's defaults) on a list of arrays; the MLP passes its one flat buffer."""

    def __init__(self, params, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
        self.params, self.lr, self.beta1, self.beta2, self.eps = params, lr, beta1, beta2, eps
        self.m = [np.zeros_like(p) for p in params]
        self.v = [np.zeros_like(p) for p in params]
        self.scratch = [np.empty_like(p) for p in params]
        self.t = 0

    def step(self, grads):
        self.t += 1
        root_correction = (1 - self.beta2 ** self.t) ** 0.5
        # lr/(1-b1^t) * m / (sqrt(v)/rc + eps) = (lr*rc/(1-b1^t)) * m / (sqrt(v) + eps*rc)
        step_size = self.lr * root_correction / (1 - self.beta1 ** self.t)
        eps = self.eps * root_correction
        for p, g, m, v, tmp in zip(self.params, grads, self.m, self.v, self.scratch):
            np.subtract(g, m, out=tmp)  # m += (1 - b1) (g - m)
            tmp *= 1 - self.beta1
            m += tmp
            np.multiply(g, g, out=tmp)  # v = b2 v + (1 - b2) g^2
            tmp *= 1 - self.beta2
            v *= self.beta2
            v += tmp
            np.sqrt(v, out=tmp)
            tmp += eps
            np.divide(m, tmp, out=tmp)
            tmp *= -step_size
            p += tmp


class NumpyMomentum:
    def __init__(self, params, lr=0.05, momentum=0.9):
        self.params, self.lr, self.momentum = params, lr, momentum
        self.buffers = None
        self.scratch = [np.empty_like(p) for p in params]

    def step(self, grads):
        if self.buffers is None:
            self.buffers = [g.copy() for g in grads]
        else:
            for b, g in zip(self.buffers, grads):
                b *= self.momentum
                b += g
        for p, b, tmp in zip(self.params, self.buffers, self.scratch):
            np.multiply(b, -self.lr, out=tmp)
            p += tmp


def train_epoch(model, optimizer, images, labels, batch_size, rng):
    """One epoch in shuffled batches; the optimizer steps over ``model.flat_grads`` when the
    model keeps one flat buffer (its optimizer was made on ``model.flat_params``)."""
    grads = getattr(model, "flat_grads", model.grads)
    order = rng.permutation(len(images))
    for start in range(0, len(images), batch_size):
        batch = order[start:start + batch_size]
        if isinstance(model, NumpyMLP):
            model.loss_and_grads(images, labels, batch)
        else:
            model.loss_and_grads(images[batch], labels[batch])
        optimizer.step(grads)
