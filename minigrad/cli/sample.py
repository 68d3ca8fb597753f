"""``minigrad sample``: new text from a language model's checkpoint (``minigrad train
--dataset names``): names one per line, or passages of a text. The sampling itself is
``recipes.language_models.sample_checkpoint``."""
from ..recipes.language_models import sample_checkpoint
from .arguments import non_negative_int, positive_float, positive_int


def add_sample_arguments(parser):
    parser.add_argument("--checkpoint", required=True, help="a checkpoint of a language-model run")
    parser.add_argument("-n", "--num-samples", type=positive_int, default=20,
                        help="how many samples (default: 20)")
    parser.add_argument("--temperature", type=positive_float, default=1.0,
                        help="divide the logits by this: below 1 is more conservative, above "
                             "1 more adventurous (default: 1.0)")
    parser.add_argument("--top-k", type=positive_int, default=None,
                        help="sample only among the K most likely characters (default: all)")
    parser.add_argument("--seed", type=non_negative_int, default=0,
                        help="random seed of the sampling (default: 0)")
    parser.add_argument("--length", type=positive_int, default=None,
                        help="characters to generate for a text (default: 200; names end "
                             "by themselves)")


def run_sample(args) -> int:
    samples = sample_checkpoint(args.checkpoint, args.num_samples, args.temperature,
                                args.top_k, args.seed, args.length)
    print("\n".join(samples) if "\n" not in "".join(samples) else "\n\n".join(samples))
    return 0
