"""Character-level text data sets: vocabulary, the items of both forms against makemore's
and nanoGPT's definitions written here as plain loops, splits, downloads, and every error."""
import hashlib
import os

import numpy as np
import pytest

import minigrad as mg
from minigrad.data import CharText, CharWords, DataLoader, Vocabulary, corpus_path
from minigrad.data import text as text_module

WORDS = ["emma", "olivia", "ava", "isabella", "sophia", "mia", "amelia", "zoe", "li", "x",
         "harper", "evelyn", "abigail", "emily", "ella", "elizabeth", "camila", "luna", "eve",
         "aria"]


@pytest.fixture
def words_file(tmp_path):
    path = tmp_path / "words.txt"
    path.write_text("\n".join(WORDS) + "\n\n")  # a trailing blank line is not a word
    return str(path)


@pytest.fixture
def text_file(tmp_path):
    path = tmp_path / "text.txt"
    path.write_text("To be, or not to be, that is the question:\nWhether 'tis nobler\n" * 3)
    return str(path)


def contexts_by_loop(words, stoi, block_size):
    """makemore's build_dataset: slide a window of block_size over '.'*block + word + '.'."""
    xs, ys = [], []
    for word in words:
        context = [0] * block_size
        for ch in word + ".":
            xs.append(context)
            ys.append(stoi[ch])
            context = context[1:] + [stoi[ch]]
    return np.array(xs, dtype=np.int64).reshape(-1, block_size), np.array(ys, dtype=np.int64)


def test_vocabulary_puts_the_token_first_and_round_trips(words_file):
    data = CharWords(words_file)
    assert data.itos[0] == "." and data.itos[1:] == sorted(set("".join(WORDS)))
    assert data.vocab_size == len(data.itos) and all(data.stoi[c] == i
                                                     for i, c in enumerate(data.itos))
    codes = data.encode("olivia")
    assert codes.dtype == np.int64 and data.decode(codes) == "olivia"
    assert data.decode(mg.tensor(codes)) == "olivia"


def test_generated_rows_become_words_at_the_first_end_token(words_file):
    data = CharWords(words_file)
    rows = np.array([[0] + list(data.encode("ava")) + [0, 3, 4],
                     [0] + list(data.encode("emmaem"))])
    assert data.words_from(rows) == ["ava", "emmaem"]
    assert data.words_from(mg.tensor(rows[:1])) == ["ava"]
    with pytest.raises(ValueError, match=r"expected \(batch, time\) indices; got shape \(4,\)"):
        data.words_from(rows[0, :4])


@pytest.mark.parametrize("block_size", [1, 3, 8])
def test_context_items_are_makemores_windows(words_file, block_size):
    for split in ("train", "val", "test"):
        data = CharWords(words_file, split=split, block_size=block_size)
        x, y = contexts_by_loop(data.words, data.stoi, block_size)
        np.testing.assert_array_equal(data.x, x)
        np.testing.assert_array_equal(data.y, y)
        assert len(data) == sum(len(w) + 1 for w in data.words)


def test_sequence_items_shift_by_one_and_pad_targets_with_ignore_index(words_file):
    data = CharWords(words_file, form="sequence")
    longest = max(map(len, WORDS))
    assert data.block_size == longest + 1 and len(data) == len(data.words)
    for word, x, y in zip(data.words, data.x, data.y):
        codes = [data.stoi[c] for c in word]
        expected_x = [0] + codes + [0] * (longest - len(word))
        expected_y = codes + [0] + [-1] * (longest - len(word))
        assert x.tolist() == expected_x and y.tolist() == expected_y


def test_word_splits_partition_the_file_and_follow_the_seed(words_file):
    parts = {s: CharWords(words_file, split=s).words for s in ("train", "val", "test")}
    assert [len(parts[s]) for s in ("train", "val", "test")] == [16, 2, 2]
    assert sorted(sum(parts.values(), [])) == sorted(WORDS)
    assert CharWords(words_file, seed=42).words == parts["train"]
    assert CharWords(words_file, seed=7).words != parts["train"]
    halves = CharWords(words_file, splits=(0.5, 0.5, 0.0), split="test")
    assert len(halves) == 0 and len(CharWords(words_file, splits=(0.5, 0.5, 0.0))) > 0


def test_items_are_int64_tensors_and_batches_come_from_the_loader(words_file):
    data = CharWords(words_file, block_size=4)
    x, y = data[3]
    assert isinstance(x, mg.Tensor) and x.dtype == np.int64 and x.shape == (4,)
    assert isinstance(y, mg.Tensor) and y.dtype == np.int64 and y.shape == ()
    xb, yb = data[mg.tensor([3, 0])]  # a batch by a tensor of indices, as randint draws
    assert xb.shape == (2, 4) and xb.array[0].tolist() == x.array.tolist()
    xb, yb = next(iter(DataLoader(data, batch_size=5)))
    assert xb.shape == (5, 4) and yb.shape == (5,)
    np.testing.assert_array_equal(xb.array, data.x[:5])


@pytest.mark.parametrize("block_size, stride", [(4, 4), (5, 2), (3, 7)])
def test_text_blocks_start_every_stride_characters(text_file, block_size, stride):
    every = CharText(text_file, block_size=block_size)
    strided = CharText(text_file, block_size=block_size, stride=stride)
    starts = list(range(0, len(every.data) - block_size, stride))  # the last target must exist
    assert len(strided) == len(starts)
    for i, start in enumerate(starts):
        assert strided[i][0].tolist() == every[start][0].tolist()
        assert strided[i][1].tolist() == every[start][1].tolist()
    with pytest.raises(ValueError, match="stride must be a positive integer; got 0"):
        CharText(text_file, stride=0)


@pytest.mark.parametrize("block_size", [1, 5, 16])
def test_text_items_are_a_block_and_the_next_block(text_file, block_size):
    with open(text_file) as handle:
        text = handle.read()
    stoi = {c: i for i, c in enumerate(sorted(set(text)))}
    pieces = []
    for split in ("train", "val", "test"):
        data = CharText(text_file, split=split, block_size=block_size, splits=(0.6, 0.2, 0.2))
        assert data.itos == sorted(set(text)) and len(data) == len(data.data) - block_size
        piece = data.decode(data.data)
        pieces.append(piece)
        for i in (0, len(data) // 2, len(data) - 1):
            x, y = data[i]
            assert x.dtype == np.int64 and x.shape == (block_size,)
            assert x.tolist() == [stoi[c] for c in piece[i:i + block_size]]
            assert y.tolist() == [stoi[c] for c in piece[i + 1:i + block_size + 1]]
        xb, yb = data.__getitems__(np.array([2, 0]))
        np.testing.assert_array_equal(xb[1], data[0][0].array)
    assert "".join(pieces) == text  # contiguous stretches, in order, nothing lost
    assert len(pieces[1]) == int(len(text) * 0.2) == len(pieces[2])


def test_a_known_corpus_is_downloaded_verified_and_then_found(tmp_path, monkeypatch):
    source = tmp_path / "mirror"
    source.mkdir()
    content = b"anna\nbob\n"
    (source / "tiny.txt").write_bytes(content)
    corpus = text_module.Corpus("tiny", "tiny.txt", source.as_uri(),
                                hashlib.md5(content).hexdigest(),
                                hashlib.sha256(content).hexdigest())
    monkeypatch.setitem(text_module.CORPORA, "tiny", corpus)
    root = tmp_path / "root"
    with pytest.raises(FileNotFoundError, match="tiny.txt is missing and download=False"):
        corpus_path("tiny", root=root, download=False)
    path = corpus_path("tiny", root=root, progress=False)
    assert path == os.path.join(root, "tiny", "tiny.txt") and open(path, "rb").read() == content
    assert sorted(CharWords("tiny", root=root, splits=(1, 0, 0)).words) == ["anna", "bob"]
    (source / "tiny.txt").unlink()
    assert corpus_path("tiny", root=root, download=False) == path  # found without a mirror
    with open(path, "ab") as handle:
        handle.write(b"tampered\n")
    with pytest.raises(FileNotFoundError, match="fails its checksum, and could not download"):
        corpus_path("tiny", root=root)


@pytest.mark.skipif(not os.path.isfile(os.path.join(os.environ.get("MINIGRAD_DATA", ""),
                                                    "names", "names.txt")),
                    reason="the names corpus is supplied through MINIGRAD_DATA")
def test_the_real_names_corpus():
    splits = [CharWords("names", split=s, download=False) for s in ("train", "val", "test")]
    assert [len(s.words) for s in splits] == [25627, 3203, 3203]  # 32,032 names, 80/10/10
    assert splits[0].vocab_size == 27 and "".join(splits[0].itos) == \
        ".abcdefghijklmnopqrstuvwxyz"
    assert CharWords("names", form="sequence", download=False).block_size == 16


@pytest.mark.parametrize("make, message", [
    (lambda f: CharWords(f, split="valid"), "split must be one of"),
    (lambda f: CharWords(f, block_size=0), "block_size must be a positive integer; got 0"),
    (lambda f: CharWords(f, block_size=2.5), "block_size must be a positive integer; got 2.5"),
    (lambda f: CharWords(f, form="window"), "form must be 'context' or 'sequence'"),
    (lambda f: CharWords(f, splits=(0.8, 0.1)), "three non-negative fractions"),
    (lambda f: CharWords(f, splits=(0.8, 0.3, -0.1)), "three non-negative fractions"),
    (lambda f: CharText(f, block_size=100, splits=(0.9, 0.05, 0.05), split="val"),
     "the val split has 9 characters; block_size=100 needs at least 101"),
    (lambda f: CharWords(f).encode("ab!"), r"characters \['!'\] are not in the vocabulary"),
    (lambda f: CharWords(f).decode([0, 99]), "indices must be in 0..")],
    ids=["split", "block0", "block-float", "form", "splits-count", "splits-negative",
         "text-short", "encode", "decode"])
def test_errors_name_the_problem(text_file, words_file, make, message):
    with pytest.raises(ValueError, match=message):
        make(text_file if "split has" in message else words_file)


def test_file_errors_name_the_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="no such file.*known corpora are 'names'"):
        CharWords(str(tmp_path / "absent.txt"))
    empty = tmp_path / "empty.txt"
    empty.write_text("\n \n")
    with pytest.raises(ValueError, match="empty.txt: no words"):
        CharWords(str(empty))
    dotted = tmp_path / "dotted.txt"
    dotted.write_text("ann\nj.r.r\n")
    with pytest.raises(ValueError, match=r"1 words contain '\.', the start/end token .*'j\.r\.r'"):
        CharWords(str(dotted))
    with pytest.raises(ValueError, match="decode: expected a 1-D sequence"):
        Vocabulary("ab").decode(np.zeros((2, 2), dtype=np.int64))
    with pytest.raises(ValueError, match="characters must be distinct"):
        Vocabulary("aba")
