"""The classic lab: SGD, momentum, Nesterov, AdaGrad, RMSProp and Adam train the same MLP from
the same initial weights on the same batches; the table and (with matplotlib) the curves show
how they differ.

    python examples/compare_optimizers.py [--epochs 5] [--quick]
"""
import argparse

from minigrad.recipes import choices, compare

parser = argparse.ArgumentParser()
parser.add_argument("--epochs", type=int, default=5)
parser.add_argument("--quick", action="store_true", help="2000 images, 1 epoch")
parser.add_argument("--out", default="runs/compare")
args = parser.parse_args()

config = {"model": "mlp", "epochs": 1 if args.quick else args.epochs, "batch_size": 128,
          "seed": 0, "dataset": "mnist", "subset": 2000 if args.quick else None}
names = ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"]
for name in names:
    cls, lr, options = choices.OPTIMIZERS[name]
    print(f"{name:9s} {cls.__name__}(lr={lr}{''.join(f', {k}={v}' for k, v in options.items())})")
results, table = compare.compare(names, config, args.out, progress=False)
print(table)
print(f"curves: {args.out}/comparison.png (if matplotlib is installed)")
