"""Datasets, the DataLoader and transforms."""
import numpy as np
import pytest

import minigrad as mg
from minigrad.data import DataLoader, Dataset, Subset, TensorDataset
from minigrad.utils.data import default_collate
from minigrad.data import transforms as T


def test_batches_cover_the_data_in_order():
    x, y = np.arange(10 * 3).reshape(10, 3), np.arange(10)
    loader = DataLoader(TensorDataset(x, y), batch_size=4)
    batches = list(loader)
    assert len(loader) == 3 and [len(b[1]) for b in batches] == [4, 4, 2]
    assert all(isinstance(t, mg.Tensor) for b in batches for t in b)
    np.testing.assert_array_equal(np.concatenate([b[1].array for b in batches]), y)
    dropped = DataLoader(TensorDataset(x, y), batch_size=4, drop_last=True)
    assert len(dropped) == 2 and [len(b[1]) for b in dropped] == [4, 4]


def test_shuffling_is_a_seeded_permutation():
    data = TensorDataset(np.arange(100))
    mg.manual_seed(7)
    first = np.concatenate([b[0].array for b in DataLoader(data, 16, shuffle=True)])
    second_epoch = np.concatenate([b[0].array for b in DataLoader(data, 16, shuffle=True)])
    mg.manual_seed(7)
    again = np.concatenate([b[0].array for b in DataLoader(data, 16, shuffle=True)])
    assert sorted(first) == list(range(100)) and not np.array_equal(first, np.arange(100))
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first, second_epoch)
    own = DataLoader(data, 16, shuffle=True, generator=np.random.default_rng(1))
    np.testing.assert_array_equal(np.concatenate([b[0].array for b in own]),
                                  np.random.default_rng(1).permutation(100))


def test_batches_are_fetched_in_one_vectorised_call():
    class Counting(TensorDataset):
        single_calls = 0

        def __getitem__(self, index):
            Counting.single_calls += 1
            return super().__getitem__(index)

    list(DataLoader(Counting(np.zeros((50, 2)), np.zeros(50)), batch_size=10))
    assert Counting.single_calls == 0


def test_plain_datasets_are_collated_sample_by_sample():
    class Squares(Dataset):
        def __len__(self):
            return 5

        def __getitem__(self, i):
            return np.array([i, i * i]), i

    (x, y), _ = list(DataLoader(Squares(), batch_size=3))
    np.testing.assert_array_equal(x.array, [[0, 0], [1, 1], [2, 4]])
    np.testing.assert_array_equal(y.array, [0, 1, 2])


def test_subset_and_errors():
    data = Subset(TensorDataset(np.arange(10) * 10), [3, 5])
    assert len(data) == 2 and data[1][0] == 50
    with pytest.raises(ValueError, match="same length"):
        TensorDataset(np.zeros(3), np.zeros(4))
    with pytest.raises(ValueError, match="batch_size=0"):
        DataLoader(data, batch_size=0)


def test_transforms():
    pixels = np.array([[[0, 255], [51, 102]]], dtype=np.uint8)
    np.testing.assert_allclose(T.ToFloat()(pixels), pixels / 255.0, rtol=1e-6)
    tensor_like = T.ToTensor()(pixels)
    assert tensor_like.shape == (1, 1, 2, 2) and tensor_like.dtype == np.float32
    normalized = T.Compose([T.ToFloat(), T.Normalize(0.5, 0.25)])(pixels)
    np.testing.assert_allclose(normalized, (pixels / 255.0 - 0.5) / 0.25, rtol=1e-5)
    with pytest.raises(ValueError, match="positive std"):
        T.Normalize(0.0, 0.0)


def test_fitted_scalers_learn_on_train_and_apply_to_test():
    train = np.array([[0.0, 10.0, 5.0], [2.0, 30.0, 5.0]])
    test = np.array([[1.0, 20.0, 7.0]])
    minmax = T.MinMaxScaler().fit(train)
    np.testing.assert_allclose(minmax(test), [[0.5, 0.5, 2.0]])
    standard = T.StandardScaler().fit(train)
    np.testing.assert_allclose(standard(test), [[0.0, 0.0, 2.0]])
    np.testing.assert_allclose(standard.fit_transform(train), [[-1, -1, 0], [1, 1, 0]])
    with pytest.raises(RuntimeError, match="must be fit"):
        T.StandardScaler()(test)


def test_data_loader_and_random_split_shuffle_with_a_generator():
    data = mg.utils.data.TensorDataset(mg.arange(20))

    def order(global_seed):
        mg.manual_seed(global_seed)
        loader = mg.utils.data.DataLoader(data, batch_size=5, shuffle=True,
                                          generator=mg.Generator().manual_seed(9))
        return [batch[0].tolist() for batch in loader]
    assert order(0) == order(1)
    # the order is the generator's permutation, as randperm draws it
    expected = mg.randperm(20, generator=mg.Generator().manual_seed(9)).tolist()
    assert sum(order(0), []) == expected and sorted(expected) == list(range(20))
    with pytest.raises(TypeError, match="minigrad.Generator"):
        next(iter(mg.utils.data.DataLoader(data, shuffle=True, generator="seed 9")))
    split = [list(s.indices) for s in mg.utils.data.random_split(
        data, [0.5, 0.5], generator=mg.Generator().manual_seed(4))]
    assert split == [list(s.indices) for s in mg.utils.data.random_split(
        data, [10, 10], generator=mg.Generator().manual_seed(4))]
def test_collate_fn_receives_the_list_of_samples():
    dataset = TensorDataset(np.arange(10.0).reshape(5, 2), np.arange(5))
    seen = []

    def pad_and_count(samples):
        seen.append(len(samples))
        features, labels = default_collate(samples)
        return features * 2, labels
    batches = list(DataLoader(dataset, batch_size=2, collate_fn=pad_and_count))
    assert seen == [2, 2, 1] and batches[0][0].tolist() == [[0.0, 2.0], [4.0, 6.0]]
    assert [b[1].tolist() for b in batches] == [[0, 1], [2, 3], [4]]
    # A collate_fn may return anything: here the raw list.
    raw = next(iter(DataLoader(dataset, batch_size=3, collate_fn=lambda samples: samples)))
    assert isinstance(raw, list) and len(raw) == 3 and raw[2][1].item() == 2


def test_batch_sampler_and_unbatched_loading_follow_pytorch():
    dataset = TensorDataset(np.arange(6))
    loader = DataLoader(dataset, batch_sampler=[[5, 0], [1, 2, 3]])
    assert len(loader) == 2 and [b[0].tolist() for b in loader] == [[5, 0], [1, 2, 3]]
    samples = list(DataLoader(dataset, batch_size=None))
    assert len(samples) == 6 and samples[4][0].item() == 4
    with pytest.raises(ValueError, match="batch_sampler option is mutually exclusive"):
        DataLoader(dataset, batch_size=2, batch_sampler=[[0]])
    with pytest.raises(TypeError, match="collate_fn must be callable; got int"):
        DataLoader(dataset, collate_fn=3)


def test_every_pytorch_argument_is_accepted_by_position_and_keyword():
    # PyTorch's order: dataset, batch_size, shuffle, sampler, batch_sampler, num_workers,
    # collate_fn, pin_memory, drop_last, timeout, worker_init_fn, multiprocessing_context,
    # generator; the rest keyword-only.
    loader = DataLoader(TensorDataset(np.arange(5)), 2, False, None, None, 0, None, False, True,
                        0, None, None, None, prefetch_factor=None, persistent_workers=False,
                        pin_memory_device="", in_order=True)
    assert [b[0].tolist() for b in loader] == [[0, 1], [2, 3]]
