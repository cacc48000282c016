"""pytest configuration shared by the unit tests and the nbval run of the notebooks."""
import os

# Stored outputs and every test use the smoke profile; set before any kernel starts.
os.environ.setdefault("COURSE_PROFILE", "smoke")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def pytest_collectstart(collector):
    """nbval: never compare stderr.

    TensorFlow writes C-level log lines (absl, oneDNN, CUDA stubs) to stderr before its
    logging is configured; whether a kernel captures them depends on how it was started,
    so stderr is noise for regression purposes. Every other output is compared.
    """
    if collector.fspath and collector.fspath.ext == ".ipynb" and hasattr(collector, "skip_compare"):
        collector.skip_compare = tuple(collector.skip_compare) + ("stderr",)
