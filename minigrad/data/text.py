"""Character-level text data sets: a file of words (one name per line) or one long text.

Two standard corpora are known by name and found in ``<root>/names/names.txt`` and
``<root>/tinyshakespeare/input.txt`` (root: ``$MINIGRAD_DATA``, else ~/.cache/minigrad), or
downloaded from their public source and verified against their checksums, as MNIST is; any
other source is the path of a user's own text file.

- ``CharWords``: each line is one sequence framed by the token ``'.'`` (index 0), as in
  makemore. ``form="context"`` gives Bengio-style examples, the ``block_size`` previous
  characters (``'.'`` before the start) and the next one; ``form="sequence"`` gives one item
  per word for an RNN or a transformer, ``x = '.' + word`` and ``y = word + '.'``, padded to
  the longest word with 0 in ``x`` and with ``ignore_index`` -1 in ``y``.
- ``CharText``: one long text cut into overlapping blocks, ``x = text[i:i+block_size]`` and
  ``y = text[i+1:i+block_size+1]`` (every position predicts the character after it).

The vocabulary is built from the whole file, so every split shares it; the train, validation
and test splits are fixed: words are shuffled by a seeded generator and then cut, a text is
cut into contiguous stretches (so no block straddles two splits).
"""
from __future__ import annotations

import os
from typing import NamedTuple

import numpy as np

from ..tensor import Tensor
from ..utils.data.dataset import Dataset
from .download import DownloadError, download_verified, is_verified
from .mnist import data_root

SPLITS = ("train", "val", "test")
IGNORE_INDEX = -1  # the padding target; F.cross_entropy(..., ignore_index=-1) skips it


class Corpus(NamedTuple):
    """A known corpus: its folder under the data root, its file, where to get it, checksums."""
    folder: str
    filename: str
    mirror: str
    md5: str
    sha256: str


CORPORA = {
    # karpathy/makemore at a fixed commit: 32,032 US first names (2018), one a line.
    "names": Corpus("names", "names.txt", "https://raw.githubusercontent.com/karpathy/makemore/"
                    "988aa59e4d8fefa526d06f3b453ad116258398d4",
                    "401b3c4cac9e28a586ed15e81256680d",
                    "0a30b5557f192f32ab962680889aac5f6fda0f4cecf40a6d0b5694f58ea8cc4d"),
    # karpathy/char-rnn at a fixed commit: 1,115,394 bytes of Shakespeare's plays.
    "shakespeare": Corpus("tinyshakespeare", "input.txt", "https://raw.githubusercontent.com/"
                          "karpathy/char-rnn/6f9487a6fe5b420b7ca9afb0d7c078e37c1d1b4e/data/"
                          "tinyshakespeare", "6fb458f1232090904fb40fe944165e91",
                          "86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed"),
}


def corpus_path(source, root=None, download: bool = True, progress=None) -> str:
    """The file behind ``source``: a known corpus ("names", "shakespeare") found in the data
    root or downloaded and verified there, or else the path of a user's own file."""
    if source not in CORPORA:
        path = os.fspath(source)
        if not os.path.isfile(path):
            raise FileNotFoundError(f"text data set {path!r}: no such file (the known corpora "
                                    f"are {', '.join(map(repr, CORPORA))})")
        return path
    corpus = CORPORA[source]
    directory = os.path.join(data_root(root), corpus.folder)
    path = os.path.join(directory, corpus.filename)
    if is_verified(path, corpus.md5, corpus.sha256):
        return path
    problem = "fails its checksum" if os.path.exists(path) else "is missing"
    if not download:
        raise FileNotFoundError(f"{path} {problem} and download=False; put the file there, "
                                "set MINIGRAD_DATA to a folder whose "
                                f"'{corpus.folder}' subfolder holds it, or allow the download")
    try:
        return download_verified(corpus.filename, directory, [corpus.mirror], corpus.md5,
                                 corpus.sha256, progress=progress)
    except DownloadError as error:
        raise FileNotFoundError(f"{path} {problem}, and {error}") from None


class Vocabulary:
    """The characters of a corpus: ``itos[i]`` is the character with index ``i`` and
    ``stoi`` its inverse. ``encode`` maps a string to int64 indices, ``decode`` back."""

    def __init__(self, chars):
        self.itos = list(chars)
        if len(set(self.itos)) != len(self.itos):
            raise ValueError(f"Vocabulary: the characters must be distinct; got {self.itos}")
        self.stoi = {ch: i for i, ch in enumerate(self.itos)}

    def __len__(self):
        return len(self.itos)

    def encode(self, text: str) -> np.ndarray:
        unknown = sorted(set(text) - self.stoi.keys())
        if unknown:
            raise ValueError(f"encode: characters {unknown} are not in the vocabulary")
        return np.array([self.stoi[ch] for ch in text], dtype=np.int64)

    def decode(self, indices) -> str:
        indices = np.asarray(indices.array if isinstance(indices, Tensor) else indices)
        if indices.ndim != 1:
            raise ValueError(f"decode: expected a 1-D sequence of indices; got shape "
                             f"{indices.shape}")
        if indices.size and (indices.min() < 0 or indices.max() >= len(self)):
            raise ValueError(f"decode: indices must be in 0..{len(self) - 1}; got "
                             f"{indices.min()}..{indices.max()}")
        return "".join(self.itos[i] for i in indices.tolist())

    def __repr__(self):
        return f"Vocabulary({len(self)} characters: {''.join(self.itos)!r})"


def _check_options(split, block_size, fractions):
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}; got {split!r}")
    if not isinstance(block_size, (int, np.integer)) or isinstance(block_size, bool) \
            or block_size < 1:
        raise ValueError(f"block_size must be a positive integer; got {block_size!r}")
    if len(fractions) != 3 or min(fractions) < 0 or abs(sum(fractions) - 1) > 1e-9:
        raise ValueError(f"splits must be three non-negative fractions (train, val, test) "
                         f"summing to 1; got {tuple(fractions)}")


def _bounds(n: int, fractions) -> list[int]:
    """Cut points of n items into the three splits (the rounding remainder goes to train)."""
    val, test = int(n * fractions[1]), int(n * fractions[2])
    return [0, n - val - test, n - test, n]


class _CharDataset(Dataset):
    """Shared by both kinds: items are (x, y) int64 Tensors; a batch is one fancy index."""

    def __len__(self):
        return len(self.x)

    def __getitem__(self, index):
        if isinstance(index, Tensor):  # a batch of indices drawn with randint
            index = index.array
        x, y = self.__getitems__(index)
        return Tensor(x), Tensor(y)

    def __getitems__(self, indices):
        return self.x[indices], self.y[indices]

    def encode(self, text: str) -> np.ndarray:
        return self.vocab.encode(text)

    def decode(self, indices) -> str:
        return self.vocab.decode(indices)

    @property
    def stoi(self):
        return self.vocab.stoi

    @property
    def itos(self):
        return self.vocab.itos

    @property
    def vocab_size(self) -> int:
        return len(self.vocab)


class CharWords(_CharDataset):
    """A file of words, one per line, each framed by the token ``'.'`` (index 0); the other
    characters follow in sorted order. ``form="context"``: one item per character (and the
    closing '.'), ``x`` its ``block_size`` predecessors, ``y`` the character (shapes
    ``(block_size,)`` and ``()``). ``form="sequence"``: one item per word, ``x`` and ``y`` of
    length ``block_size = longest word + 1`` (``y`` is -1 on padding). Words are shuffled
    with ``seed`` and cut into ``splits`` = (train, val, test) fractions."""
    token = "."

    def __init__(self, source="names", split: str = "train", block_size: int = 3,
                 form: str = "context", splits=(0.8, 0.1, 0.1), seed: int = 42, root=None,
                 download: bool = True, progress=None):
        if form not in ("context", "sequence"):
            raise ValueError(f"form must be 'context' or 'sequence'; got {form!r}")
        _check_options(split, block_size, splits)
        self.path = corpus_path(source, root, download, progress)
        with open(self.path, encoding="utf-8") as handle:
            words = [line.strip() for line in handle]
        words = [w for w in words if w]
        if not words:
            raise ValueError(f"{self.path}: no words (the file has no non-empty lines)")
        framed = [w for w in words if self.token in w]
        if framed:
            raise ValueError(f"{self.path}: {len(framed)} words contain {self.token!r}, the "
                             f"start/end token (e.g. {framed[0]!r})")
        self.vocab = Vocabulary(self.token + "".join(sorted(set("".join(words)))))
        self.max_length = max(map(len, words))
        self.split, self.form = split, form
        order = np.random.default_rng(seed).permutation(len(words))
        bounds = _bounds(len(words), splits)
        index = SPLITS.index(split)
        self.words = [words[i] for i in order[bounds[index]:bounds[index + 1]]]
        padded, lengths = self._pad(self.words)
        if form == "sequence":
            self.block_size = self.max_length + 1
            self.x, self.y = self._sequences(padded, lengths)
        else:
            self.block_size = int(block_size)
            self.x, self.y = self._contexts(padded, lengths)

    def _pad(self, words):
        """Each word's indices followed by 0 ('.'), in a (words, max_length + 1) array."""
        padded = np.zeros((len(words), self.max_length + 1), dtype=np.int64)
        lengths = np.array([len(w) for w in words], dtype=np.int64)
        if words:
            codes = self.vocab.encode("".join(words))
            rows = np.repeat(np.arange(len(words)), lengths)
            columns = np.arange(len(codes)) - np.repeat(np.cumsum(lengths) - lengths, lengths)
            padded[rows, columns] = codes
        return padded, lengths

    def _sequences(self, padded, lengths):
        x = np.zeros_like(padded)
        x[:, 1:] = padded[:, :-1]  # '.' first, then the word (its trailing pad is 0 too)
        y = padded.copy()
        positions = np.arange(padded.shape[1])
        y[positions[None, :] > lengths[:, None]] = IGNORE_INDEX  # past the closing '.'
        return x, y

    def _contexts(self, padded, lengths):
        # Prefix block_size start tokens; window j (its last column the target) then holds
        # the block_size characters before position j. Keep windows up to the closing '.'.
        block = self.block_size
        tokens = np.concatenate([np.zeros((len(padded), block), np.int64), padded], axis=1)
        windows = np.lib.stride_tricks.sliding_window_view(tokens, block + 1, axis=1)
        valid = np.arange(windows.shape[1])[None, :] <= lengths[:, None]
        chosen = windows[valid]
        return np.ascontiguousarray(chosen[:, :block]), np.ascontiguousarray(chosen[:, block])

    def words_from(self, idx) -> list[str]:
        """The words in generated rows of indices (B, T): each row's characters after its
        first (start) token, up to the next '.'."""
        rows = np.asarray(idx.array if isinstance(idx, Tensor) else idx)
        if rows.ndim != 2:
            raise ValueError(f"words_from: expected (batch, time) indices; got shape "
                             f"{rows.shape}")
        return [self.decode(row[1:]).split(self.token)[0] for row in rows]

    def __repr__(self):
        return (f"CharWords({self.split}, {len(self.words)} words, {len(self)} {self.form} "
                f"items, block_size={self.block_size}, vocab {len(self.vocab)}, "
                f"from {self.path})")


class CharText(_CharDataset):
    """One long text; the vocabulary is its sorted characters. The text is cut into
    contiguous (train, val, test) stretches by ``splits``; item ``i`` of a stretch ``s``
    starts at ``j = i * stride``: ``(s[j:j+block_size], s[j+1:j+block_size+1])``. With
    ``stride=1`` every position starts a block; ``stride=block_size`` gives non-overlapping
    blocks, each character predicted once (an epoch of sensible length, an exact test)."""

    def __init__(self, source="shakespeare", split: str = "train", block_size: int = 64,
                 splits=(0.9, 0.05, 0.05), stride: int = 1, root=None, download: bool = True,
                 progress=None):
        _check_options(split, block_size, splits)
        if not isinstance(stride, (int, np.integer)) or isinstance(stride, bool) or stride < 1:
            raise ValueError(f"stride must be a positive integer; got {stride!r}")
        self.stride = int(stride)
        self.path = corpus_path(source, root, download, progress)
        with open(self.path, encoding="utf-8") as handle:
            text = handle.read()
        self.vocab = Vocabulary(sorted(set(text)))
        self.split, self.block_size = split, int(block_size)
        bounds = _bounds(len(text), splits)
        index = SPLITS.index(split)
        self.data = self.vocab.encode(text[bounds[index]:bounds[index + 1]])
        if len(self.data) <= self.block_size:
            raise ValueError(f"{self.path}: the {split} split has {len(self.data)} characters; "
                             f"block_size={block_size} needs at least {self.block_size + 1}")

    def __len__(self):
        return (len(self.data) - self.block_size - 1) // self.stride + 1

    def __getitems__(self, indices):
        starts = np.arange(len(self))[indices] * self.stride  # also checks the range
        window = np.add.outer(starts, np.arange(self.block_size))
        return self.data[window], self.data[window + 1]

    def __repr__(self):
        return (f"CharText({self.split}, {len(self.data)} characters, {len(self)} blocks of "
                f"{self.block_size}, vocab {len(self.vocab)}, from {self.path})")
