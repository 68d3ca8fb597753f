"""The toy data sets: shapes, dtypes, balance, seeding, and the exact geometry at noise 0.

Expected geometry comes from each set's defining formula, evaluated here in float64."""
import numpy as np
import pytest

import minigrad as mg
from minigrad.data import (make_blobs, make_circles, make_moons, make_sine, make_spirals,
                           make_xor)

CLASSIFIERS = [
    (make_moons, {}, 2),
    (make_circles, {"factor": 0.5}, 2),
    (make_blobs, {"centers": 4}, 4),
    (make_spirals, {"n_classes": 3}, 3),
    (make_xor, {}, 2),
]


@pytest.mark.parametrize("make, options, classes", CLASSIFIERS,
                         ids=[c[0].__name__ for c in CLASSIFIERS])
def test_shapes_dtypes_and_class_balance(make, options, classes):
    X, y = make(101, **options, seed=0)
    assert isinstance(X, mg.Tensor) and isinstance(y, mg.Tensor)
    assert X.shape == (101, 2) and X.dtype == np.float32
    assert y.shape == (101,) and y.dtype == np.int64
    counts = np.bincount(y.array, minlength=classes)
    assert len(counts) == classes and counts.sum() == 101
    assert counts.max() - counts.min() <= 1  # as equal as 101 points allow
    assert np.isfinite(X.array).all()


@pytest.mark.parametrize("make, options, classes", CLASSIFIERS,
                         ids=[c[0].__name__ for c in CLASSIFIERS])
def test_a_seed_fixes_the_points_and_leaves_the_framework_stream_alone(make, options, classes):
    mg.manual_seed(5)
    state = mg.get_rng_state()
    first, again = make(60, **options, seed=3), make(60, **options, seed=3)
    other = make(60, **options, seed=4)
    assert mg.get_rng_state() == state  # an integer seed uses a generator of its own
    np.testing.assert_array_equal(first[0].array, again[0].array)
    np.testing.assert_array_equal(first[1].array, again[1].array)
    assert not np.array_equal(first[0].array, other[0].array)
    # seed=None draws from the framework's generator, so manual_seed fixes it
    mg.manual_seed(9)
    a = make(60, **options)
    mg.manual_seed(9)
    b = make(60, **options)
    np.testing.assert_array_equal(a[0].array, b[0].array)


def test_moons_and_circles_take_a_pair_of_counts_as_scikit_learn_does():
    for make in (make_moons, make_circles):
        X, y = make((30, 12), seed=0)
        assert X.shape == (42, 2) and np.bincount(y.array).tolist() == [30, 12]


def _angles(points):
    return np.sort(np.arctan2(points[:, 1], points[:, 0]) % (2 * np.pi))


def test_moons_without_noise_lie_evenly_on_their_arcs():
    X, y = make_moons(40, noise=0.0, seed=0)
    X = X.array.astype(np.float64)
    upper, lower = X[y.array == 0], X[y.array == 1]
    # class 0: (cos t, sin t); class 1: (1 - cos t, 1/2 - sin t), t evenly spaced in [0, pi]
    t = np.linspace(0, np.pi, 20)
    expected_upper = np.stack([np.cos(t), np.sin(t)], 1)
    expected_lower = np.stack([1 - np.cos(t), 0.5 - np.sin(t)], 1)
    for points, expected in ((upper, expected_upper), (lower, expected_lower)):
        order_got, order_expected = np.lexsort(points.T[::-1]), np.lexsort(expected.T[::-1])
        np.testing.assert_allclose(points[order_got], expected[order_expected], atol=1e-6)


def test_circles_without_noise_lie_evenly_on_both_circles():
    X, y = make_circles(60, noise=0.0, factor=0.3, seed=1)
    X = X.array.astype(np.float64)
    for label, radius in ((0, 1.0), (1, 0.3)):
        points = X[y.array == label]
        np.testing.assert_allclose(np.hypot(points[:, 0], points[:, 1]), radius, atol=1e-6)
        np.testing.assert_allclose(_angles(points), np.arange(30) * 2 * np.pi / 30, atol=1e-5)


def test_spirals_without_noise_follow_their_arms():
    X, y = make_spirals(90, n_classes=3, noise=0.0, seed=2)
    X = X.array.astype(np.float64)
    for k in range(3):
        points = X[y.array == k]
        radius = np.hypot(points[:, 0], points[:, 1])
        np.testing.assert_allclose(np.sort(radius), np.linspace(0, 1, 30), atol=1e-6)
        # x = r sin t, y = r cos t with t = 4k + 4r
        outside = radius > 0.05  # the angle of a point at the origin is undefined
        t = 4 * k + 4 * radius[outside]
        expected = np.stack([radius[outside] * np.sin(t), radius[outside] * np.cos(t)], 1)
        np.testing.assert_allclose(points[outside], expected, atol=1e-5)


def test_xor_labels_are_the_sign_disagreement_and_blobs_sit_on_their_centres():
    X, y = make_xor(200, noise=0.0, seed=3)
    X = X.array
    np.testing.assert_array_equal(y.array, (X[:, 0] * X[:, 1] < 0).astype(np.int64))
    assert np.abs(X).max() <= 1.0
    centers = np.array([[0.0, 0.0], [3.0, -1.0], [-2.0, 5.0]])
    X, y = make_blobs(30, centers=centers, std=0.0, seed=4)
    np.testing.assert_allclose(X.array, centers[y.array], atol=1e-6)
    X, y = make_blobs(3000, centers=centers, std=0.5, seed=4)
    spread = X.array.astype(np.float64) - centers[y.array]
    np.testing.assert_allclose(spread.std(0), 0.5, rtol=0.06)


def test_noise_is_gaussian_with_the_given_standard_deviation():
    X, y = make_circles(4000, noise=0.1, factor=0.5, seed=5)
    clean = np.where(y.array == 0, 1.0, 0.5)
    radius = np.hypot(*X.array.astype(np.float64).T)
    # Radial noise of a 2-D isotropic Gaussian is about its 1-D standard deviation here.
    assert abs((radius - clean).std() - 0.1) < 0.01
    x, target = make_sine(20000, noise=0.2, seed=6)
    assert x.shape == target.shape == (20000, 1) and x.dtype == target.dtype == np.float32
    residual = target.array.astype(np.float64) - np.sin(x.array.astype(np.float64))
    assert abs(residual.std() - 0.2) < 0.01 and abs(residual.mean()) < 0.01
    assert x.array.min() >= -np.pi and x.array.max() <= np.pi
    x, target = make_sine(50, noise=0.0, seed=6)
    np.testing.assert_allclose(target.array, np.sin(x.array.astype(np.float64)), atol=1e-6)


@pytest.mark.parametrize("call, message", [
    (lambda: make_moons(1), "n_samples"),
    (lambda: make_moons(10, noise=-0.1), "noise"),
    (lambda: make_moons((3, 4, 5)), "two counts"),
    (lambda: make_circles(10, factor=1.0), "factor"),
    (lambda: make_blobs(10, centers=np.zeros((3, 3))), r"shape \(k, 2\); got shape \(3, 3\)"),
    (lambda: make_blobs(10, centers=0), "centers"),
    (lambda: make_spirals(10, n_classes=0), "n_classes"),
    (lambda: make_xor(10, seed=-1), "seed"),
    (lambda: make_sine(2.5), "n_samples"),
])
def test_bad_arguments_are_named(call, message):
    with pytest.raises(ValueError, match=message):
        call()
