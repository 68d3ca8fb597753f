"""Training curves as PNG files, drawn with matplotlib when it is installed (the ``plot``
extra). Every function returns False, and writes nothing, without matplotlib."""
from __future__ import annotations


def _pyplot():
    try:
        import matplotlib
    except ImportError:
        return None
    matplotlib.use("Agg")  # files only: no window, no display needed
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator
    return plt, MaxNLocator


def plot_curves(runs: dict, path, title: str, accuracy_label: str = "validation accuracy (%)",
                accuracy_key: str = "val_accuracy", train_accuracy: bool = False) -> bool:
    """Write ``curves_figure(...)`` to ``path``; False (and no file) without matplotlib."""
    found = _pyplot()
    if found is None:
        return False
    figure = curves_figure(runs, title, accuracy_label, accuracy_key, train_accuracy)
    figure.savefig(path, dpi=120)
    found[0].close(figure)
    return True


def curves_figure(runs: dict, title: str, accuracy_label: str = "validation accuracy (%)",
                  accuracy_key: str = "val_accuracy", train_accuracy: bool = False):
    """Loss and accuracy per epoch, one line per run, as a matplotlib Figure. ``runs`` maps a
    label to a history (records with ``epoch``, ``train_loss``, ``val_loss`` and
    ``accuracy_key``); a single run also shows its validation loss, and with
    ``train_accuracy`` its training accuracy next to ``accuracy_key``'s."""
    plt, MaxNLocator = _pyplot()
    figure, (loss_axis, accuracy_axis) = plt.subplots(1, 2, figsize=(11, 4))
    several = len(runs) > 1
    for label, history in runs.items():
        epochs = [r["epoch"] for r in history]
        loss_axis.plot(epochs, [r["train_loss"] for r in history], marker="o",
                       label=label if several else "training")
        if not several and any(r.get("val_loss") is not None for r in history):
            loss_axis.plot(epochs, [r.get("val_loss") for r in history], marker="o",
                           label="validation")
        accuracies = [None if r.get(accuracy_key) is None else 100 * r[accuracy_key]
                      for r in history]
        show_train = train_accuracy and not several
        if show_train:
            accuracy_axis.plot(epochs, [100 * r["train_accuracy"] for r in history], marker="o",
                               label="training")
        if any(a is not None for a in accuracies):
            accuracy_axis.plot(epochs, accuracies, marker="o",
                               label="validation" if show_train else label)
    loss_axis.set(xlabel="epoch", ylabel=f"{'training ' if several else ''}loss (log scale)",
                  yscale="log", title="Training loss" if several else "Loss")
    accuracy_axis.set(xlabel="epoch", ylabel=accuracy_label, title="Accuracy")
    for axis in (loss_axis, accuracy_axis):
        axis.xaxis.set_major_locator(MaxNLocator(integer=True))  # epochs are whole numbers
        axis.grid(alpha=0.3)
    loss_axis.legend()
    if several or train_accuracy:
        accuracy_axis.legend()
    figure.suptitle(title)
    figure.tight_layout()
    return figure
