import gc
import threading

from feedback_nlp.classifiers import runtime
from feedback_nlp.classifiers.runtime import batch_settings


def _blas_threads():
    return [lib.num_threads for lib in runtime._blas_controllers()]


def test_runtime_batch_settings_restore_and_nest():
    before = _blas_threads()
    assert gc.isenabled()
    with batch_settings():
        assert not gc.isenabled()
        assert all(n == 1 for n in _blas_threads())
        with batch_settings():
            assert not gc.isenabled()
        assert not gc.isenabled()      # the outer batch still runs
    assert gc.isenabled()
    assert _blas_threads() == before


def test_runtime_collector_left_off_when_it_was_off():
    gc.disable()
    try:
        with batch_settings():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_runtime_overlapping_batches_in_threads_restore_once():
    inside, release = threading.Event(), threading.Event()

    def other():
        with batch_settings():
            inside.set()
            release.wait(5)

    thread = threading.Thread(target=other)
    thread.start()
    inside.wait(5)
    with batch_settings():
        pass
    assert not gc.isenabled()          # the other thread's batch is still running
    release.set()
    thread.join()
    assert gc.isenabled()


def test_runtime_settings_restored_after_an_exception():
    try:
        with batch_settings():
            raise ValueError
    except ValueError:
        pass
    assert gc.isenabled()


def test_freeze_long_lived_takes_live_objects_out_of_the_collector():
    gc.unfreeze()
    try:
        runtime.freeze_long_lived()
        frozen = gc.get_freeze_count()
        assert frozen > 10_000 and gc.get_count()[2] == 0     # the test process's objects, none left in gen 2
    finally:
        gc.unfreeze()
