"""``minigrad evaluate``: the test accuracy of a saved checkpoint (for a language model, its
test loss per character)."""


def add_evaluate_arguments(parser):
    parser.add_argument("--checkpoint", required=True,
                        help="a checkpoint written by minigrad train")
    parser.add_argument("--data-root", default=None,
                        help="data folder (default: $MINIGRAD_DATA, else ~/.cache/minigrad)")


def run_evaluate(args) -> int:
    from ..recipes import language_models
    from ..recipes.run import evaluate_checkpoint
    if language_models.is_language_model_checkpoint(args.checkpoint):
        model, dataset, items, loss, accuracy, epoch = \
            language_models.evaluate_language_model(args.checkpoint, args.data_root)
        print(f"{args.checkpoint}: {model} on the {dataset} test split ({items} items): "
              f"loss {loss:.4f} nats per character, next-character accuracy "
              f"{100 * accuracy:.2f}% (epoch {epoch})")
        return 0
    result = evaluate_checkpoint(args.checkpoint, args.data_root)
    epoch = f" (epoch {result.epoch})" if result.epoch is not None else ""
    print(f"{args.checkpoint}: {result.model} on the {result.dataset} test set "
          f"({result.images} images): accuracy {100 * result.accuracy:.2f}%, "
          f"loss {result.loss:.4f}{epoch}")
    return 0
