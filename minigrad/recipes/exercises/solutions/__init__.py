"""The reference solutions, one module per exercise. Each is also the source of its skeleton:
``minigrad exercises start`` writes the file with every block between ``# BEGIN SOLUTION``
and ``# END SOLUTION`` replaced by ``raise NotImplementedError``."""
