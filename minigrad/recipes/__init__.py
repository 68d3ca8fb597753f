"""``minigrad.recipes``: the lab. The recipes behind the command line, one module per job, built
on the library (``import minigrad``) and never imported by it, as PyTorch's own recipes live
in torchvision/references and pytorch/examples, and nanoGPT's train.py beside its model.py:

    choices.py        data sets, optimizers and schedules by name; loading and splitting data
    config.py         a run's configuration: defaults, what was asked, resume and its conflicts
    trainer.py        the training loop: epochs, evaluation, history, checkpoints, exact resume
    run.py            one training run on a data set (``minigrad train``), and evaluation
    compare.py        the optimizer comparison (``minigrad compare``)
    depth_study.py    the comparison across depths, rates and schedules (``compare --depth``)
    toy_nets.py       small MLPs on 2-D toy sets (``minigrad train --dataset moons``)
    gradient_checks.py  every layer's gradient check, and a student's own (``minigrad gradcheck``)
    exercises/        the gradient-check course: skeletons, the check and its diagnosis, hints,
                      solutions, the status (``minigrad exercises``)

Each is a plain function or two, reusable from scripts and notebooks.
"""
