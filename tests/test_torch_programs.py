"""PyTorch programs run unchanged through `minigrad run` (tests/torch_programs/*.py).

Each program asserts its own results (shapes, dtypes, a fitted curve, an accuracy) and ends by
printing "... OK"; here it is run as a user would, in a fresh process."""
import importlib.util
import os
import subprocess
import sys

import pytest

PROGRAMS = os.path.join(os.path.dirname(__file__), "torch_programs")


def minigrad_run(script, *args, cwd=None):
    # The repository first on the path, so the CLI under test is this checkout's.
    env = {**os.environ, "PYTHONPATH": os.path.dirname(os.path.dirname(os.path.abspath(__file__)))}
    return subprocess.run([sys.executable, "-m", "minigrad", "run", str(script), *args],
                          capture_output=True, text=True, cwd=cwd, env=env, timeout=600)


def run(program, *args, cwd=None):
    return minigrad_run(os.path.join(PROGRAMS, program), *args, cwd=cwd)


def mnist_available():
    from minigrad.data import MNIST
    try:
        MNIST(train=False, download=False)
        return True
    except FileNotFoundError:
        return False


@pytest.mark.parametrize("program", ["tensor_tutorial.py", "polynomial_autograd.py",
                                     "custom_function.py", "nn_optim.py", "regression.py",
                                     "no_real_torch.py", "containers_and_buffers.py",
                                     "distillation_losses.py", "linalg_least_squares.py",
                                     "conv_autoencoder.py", "d2l_style.py", "subclassed_linear.py"])
def test_program_runs_to_the_end(program):
    result = run(program)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    assert result.stdout.rstrip().endswith("OK")


@pytest.mark.skipif(not mnist_available(), reason="MNIST is not available here")
def test_mnist_cnn_with_torchvision_datasets_and_transforms(tmp_path):
    result = run("mnist_cnn.py", "--epochs", "2", "--train-size", "3000", "--min-accuracy", "0.8",
                 "--save-model", cwd=tmp_path)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    assert (tmp_path / "mnist_cnn.pt").exists()


@pytest.mark.skipif(not mnist_available(), reason="MNIST is not available here")
def test_quickstart_saves_and_loads_a_state_dict(tmp_path):
    result = run("save_load.py", str(tmp_path / "data"), cwd=tmp_path)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    assert (tmp_path / "model.pth").exists()


@pytest.mark.skipif(not mnist_available(), reason="MNIST is not available here")
def test_a_dataset_cut_by_assigning_data_and_targets_trains_a_cnn(tmp_path):
    result = run("mnist_subset_adaptive.py", str(tmp_path / "data"), cwd=tmp_path)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    assert "classes: [0, 1, 2, 3, 4]" in result.stdout


def test_a_loop_logs_to_tensorboard_and_reads_it_back(tmp_path):
    if importlib.util.find_spec("tensorboardX") is None:  # looked up: importing loads torch
        pytest.skip("the tensorboard extra (tensorboardX) is not installed")
    result = run("tensorboard_logging.py", str(tmp_path / "runs"), cwd=tmp_path)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    assert list((tmp_path / "runs").glob("events.out.tfevents.*"))


NAMES = os.path.join(os.environ.get("MINIGRAD_DATA", ""), "names", "names.txt")


@pytest.mark.skipif(not os.path.isfile(NAMES), reason="the names corpus is not available here")
def test_makemore_with_generator_multinomial_one_hot_and_embedding():
    result = run("makemore_ops.py", NAMES)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    assert result.stdout.rstrip().endswith("OK")


@pytest.mark.skipif(not os.path.isfile(NAMES), reason="the names corpus is not available here")
def test_char_level_gru_lstm_and_transformer_train_and_sample():
    result = run("char_sequence_models.py", NAMES)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    assert result.stdout.rstrip().endswith("OK")


# Language models written for PyTorch. Each asserts the validation loss it reaches; the bound
# is about 0.12 above what both PyTorch and minigrad reach (measured on this machine).
@pytest.mark.skipif(not os.path.isfile(NAMES), reason="the names corpus is not available here")
@pytest.mark.parametrize("program", ["lm_embedding_mlp.py", "lm_gru.py", "lm_gpt.py"])
def test_language_model_programs_reach_pytorchs_loss(program):
    result = run(program, NAMES)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    assert result.stdout.rstrip().endswith("language model OK")
    assert "samples: " in result.stdout


def test_minigrad_run_never_imports_real_torch():
    result = run("no_real_torch.py")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "real torch modules loaded: []" in result.stdout
    assert "torch.jit is not supported by minigrad" in result.stdout
    assert "torch.distributed is not supported by minigrad" in result.stdout


def test_script_arguments_and_exit_code_pass_through(tmp_path):
    script = tmp_path / "script.py"
    script.write_text("import sys, torch\nprint(sys.argv[1:])\nsys.exit(3)\n")
    result = minigrad_run(script, "--lr", "1")
    assert result.returncode == 3 and result.stdout.strip() == "['--lr', '1']"


def test_an_unsupported_name_says_so_and_shows_the_scripts_line(tmp_path):
    script = tmp_path / "script.py"
    script.write_text("import torch\n\nscripted = torch.jit.script(lambda x: x)\n")
    result = minigrad_run(script)
    assert result.returncode == 1
    assert "torch.jit is not supported by minigrad (out of its scope: TorchScript)" \
        in result.stderr
    assert "line 3" in result.stderr


def test_a_missing_tensor_method_says_so_like_a_missing_module_name(tmp_path):
    script = tmp_path / "script.py"
    script.write_text("import torch\n\nx = torch.zeros(3)\nx.igamma_(x)\n")
    result = minigrad_run(script)
    assert result.returncode == 1
    assert result.stderr.rstrip().endswith(
        "AttributeError: torch.Tensor.igamma_ is not supported by minigrad")
    assert "line 4" in result.stderr


def test_a_data_set_that_cannot_be_downloaded_is_a_one_line_error(tmp_path):
    # No files and no network (the mirrors point at a closed port), download=True passed.
    script = tmp_path / "script.py"
    script.write_text("from torchvision import datasets\n"
                      "import minigrad.data.mnist\n"
                      "minigrad.data.mnist.MNIST.mirrors = ['http://127.0.0.1:9/']\n"
                      "datasets.MNIST('data', train=True, download=True)\n")
    env_data = tmp_path / "nothing"
    result = subprocess.run([sys.executable, "-m", "minigrad", "run", str(script)],
                            capture_output=True, text=True, cwd=tmp_path, timeout=600,
                            env={**os.environ, "MINIGRAD_DATA": str(env_data), "PYTHONPATH":
                                 os.path.dirname(os.path.dirname(os.path.abspath(__file__)))})
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("minigrad run: error: Dataset not found: "
                                                   "MNIST: train-images-idx3-ubyte.gz")
    assert "download=True could not fetch it (http://127.0.0.1:9/" in lines[0]
    assert "MINIGRAD_DATA" in lines[0] and "Use download=True" not in lines[0]


def test_a_missing_script_is_a_one_line_error(tmp_path):
    result = minigrad_run(tmp_path / "nope.py")
    assert result.returncode != 0 and "nope.py: no such file" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.skipif(not mnist_available(), reason="MNIST is not available here")
def test_a_small_vae_trains(tmp_path):
    result = run("vae.py", cwd=tmp_path)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
