"""Training curves, drawn with matplotlib when it is installed (the ``plot`` extra): one run's
or several runs' loss and accuracy per epoch, and the depth study's panels. Each function
returns the matplotlib Figure (a notebook shows it inline when it is a cell's value) and
writes it to a PNG file when given a path (the CLI's way); without matplotlib they return
None (falsy) and write nothing."""
from __future__ import annotations

from ._pyplot import finish, pyplot


def _pyplot():
    plt = pyplot()
    if plt is None:
        return None
    from matplotlib.ticker import MaxNLocator
    return plt, MaxNLocator


def plot_curves(runs: dict, path=None, title: str = "",
                accuracy_label: str = "validation accuracy (%)", accuracy_key: str = "val_accuracy",
                train_accuracy: bool = False):
    """``curves_figure(...)``, written to ``path`` when given; returns the Figure, or None
    (and no file) without matplotlib. In a notebook, ``plot_curves(runs)`` shows it inline."""
    if _pyplot() is None:
        return None
    figure = curves_figure(runs, title, accuracy_label, accuracy_key, train_accuracy)
    return finish(figure, path, dpi=120)


def curves_figure(runs: dict, title: str = "", accuracy_label: str = "validation accuracy (%)",
                  accuracy_key: str = "val_accuracy", train_accuracy: bool = False):
    """Loss and accuracy per epoch, one line per run, as a matplotlib Figure. ``runs`` maps a
    label to a history (records with ``epoch``, ``train_loss``, ``val_loss`` and
    ``accuracy_key``); a single run also shows its validation loss, and with
    ``train_accuracy`` its training accuracy next to ``accuracy_key``'s. The figure is
    detached from pyplot, so a notebook draws it once, as the cell's value."""
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
    return finish(figure)


def plot_depths(results, path=None):
    """One panel of training-loss curves per depth, then test error against depth per
    optimizer (log scale: 2% and 80% on one axis), or over the epochs for a single depth.
    Returns the Figure (written to ``path`` when given), or None without matplotlib."""
    plt = pyplot()
    if plt is None:
        return None
    depths = sorted({len(r["hidden"]) for r in results.values()})
    names = list(dict.fromkeys(r["optimizer"] for r in results.values()))
    colors = {name: f"C{i}" for i, name in enumerate(names)}
    columns = min(3, len(depths) + 1)
    rows = -(-(len(depths) + 1) // columns)
    figure, axes = plt.subplots(rows, columns, figsize=(3.6 * columns, 3.2 * rows),
                                squeeze=False)
    panels = list(axes.flat)
    for axis, depth in zip(panels, depths):
        for result in results.values():
            if len(result["hidden"]) == depth and result["history"]:
                axis.plot([r["epoch"] for r in result["history"]],
                          [r["train_loss"] for r in result["history"]],
                          color=colors[result["optimizer"]], label=result["optimizer"])
        axis.set(title=f"{depth} hidden layer{'s' if depth > 1 else ''}", xlabel="epoch",
                 ylabel="training loss", yscale="log")
    error = panels[len(depths)]
    for name in names:
        runs = [r for r in results.values() if r["optimizer"] == name and r["history"]]
        if len(depths) == 1:
            for r in runs:
                key = "val_accuracy" if r["history"][0]["val_accuracy"] is not None else \
                    "train_accuracy"
                error.plot([h["epoch"] for h in r["history"]],
                           [100 * (1 - h[key]) for h in r["history"]],
                           color=colors[name], label=name)
            continue
        points = [(len(r["hidden"]), 100 * (1 - r["test_accuracy"]))
                  for r in runs if not r["diverged_at_epoch"]]
        if points:
            error.plot(*zip(*points), "o-", color=colors[name], label=name)
    error.set(title="validation error" if len(depths) == 1 else "test error (not diverged)",
              xlabel="epoch" if len(depths) == 1 else "hidden layers", ylabel="%", yscale="log")
    if len(depths) > 1:
        error.set_xticks(depths)
    error.legend(fontsize=8)
    for axis in panels[len(depths) + 1:]:
        axis.set_visible(False)
    figure.tight_layout()
    return finish(figure, path, dpi=110)
