"""The geometric transforms on both kinds of image: uint8 H x W (x C) arrays (before
ToTensor) and C x H x W tensors (after), against NumPy's crops, flips and pads."""
import numpy as np
import pytest

import minigrad as mg
from minigrad.data import vision_transforms as T

rng = np.random.default_rng(29)
GREY = rng.integers(0, 256, (6, 8), dtype=np.uint8)
COLOUR = rng.integers(0, 256, (6, 8, 3), dtype=np.uint8)


def as_tensor(image):
    return T.ToTensor()(image)


def test_center_crop_pad_and_flips_on_arrays_and_tensors():
    np.testing.assert_array_equal(T.CenterCrop((4, 4))(GREY), GREY[1:5, 2:6])
    np.testing.assert_array_equal(T.CenterCrop(4)(COLOUR), COLOUR[1:5, 2:6])
    tensor = as_tensor(COLOUR)
    np.testing.assert_array_equal(T.CenterCrop(4)(tensor).numpy(), tensor.numpy()[:, 1:5, 2:6])
    assert T.CenterCrop(10)(GREY).shape == (10, 10)  # padded with zeros first
    np.testing.assert_array_equal(T.Pad((1, 2))(GREY), np.pad(GREY, [(2, 2), (1, 1)]))
    np.testing.assert_array_equal(T.Pad((1, 2, 3, 4), fill=7)(GREY),
                                  np.pad(GREY, [(2, 4), (1, 3)], constant_values=7))
    np.testing.assert_array_equal(T.Pad(2, padding_mode="reflect")(tensor).numpy(),
                                  np.pad(tensor.numpy(), [(0, 0), (2, 2), (2, 2)], "reflect"))
    np.testing.assert_array_equal(T.RandomHorizontalFlip(p=1.0)(COLOUR), COLOUR[:, ::-1])
    np.testing.assert_array_equal(T.RandomVerticalFlip(p=1.0)(tensor).numpy(),
                                  tensor.numpy()[:, ::-1])
    assert T.RandomHorizontalFlip(p=0.0)(GREY) is GREY


def test_random_crop_is_a_seeded_window_of_the_padded_image():
    mg.manual_seed(4)
    crops = [T.RandomCrop(6, padding=2)(GREY) for _ in range(30)]
    padded = np.pad(GREY, 2)
    windows = {(i, j) for i in range(5) for j in range(7)
               for crop in crops if np.array_equal(padded[i:i + 6, j:j + 6], crop)}
    assert len(windows) > 5  # many different windows, each a real one
    mg.manual_seed(4)
    np.testing.assert_array_equal(T.RandomCrop(6, padding=2)(GREY), crops[0])
    assert T.RandomCrop(10, pad_if_needed=True)(GREY).shape == (10, 10)
    with pytest.raises(ValueError, match=r"crop \(7, 9\) is larger than the image \(6, 8\)"):
        T.RandomCrop((7, 9))(GREY)


def bilinear_reference(image, out_h, out_w):
    """Half-pixel centres: source = (d + 0.5) in / out - 0.5, clamped at 0, then linear."""
    def weights(size_in, size_out):
        w = np.zeros((size_out, size_in))
        for d in range(size_out):
            s = max((d + 0.5) * size_in / size_out - 0.5, 0.0)
            low = min(int(np.floor(s)), size_in - 1)
            high = min(low + 1, size_in - 1)
            w[d, low] += 1 - (s - low)
            w[d, high] += s - low
        return w
    return weights(image.shape[0], out_h) @ image @ weights(image.shape[1], out_w).T


def test_resize_is_bilinear_and_keeps_the_aspect_ratio_for_an_int_size():
    floats = GREY.astype(np.float32)
    out = T.Resize((9, 5))(mg.tensor(floats[None]))
    np.testing.assert_allclose(out.numpy()[0], bilinear_reference(floats, 9, 5), rtol=1e-5)
    resized = T.Resize((9, 5))(GREY)
    assert resized.dtype == np.uint8
    np.testing.assert_array_equal(resized, np.clip(np.round(bilinear_reference(
        GREY.astype(np.float64), 9, 5)), 0, 255).astype(np.uint8))
    assert T.Resize(3)(GREY).shape == (3, 4) and T.Resize(3)(COLOUR).shape == (3, 4, 3)
    assert T.Resize(3)(as_tensor(COLOUR)).shape == (3, 3, 4)
    nearest = T.Resize((3, 4), interpolation="nearest")(GREY)
    np.testing.assert_array_equal(nearest, GREY[::2, ::2])
    with pytest.raises(ValueError, match="interpolation must be bilinear or nearest"):
        T.Resize(3, interpolation="bicubic")


def test_a_chain_with_random_transforms_is_applied_per_sample_by_the_loader():
    chain = T.Compose([T.RandomCrop(28, padding=2), T.RandomHorizontalFlip(), T.ToTensor()])
    assert not chain.batchable
    assert chain(rng.integers(0, 256, (28, 28), dtype=np.uint8)).shape == (1, 28, 28)
