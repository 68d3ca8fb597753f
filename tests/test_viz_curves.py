"""Training curves: whole epochs on the x-axes, a title, one line per run."""
import pytest

from minigrad.viz.curves import curves_figure, plot_curves

plt = pytest.importorskip("matplotlib.pyplot")


def history(epochs, scale=1.0):
    return [{"epoch": e, "train_loss": scale / e, "val_loss": scale / e + 0.1,
             "val_accuracy": 0.9 + 0.01 * e, "train_accuracy": 0.8} for e in range(1, epochs + 1)]


@pytest.mark.parametrize("epochs", [2, 3, 5, 7])
def test_the_x_axes_show_whole_epochs_and_the_figure_has_a_title(epochs):
    figure = curves_figure({"sgd": history(epochs), "adam": history(epochs, 2.0)}, "Optimizers")
    figure.canvas.draw()
    assert figure._suptitle.get_text() == "Optimizers"
    for axis in figure.axes:
        ticks = [t for t in axis.get_xticks() if axis.get_xlim()[0] <= t <= axis.get_xlim()[1]]
        assert ticks and all(float(t).is_integer() for t in ticks), ticks
        assert axis.get_xlabel() == "epoch"
    assert len(figure.axes[1].get_lines()) == 2  # one accuracy line per run
    plt.close(figure)


def test_a_single_run_shows_training_and_validation_loss(tmp_path):
    figure = curves_figure({"run": history(3)}, "mlp + adam on mnist")
    assert [line.get_label() for line in figure.axes[0].get_lines()] == ["training", "validation"]
    plt.close(figure)
    assert plot_curves({"run": history(3)}, tmp_path / "c.png", "t")
    assert (tmp_path / "c.png").read_bytes()[:4] == b"\x89PNG"


def test_a_single_run_can_show_training_and_validation_accuracy():
    # How toy training draws its curves.png: both accuracies, labelled, in percent.
    records = history(3)
    figure = curves_figure({"run": records}, "moons", accuracy_label="accuracy (%)",
                           train_accuracy=True)
    lines = figure.axes[1].get_lines()
    assert [line.get_label() for line in lines] == ["training", "validation"]
    assert list(lines[0].get_ydata()) == [100 * r["train_accuracy"] for r in records]
    assert list(lines[1].get_ydata()) == [100 * r["val_accuracy"] for r in records]
    plt.close(figure)


def test_without_a_path_plot_curves_returns_the_figure_for_a_notebook(tmp_path):
    before = set(plt.get_fignums())
    figure = plot_curves({"run": history(3)}, title="inline")
    assert figure._suptitle.get_text() == "inline" and len(figure.axes) == 2
    assert set(plt.get_fignums()) == before  # detached: the inline backend draws it once
    assert not list(tmp_path.iterdir())
