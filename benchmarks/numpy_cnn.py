"""The CNN reference: minigrad's MNIST CNN written by hand in NumPy, sharing no code with
minigrad: conv 1->16 3x3 pad 1, ReLU, max-pool 2; conv 16->32 3x3 pad 1, ReLU, max-pool 2;
linear 1568->128, ReLU; linear 128->10; softmax cross-entropy; Adam.

What a careful person would write for speed: every activation is kept as (C, H, W, N), batch
innermost, from the input to the logits, so each convolution is one GEMM over the whole batch,
every copy and add streams through long rows, and flattening for the classifier is free;
ReLU and biases work in place; the backward is derived by hand.
"""
import numpy as np
from numpy.lib.stride_tricks import as_strided


def conv_columns(padded, kernel=3):
    """(C * k * k, H * W * N) windows of a zero-padded (C, H + k - 1, W + k - 1, N) image."""
    c, hp, wp, n = padded.shape
    h, w = hp - kernel + 1, wp - kernel + 1
    s_c, s_h, s_w, s_n = padded.strides
    windows = as_strided(padded, (c, kernel, kernel, h, w, n), (s_c, s_h, s_w, s_h, s_w, s_n))
    return windows.reshape(c * kernel * kernel, h * w * n)  # reshape of a strided view: a copy


def add_columns(d_cols, c, h, w, n, kernel=3):
    """The gradient of the padded image from the gradient of its columns: the k * k shifted
    windows summed, then the padding cut off. Returns (C, H, W, N)."""
    pad = kernel // 2
    image = np.zeros((c, h + 2 * pad, w + 2 * pad, n), dtype=d_cols.dtype)
    d_cols = d_cols.reshape(c, kernel, kernel, h, w, n)
    for u in range(kernel):
        for v in range(kernel):
            image[:, u:u + h, v:v + w] += d_cols[:, u, v]
    return image[:, pad:pad + h, pad:pad + w]


def pool_forward(y):
    """2x2 max pooling of (C, H, W, N); returns the pooled map and the four quarters."""
    quarters = [y[:, u::2, v::2] for u in (0, 1) for v in (0, 1)]
    pooled = np.maximum(np.maximum(quarters[0], quarters[1]), np.maximum(quarters[2], quarters[3]))
    return pooled, quarters


def pool_backward(d_pooled, pooled, quarters, shape):
    """Route each gradient to the first quarter (row-major in the window) holding the max."""
    d_y = np.zeros(shape, dtype=d_pooled.dtype)
    free = np.ones(pooled.shape, dtype=bool)  # windows whose maximum is not yet claimed
    for index, (u, v) in enumerate([(0, 0), (0, 1), (1, 0), (1, 1)]):
        hit = quarters[index] == pooled
        hit &= free
        free &= ~hit
        np.multiply(d_pooled, hit, out=d_y[:, u::2, v::2])
    return d_y


class NumpyCNN:
    def __init__(self, weights):
        """``weights``: [(K1, b1), (K2, b2), (W3, b3), (W4, b4)] in PyTorch's shapes."""
        self.params = [a.astype(np.float32).copy() for pair in weights for a in pair]
        self.grads = [np.zeros_like(p) for p in self.params]

    def loss_and_grads(self, images, labels):
        """Mean softmax cross-entropy of a (N, 1, 28, 28) batch; gradients into self.grads."""
        k1, b1, k2, b2, w3, b3, w4, b4 = self.params
        n = len(labels)
        x = np.zeros((1, 30, 30, n), dtype=np.float32)
        x[:, 1:-1, 1:-1] = images.transpose(1, 2, 3, 0)
        cols1 = conv_columns(x)
        y1 = k1.reshape(16, -1) @ cols1                # (16, 28*28*N)
        y1 += b1[:, None]
        np.maximum(y1, 0, out=y1)
        y1 = y1.reshape(16, 28, 28, n)
        p1, quarters1 = pool_forward(y1)               # (16, 14, 14, N)
        x2 = np.zeros((16, 16, 16, n), dtype=np.float32)
        x2[:, 1:-1, 1:-1] = p1
        cols2 = conv_columns(x2)
        y2 = k2.reshape(32, -1) @ cols2
        y2 += b2[:, None]
        np.maximum(y2, 0, out=y2)
        y2 = y2.reshape(32, 14, 14, n)
        p2, quarters2 = pool_forward(y2)               # (32, 7, 7, N)
        features = p2.reshape(32 * 7 * 7, n)           # (C, H, W) order, as PyTorch's Flatten
        h3 = w3 @ features
        h3 += b3[:, None]
        np.maximum(h3, 0, out=h3)
        logits = w4 @ h3
        logits += b4[:, None]
        # Fused softmax cross-entropy: d loss / d logits = (softmax - onehot) / N.
        logits -= logits.max(axis=0)
        exp = np.exp(logits)
        total = exp.sum(axis=0)
        columns = np.arange(n)
        loss = float(np.mean(np.log(total) - logits[labels, columns]))
        d_logits = exp / total
        d_logits[labels, columns] -= 1
        d_logits /= n
        g = self.grads
        np.matmul(d_logits, h3.T, out=g[6])
        np.sum(d_logits, axis=1, out=g[7])
        d_h3 = w4.T @ d_logits
        d_h3 *= h3 > 0
        np.matmul(d_h3, features.T, out=g[4])
        np.sum(d_h3, axis=1, out=g[5])
        d_p2 = (w3.T @ d_h3).reshape(32, 7, 7, n)
        d_y2 = pool_backward(d_p2, p2, quarters2, y2.shape)
        d_y2 *= y2 > 0
        d_y2 = d_y2.reshape(32, -1)
        g[2][...] = (d_y2 @ cols2.T).reshape(k2.shape)
        np.sum(d_y2, axis=1, out=g[3])
        d_p1 = add_columns(k2.reshape(32, -1).T @ d_y2, 16, 14, 14, n)
        d_y1 = pool_backward(d_p1, p1, quarters1, y1.shape)
        d_y1 *= y1 > 0
        d_y1 = d_y1.reshape(16, -1)
        g[0][...] = (d_y1 @ cols1.T).reshape(k1.shape)
        np.sum(d_y1, axis=1, out=g[1])
        return loss
