"""``minigrad evaluate``: the test accuracy of a saved checkpoint."""
from .. import experiments, models


def add_evaluate_arguments(parser):
    parser.add_argument("--checkpoint", required=True,
                        help="a checkpoint written by minigrad train")
    parser.add_argument("--data-root", default=None,
                        help="data folder (default: $MINIGRAD_DATA, else ~/.cache/minigrad)")


def run_evaluate(args) -> int:
    from ..serialization import load
    from ..train import evaluate
    state = load(args.checkpoint)
    config = state.get("metadata", {}).get("config") if isinstance(state, dict) else None
    if not config or "model" not in state:
        raise ValueError(f"{args.checkpoint} is not a training checkpoint: it needs the model's "
                         "state and metadata.config naming the model and data set, as "
                         "minigrad train writes them")
    model = models.build(config["model"])
    model.load_state_dict(state["model"])
    test = experiments.load_split(config.get("dataset", "mnist"), False, args.data_root)
    from ..data import DataLoader
    loss, accuracy = evaluate(model, DataLoader(test, 1000))
    epoch = f" (epoch {state['epoch']})" if "epoch" in state else ""
    print(f"{args.checkpoint}: {config['model']} on the {config.get('dataset', 'mnist')} test "
          f"set ({len(test)} images): accuracy {100 * accuracy:.2f}%, loss {loss:.4f}{epoch}")
    return 0
