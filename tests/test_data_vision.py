"""torchvision-style datasets and transforms, and the torch.utils.data names PyTorch programs
use (TensorDataset, random_split, Subset, DataLoader's accepted arguments)."""
import gzip
import os
import shutil

import numpy as np
import pytest

import minigrad as mg
from minigrad.data import DataLoader, Subset, TensorDataset, random_split
from minigrad.data import vision_transforms as T
from minigrad.data.mnist import MNIST as MinigradMNIST
from minigrad.data.vision import MNIST, DatasetNotFoundError

rng = np.random.default_rng(5)


# ------------------------------------------------------------------ transforms
def test_to_tensor_grey_and_colour_images():
    grey = rng.integers(0, 256, (5, 7), dtype=np.uint8)
    out = T.ToTensor()(grey)
    assert isinstance(out, mg.Tensor) and out.shape == (1, 5, 7) and out.dtype == mg.float32
    np.testing.assert_allclose(out.numpy()[0], grey / 255.0, rtol=1e-6)
    colour = rng.integers(0, 256, (5, 7, 3), dtype=np.uint8)
    out = T.ToTensor()(colour)
    assert out.shape == (3, 5, 7)
    np.testing.assert_allclose(out.numpy(), colour.transpose(2, 0, 1) / 255.0, rtol=1e-6)
    floats = rng.random((4, 4)).astype(np.float32)
    np.testing.assert_array_equal(T.ToTensor()(floats).numpy()[0], floats)  # not rescaled
    with pytest.raises(ValueError, match="H x W or H x W x C"):
        T.ToTensor()(np.zeros(3, np.uint8))


def test_normalize_per_channel_and_compose_with_lambda():
    image = rng.random((3, 4, 4)).astype(np.float32)
    mean, std = (0.1, 0.2, 0.3), (0.5, 1.0, 2.0)
    out = T.Normalize(mean, std)(mg.tensor(image))
    expected = (image - np.array(mean)[:, None, None]) / np.array(std)[:, None, None]
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-6)
    flatten = T.Compose([T.ToTensor(), T.Normalize((0.5,), (0.5,)), T.Lambda(lambda t: t.view(-1))])
    out = flatten(np.full((2, 2), 255, np.uint8))
    assert out.tolist() == [1.0] * 4 and not flatten.batchable
    with pytest.raises(ValueError, match="positive std"):
        T.Normalize(0.0, 0.0)


def test_the_batch_path_gives_the_per_sample_results():
    images = rng.integers(0, 256, (6, 28, 28), dtype=np.uint8)
    transform = T.Compose([T.ToTensor(), T.Normalize((0.1307,), (0.3081,))])
    assert transform.batchable
    batch = transform.batch(images)
    np.testing.assert_array_equal(batch, np.stack([transform(i).numpy() for i in images]))


# ------------------------------------------------------------------ MNIST, torchvision's way
def _mnist_or_skip():
    try:
        return MinigradMNIST(train=False, download=False)
    except FileNotFoundError as error:
        pytest.skip(f"MNIST is not available here: {error}")


@pytest.mark.parametrize("gzipped", [True, False])
def test_finds_files_in_torchvisions_layout(tmp_path, monkeypatch, gzipped):
    source = _mnist_or_skip()
    raw = tmp_path / "MNIST" / "raw"
    raw.mkdir(parents=True)
    for resource in MinigradMNIST.resources["test"]:
        path = os.path.join(source.directory, resource.name)
        if gzipped:
            shutil.copy(path, raw / resource.name)
        else:
            with gzip.open(path, "rb") as packed, open(raw / resource.name[:-3], "wb") as out:
                shutil.copyfileobj(packed, out)
    monkeypatch.setenv("MINIGRAD_DATA", str(tmp_path / "elsewhere"))  # no fallback
    dataset = MNIST(tmp_path, train=False)
    assert len(dataset) == 10000 and dataset.data.shape == (10000, 28, 28)
    assert dataset.data.dtype == mg.uint8 and dataset.targets.dtype == mg.int64
    image, target = dataset[0]
    assert image.shape == (28, 28) and isinstance(target, int) and target == 7


def test_falls_back_to_minigrads_layout_and_applies_transforms_per_sample():
    _mnist_or_skip()
    seen = []
    dataset = MNIST("no-such-root", train=False, transform=T.ToTensor(),
                    target_transform=lambda y: seen.append(y) or y * 10)
    image, target = dataset[1]
    assert image.shape == (1, 28, 28) and target == 20 and seen == [2]
    images, targets = next(iter(DataLoader(Subset(dataset, [0, 1]), batch_size=2)))
    assert images.shape == (2, 1, 28, 28) and targets.tolist() == [70, 20]


@pytest.mark.parametrize("select", [
    lambda ds: slice(None, 400),                # ds.data[:400]
    lambda ds: ds.targets < 2,                  # a boolean mask: the zeros and ones only
    lambda ds: mg.tensor([9, 3, 3, 0]),         # an index tensor, repeats allowed
])
def test_assigning_data_and_targets_selects_the_samples(select):
    _mnist_or_skip()
    dataset = MNIST("no-such-root", train=False, transform=T.ToTensor())
    images, labels = dataset.data.numpy().copy(), dataset.targets.numpy().copy()
    index = select(dataset)
    dataset.data, dataset.targets = dataset.data[index], dataset.targets[index]
    expected_images = images[index.numpy() if isinstance(index, mg.Tensor) else index]
    expected_labels = labels[index.numpy() if isinstance(index, mg.Tensor) else index]
    assert len(dataset) == len(expected_labels) and len(dataset) < 10000
    image, target = dataset[len(dataset) - 1]  # the last sample of the selection
    assert isinstance(target, int) and target == expected_labels[-1]
    np.testing.assert_allclose(image.numpy()[0], expected_images[-1] / 255.0, rtol=1e-6)
    # A DataLoader (the batched fast path) sees exactly the selection, in order.
    seen = np.concatenate([y.numpy() for _, y in DataLoader(dataset, batch_size=128)])
    np.testing.assert_array_equal(seen, expected_labels)
    assert len(DataLoader(dataset, batch_size=100)) == -(-len(expected_labels) // 100)


def test_missing_files_name_the_places_searched(tmp_path, monkeypatch):
    monkeypatch.setenv("MINIGRAD_DATA", str(tmp_path / "empty"))
    with pytest.raises(RuntimeError, match=r"Dataset not found: MNIST: t10k-images-idx3-ubyte"
                                           r".gz .*MNIST/raw.*Use download=True to download it, "
                                           r"or point root at .*MINIGRAD_DATA"):
        MNIST(tmp_path, train=False, download=False)


def test_a_failed_download_says_it_failed_and_why_in_one_line(tmp_path, monkeypatch):
    # download=True was passed: the advice is not "use download=True" but why it failed
    # and how to use files already on disk.
    monkeypatch.setenv("MINIGRAD_DATA", str(tmp_path / "empty"))
    monkeypatch.setattr(MinigradMNIST, "mirrors", ["http://127.0.0.1:9/", "http://127.0.0.1:9/x/"])
    with pytest.raises(DatasetNotFoundError) as info:
        MNIST(tmp_path, train=False, download=True)
    message = str(info.value)
    assert isinstance(info.value, RuntimeError) and "\n" not in message  # torchvision's type
    assert message.startswith("Dataset not found: MNIST: t10k-images-idx3-ubyte.gz")
    assert "download=True could not fetch it (every mirror (2) failed: " in message
    assert "refused" in message.lower()  # why: nothing listens on port 9
    assert message.endswith(f"Check the network, or point root at a folder whose MNIST/raw/ "
                            "holds the files, or set MINIGRAD_DATA to a folder whose mnist/ "
                            "holds them.")
    assert "Use download=True" not in message
    assert not (tmp_path / "MNIST").exists()  # the failed download left no folders behind


# ------------------------------------------------------------------ torch.utils.data names
def test_tensor_dataset_items_are_tensors_sharing_memory():
    features, labels = mg.randn(10, 3), mg.arange(10)
    dataset = TensorDataset(features, labels)
    x, y = dataset[2]
    assert isinstance(x, mg.Tensor) and x.shape == (3,) and y.item() == 2
    features.array[2, 0] = 42.0
    assert dataset[2][0][0].item() == 42.0


def test_random_split_by_lengths_and_by_fractions():
    dataset = TensorDataset(np.arange(10))
    parts = random_split(dataset, [7, 3])
    assert [len(p) for p in parts] == [7, 3]
    assert sorted(np.concatenate([p.indices for p in parts]).tolist()) == list(range(10))
    # PyTorch's rounding: floor of each fraction, the remainder handed out from the first.
    assert [len(p) for p in random_split(TensorDataset(np.arange(11)), [0.5, 0.3, 0.2])] == [6, 3, 2]
    with pytest.raises(ValueError, match=r"sum to 9, not to the dataset's length 10"):
        random_split(dataset, [5, 4])


def test_data_loader_accepts_num_workers_and_pin_memory():
    loader = DataLoader(TensorDataset(np.arange(10)), batch_size=4, num_workers=2,
                        pin_memory=True, drop_last=True)
    assert [batch[0].tolist() for batch in loader] == [[0, 1, 2, 3], [4, 5, 6, 7]]
