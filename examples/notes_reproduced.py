"""Every optimizer claim of the notes minigrad follows, as a number (beside the formula that
predicts it, where there is one) and a figure. docs/notes-reproduced.md shows the results.

    python examples/notes_reproduced.py --quick            # everything, small, < 2 minutes
    python examples/notes_reproduced.py --out docs/notes   # the documented figures (long)
    python examples/notes_reproduced.py --only momentum,adam

Sections: depths, schedule (MNIST through ``minigrad compare``'s code), momentum, nesterov,
adagrad, adam, decays (small problems), lbfgs, batchnorm, scaling (MNIST). The numbers are
also written to OUT/numbers.json.
"""
import argparse
import json
import os

import numpy as np

import notes_mnist
import notes_toys
from minigrad.recipes.depth_study import compare_depths

SECTIONS = ("depths", "schedule", "momentum", "nesterov", "adagrad", "adam", "decays",
            "lbfgs", "batchnorm", "scaling")
# (quick, full) sizes; the full ones are what docs/notes-reproduced.md shows
SIZES = {
    "depths": ({"subset": 2000, "epochs": 2, "depths": (1, 2, 5)},
               {"subset": None, "epochs": 10, "depths": (1, 2, 3, 4, 5)}),
    "schedule": ({"subset": 2000, "epochs": 12, "milestones": [6, 9]},
                 {"subset": None, "epochs": 40, "milestones": [20, 30]}),
    "lbfgs": ({"count": 2000, "epochs": 10}, {"count": 10000, "epochs": 50}),
    "batchnorm": ({"count": 2000, "epochs": 1}, {"count": 60000, "epochs": 3}),
    "scaling": ({"count": 2000, "epochs": 2}, {"count": 10000, "epochs": 10}),
    "momentum": ({"noise_steps": 4000}, {"noise_steps": 20000}),
}
DEPTH_OPTIMIZERS = ["sgd", "momentum", "nesterov", "rmsprop", "adam"]
SCHEDULE_LRS = {"sgd": 1.0, "momentum": 0.1, "adam": 0.01}


def mnist_config(size, seed=0):
    return {"model": "mlp", "epochs": size["epochs"], "batch_size": 128, "seed": seed,
            "dataset": "mnist", "subset": size["subset"], "data_root": None,
            "val_size": 0}  # the whole training set: nothing is chosen, the test set is seen once


def depths(size, out):
    """SGD (lr 1.0), momentum, Nesterov, RMSProp and Adam at 1..5 hidden layers of 128."""
    results, table, _ = compare_depths(DEPTH_OPTIMIZERS, [(128,) * d for d in size["depths"]],
                                       mnist_config(size), os.path.join(out, "depths"),
                                       lrs={"sgd": 1.0}, log=None)
    print(table)
    return {key: {"diverged_at_epoch": r["diverged_at_epoch"],
                  "test_accuracy": r["test_accuracy"]}
            for key, r in results.items()}


def schedule(size, out):
    """The lr halves at two milestones: how much the training loss falls in the epoch just
    before each cut and in the epoch just after it. A narrow network (784-32-10) at large
    learning rates, so that the loss levels off at the noise of the steps, not at zero."""
    options = {"name": "multistep", "milestones": size["milestones"], "gamma": 0.5}
    results, table, _ = compare_depths(["sgd", "momentum", "adam"], [(32,)], mnist_config(size),
                                       os.path.join(out, "schedule"), lrs=SCHEDULE_LRS,
                                       schedule=options, log=None)
    print(table)
    numbers = {}
    for key, result in results.items():
        losses = [r["train_loss"] for r in result["history"]]
        for m in size["milestones"]:  # epochs are 1-based: the cut is between epoch m and m + 1
            before, after = losses[m - 2] - losses[m - 1], losses[m - 1] - losses[m]
            numbers[f"{key} cut after epoch {m}"] = {"fall_before": before, "fall_after": after}
            ratio = f" ({after / before:.1f}x)" if before > 0 else " (it rose before the cut)"
            print(f"{key:11s} cut after epoch {m}: loss falls {before:.4f} in the epoch before, "
                  f"{after:.4f} in the epoch after{ratio}")
    return numbers


def momentum(size, out, plt):
    measured, predicted = notes_toys.momentum_speedup()
    noise_gain, noise_predicted = notes_toys.momentum_noise(steps=size["noise_steps"])
    ravine = notes_toys.ravine()
    print(f"steady slope: the step is {measured[-1]:.3f}x SGD's after 100 steps (formula "
          f"(1 - 0.9^t) / (1 - 0.9) = {predicted[-1]:.3f}; limit 10)")
    print(f"noisy slope (noise std = signal), {size['noise_steps']} steps: momentum's step has "
          f"{noise_gain:.2f}x SGD's "
          f"signal-to-noise ratio (formula sqrt((1 + mu) / (1 - mu)) = {noise_predicted:.2f})")
    print(f"ravine: SGD reverses its y-step in {100 * ravine['sgd_reversals']:.0f}% of steps "
          f"(1 - lr h = {ravine['predicted_sgd_factor']:.2f}), momentum in "
          f"{100 * ravine['momentum_reversals']:.0f}% (theta / pi = "
          f"{100 * ravine['predicted_momentum_reversals']:.1f}%); distance to the minimum "
          f"after 100 steps {ravine['sgd_distance']:.4f} vs {ravine['momentum_distance']:.4f}")
    if plt:
        figure, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
        left.plot(np.arange(1, len(measured) + 1), measured, label="measured step / (lr g)")
        left.plot(np.arange(1, len(predicted) + 1), predicted, "k:", label="(1 - mu^t) / (1 - mu)")
        left.set(xlabel="step", title="Momentum 0.9 on a steady slope")
        left.legend()
        for name in ("sgd", "momentum"):
            right.plot(*ravine[name].T, ".-", markersize=3, linewidth=0.8, label=name)
        right.set(title="Ravine 0.5x^2 + 25y^2 (100 steps)", xlabel="x", ylabel="y")
        right.legend()
        save(figure, out, "momentum.png", plt)
    return {"speedup_after_100": measured[-1], "speedup_formula": predicted[-1],
            "noise_gain": noise_gain, "noise_gain_formula": noise_predicted,
            **{k: v for k, v in ravine.items() if k not in ("sgd", "momentum")}}


def nesterov(size, out, plt):
    forms = notes_toys.nesterov_two_forms()
    print(f"Nesterov on Rosenbrock, 300 steps: PyTorch's stored look-ahead p and theta + mu v "
          f"of the look-ahead form differ by at most {forms['max_gap_after_shift']:.1e}; p and "
          f"theta themselves by up to {forms['max_shift']:.3f} (the look-ahead shift)")
    if plt:
        figure, axis = plt.subplots(figsize=(6, 4.5))
        axis.plot(*forms["lookahead"].T, "-", label="gradient at the look-ahead (theta)")
        axis.plot(*forms["pytorch"].T, "--", label="PyTorch form (stored p = theta + mu v)")
        axis.set(title="Nesterov's two forms on Rosenbrock's valley", xlabel="x", ylabel="y")
        axis.legend(fontsize=8)
        save(figure, out, "nesterov.png", plt)
    return {k: forms[k] for k in ("max_gap_after_shift", "max_shift")}


def adagrad(size, out, plt):
    result = notes_toys.adagrad_vs_rmsprop()
    sizes = result["step_sizes"]
    escaped = {name: "not within 3000 steps" if step is None else f"at step {step}"
               for name, step in result["escape_step"].items()}
    print(f"tilted saddle, lr 0.05 for both: AdaGrad's step size falls monotonically from "
          f"{sizes['AdaGrad'][0]:.4f} to {sizes['AdaGrad'][-1]:.5f}; it escapes the saddle "
          f"{escaped['AdaGrad']}; RMSProp's step size grows back and it escapes "
          f"{escaped['RMSProp']}")
    ends = {name: end.round(4).tolist() for name, end in result["axis_aligned_end"].items()}
    print(f"axis-aligned saddle (no history in the escape direction): both escape; ends {ends}")
    if plt:
        figure, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
        for name, path in result["paths"].items():
            left.plot(np.abs(path[:, 0] - path[:, 1]) / np.sqrt(2), label=name)
            right.plot(sizes[name], label=name)
        left.set(xlabel="step", ylabel="|w| (distance from the saddle's ridge)", yscale="log",
                 title="Leaving a tilted saddle, lr 0.05")
        right.set(xlabel="step", ylabel="lr / sqrt(accumulated g^2)", yscale="log",
                  ylim=(1e-4, 1e2), title="Per-coordinate step size")
        left.legend()
        save(figure, out, "adagrad_rmsprop.png", plt)
    return {"escape_step": result["escape_step"], "axis_aligned_end": ends,
            "adagrad_step_size_first_last": [sizes["AdaGrad"][0], sizes["AdaGrad"][-1]]}


def adam(size, out, plt):
    steps = notes_toys.adam_first_steps()
    uncorrected, corrected = steps["uncorrected"] / 1e-3, steps["corrected"] / 1e-3
    peak = int(np.argmax(uncorrected))
    print(f"Adam, constant gradient 0.01, lr 1e-3: first step {steps['minigrad'][0]:.6f} "
          f"(minigrad) = {corrected[0]:.4f} lr with bias correction, {uncorrected[0]:.4f} lr "
          f"without (formula (1 - beta1) / sqrt(1 - beta2) = 3.1623); uncorrected steps peak at "
          f"{uncorrected[peak]:.2f} lr at step {peak + 1}, still {uncorrected[999]:.2f} lr at "
          f"step 1000")
    if plt:
        figure, axis = plt.subplots(figsize=(6, 4))
        axis.plot(np.arange(1, len(corrected) + 1), corrected, label="with bias correction")
        axis.plot(np.arange(1, len(uncorrected) + 1), uncorrected, label="without")
        axis.set(xscale="log", xlabel="step", ylabel="step / lr", title="Adam's first steps")
        axis.legend()
        save(figure, out, "adam_first_steps.png", plt)
    return {"first_step_corrected": corrected[0], "first_step_uncorrected": uncorrected[0],
            "uncorrected_peak": uncorrected[peak], "uncorrected_peak_step": peak + 1,
            "minigrad_first_step": steps["minigrad"][0]}


def decays(size, out, plt):
    values = notes_toys.three_decays()
    print("epoch  " + "  ".join(f"{name:>11s}" for name in values))
    for epoch in (0, 5, 10, 20, 30, 49):
        print(f"{epoch:5d}  " + "  ".join(f"{v[epoch]:11.5f}" for v in values.values()))
    if plt:
        figure, axis = plt.subplots(figsize=(6, 4))
        for name, lrs in values.items():
            axis.plot(lrs, drawstyle="steps-post" if name == "step" else "default", label=name)
        axis.set(xlabel="epoch", ylabel="learning rate", title="Three decays, lr0 = 0.1, k = 0.1")
        axis.legend()
        save(figure, out, "decays.png", plt)
    return {name: lrs[[0, 10, 20, 49]].tolist() for name, lrs in values.items()}


def lbfgs(size, out, plt):
    results = notes_mnist.lbfgs_full_vs_minibatch(size["count"], size["epochs"])
    numbers = {}
    for name, result in results.items():
        work, loss = result["curve"][-1]
        numbers[name] = {"epochs_of_work": work, "train_loss": loss,
                         "test_accuracy": result["test_accuracy"]}
        print(f"{name:21s} after {work:5.1f} epochs of gradients: training loss {loss:.4f}, "
              f"test accuracy {100 * result['test_accuracy']:.2f}%")
    if plt:
        figure, axis = plt.subplots(figsize=(6, 4))
        for name, result in results.items():
            axis.plot(*result["curve"].T, label=name)
        axis.set(xlabel="gradient evaluations (epochs)", ylabel="training loss (whole set)",
                 yscale="log", title=f"Softmax regression, {size['count']} MNIST images")
        axis.legend()
        save(figure, out, "lbfgs.png", plt)
    return numbers


def batchnorm(size, out, plt):
    numbers = notes_mnist.batchnorm_modes(size["count"], size["epochs"])
    print(f"one image's logits move by up to {numbers['batch_dependence_train']:.4f} when its "
          f"batch-mates change in training mode, {numbers['batch_dependence_eval']:.4f} in "
          f"eval mode")
    print(f"test accuracy: eval mode {100 * numbers['accuracy_eval']:.2f}%; training mode "
          f"(batch statistics) {100 * numbers['accuracy_train_mode_batch1000']:.2f}% in batches "
          f"of 1000, {100 * numbers['accuracy_train_mode_batch8']:.2f}% in batches of 8")
    return numbers


def scaling(size, out, plt):
    results = notes_mnist.feature_scaling(size["count"], size["epochs"])
    for name, best in results.items():
        print(f"{name:15s} best lr {best['lr']:g}: training loss "
              + " ".join(f"{v:.3f}" for v in best["losses"])
              + f"; test accuracy {100 * best['test_accuracy']:.2f}%")
    if plt:
        figure, axis = plt.subplots(figsize=(6, 4))
        for name, best in results.items():
            axis.plot(best["losses"], "o-", label=f"{name} (lr {best['lr']:g})")
        axis.set(xlabel="epoch", ylabel="training loss", yscale="log",
                 title="Plain SGD, softmax regression, best lr of each")
        axis.legend()
        save(figure, out, "feature_scaling.png", plt)
    return {name: {"lr": b["lr"], "losses": b["losses"], "test_accuracy": b["test_accuracy"]}
            for name, b in results.items()}


def save(figure, out, name, plt):
    figure.tight_layout()
    figure.savefig(os.path.join(out, name), dpi=100)
    plt.close(figure)
    print(f"wrote {os.path.join(out, name)}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes: under two minutes")
    parser.add_argument("--out", default="runs/notes", help="folder for figures and numbers")
    parser.add_argument("--only", default=",".join(SECTIONS),
                        help=f"comma-separated sections (default: all of {','.join(SECTIONS)})")
    args = parser.parse_args()
    chosen = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = [s for s in chosen if s not in SECTIONS]
    if unknown:
        parser.error(f"unknown section(s) {', '.join(unknown)}; choose from {', '.join(SECTIONS)}")
    os.makedirs(args.out, exist_ok=True)
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        plt = None
        print("(install matplotlib for the figures)")
    numbers = {}
    for section in chosen:
        print(f"\n== {section}")
        size = SIZES.get(section, ({}, {}))[0 if args.quick else 1]
        run = globals()[section]
        numbers[section] = run(size, args.out) if section in ("depths", "schedule") \
            else run(size, args.out, plt)
    path = os.path.join(args.out, "numbers.json")
    previous = json.load(open(path)) if os.path.exists(path) else {}
    with open(path, "w") as handle:  # sections run earlier with --only keep their numbers
        json.dump({**previous, **numbers}, handle, indent=1, default=float)
    print(f"\nwrote {path}")


if __name__ == "__main__":
    main()
