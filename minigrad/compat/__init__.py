"""Running PyTorch programs on minigrad.

``minigrad run script.py`` (see ``run.py``) installs an import hook (``importer.py``) for the
duration of the script: ``import torch``, ``torch.nn``, ``torch.nn.functional``,
``torch.optim``, ``torch.utils.data``, ``torchvision.datasets`` and ``torchvision.transforms``
then resolve to minigrad's modules, a real PyTorch installation is never touched, and a name
minigrad does not have fails with an error saying it is not supported by minigrad.
"""
