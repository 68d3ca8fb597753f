"""``python -m benchmarks [--threads 2] [--quick] [--json FILE]``.

BLAS threads must be fixed before NumPy is first imported, so this reads --threads first."""
import os
import sys

threads = "2"
if "--threads" in sys.argv:
    threads = sys.argv[sys.argv.index("--threads") + 1]
for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[variable] = threads

from benchmarks.run import main  # noqa: E402

sys.exit(main())
