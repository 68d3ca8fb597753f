"""``minigrad evaluate``: the test accuracy of a saved checkpoint."""


def add_evaluate_arguments(parser):
    parser.add_argument("--checkpoint", required=True,
                        help="a checkpoint written by minigrad train")
    parser.add_argument("--data-root", default=None,
                        help="data folder (default: $MINIGRAD_DATA, else ~/.cache/minigrad)")


def run_evaluate(args) -> int:
    from ..recipes.run import evaluate_checkpoint
    result = evaluate_checkpoint(args.checkpoint, args.data_root)
    epoch = f" (epoch {result.epoch})" if result.epoch is not None else ""
    print(f"{args.checkpoint}: {result.model} on the {result.dataset} test set "
          f"({result.images} images): accuracy {100 * result.accuracy:.2f}%, "
          f"loss {result.loss:.4f}{epoch}")
    return 0
