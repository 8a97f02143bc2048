"""Run independent pure tasks on every core, with results in task order.

The pipeline's heavy stages (tagging and LaTeX clean-up per paper, related
papers, rendering each paper page) are pure functions of data already in
memory. Forked workers inherit that data (nothing is pickled on the way in)
and send back only their results, so the output is the same, byte for byte,
whatever the number of workers; `tests/test_parallel.py` holds the site to
that.

READINGLIST_JOBS sets the number of workers (1: everything in this process).
The default is one per core, but only for corpora of at least
PARALLEL_MIN_PAPERS papers: below that, starting workers costs more than it saves.

Workers die with the run that forked them: a killed run (kill -9 included)
must not leave workers holding memory. On Linux the kernel sends them SIGKILL
(prctl PR_SET_PDEATHSIG); elsewhere a watchdog thread in each worker polls its
parent's pid. (Linux sends the signal when the forking *thread* ends: run_all and start
fork from the calling thread, which must outlive the pool.)
"""

from __future__ import annotations

import collections
import contextlib
import ctypes
import mmap
import multiprocessing
import os
import pickle
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from multiprocessing import connection
from typing import TypeVar

from generator.errors import GeneratorError

T = TypeVar("T")


class WorkerDied(GeneratorError, RuntimeError):
    """A worker process ended without its result (killed, e.g. by the out-of-memory killer)."""

    def __init__(self) -> None:
        super().__init__("a worker process ended abruptly (killed, or out of memory); nothing was published, run again")


PARALLEL_MIN_PAPERS = 2000
PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
WATCHDOG_SECONDS = 0.5
AHEAD = 2  # task indexes a worker holds at a time (see Pool)


def jobs(papers: int) -> int:
    """How many workers a corpus of `papers` papers gets."""
    setting = os.environ.get("READINGLIST_JOBS", "").strip()
    if setting:
        try:
            return max(1, int(setting))
        except ValueError:
            return 1
    if papers < PARALLEL_MIN_PAPERS or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def run_all(tasks: Sequence[Callable[[], T]], workers: int, ahead: int = AHEAD) -> list[T]:
    """Every task's result, in task order; tasks run in `workers` forked processes when workers > 1.
    `ahead`: the task indexes a worker holds at a time (see Pool)."""
    return start(tasks, workers, ahead=ahead).results()


def start(tasks: Sequence[Callable[[], T]], workers: int, nice: int = 0, ahead: int = AHEAD) -> Started:
    """`run_all`, begun now and finished by `.results()`: forked workers run the tasks while this process goes
    on with other work (the MkDocs plugin writes paper pages while MkDocs renders its own pages). With one
    worker (or one task) nothing runs until `.results()`, in this process, as `run_all` would.
    `.cancel()` ends the workers when their results are no longer wanted (a failed build).

    `nice`: the workers' niceness above this process's, when this process's own work meanwhile is what the
    run waits on (the list pages, beside the paper pages): it gets a core of its own, the workers the rest,
    and on an idle machine they still have both cores once it is done."""
    if workers <= 1 or len(tasks) <= 1:
        return Started(tasks, None)
    pool = Pool(tasks, min(workers, len(tasks)), nice, ahead)
    pool.start()
    return Started(tasks, pool)


def begin(task: Callable[[], T], workers: int) -> Started:
    """One task begun now in a forked worker of its own (when workers > 1), while this process goes on with
    other work (the related papers of an update, while the list pages are made); `.results()` is [its result].
    With one worker it runs at `.results()`, in this process."""
    if workers <= 1:
        return Started([task], None)
    pool = Pool([task], 1)
    pool.start()
    return Started([task], pool)


@contextlib.contextmanager
def cancelled_on_error(started: Started | None) -> Iterator[None]:
    """Ends `started`'s workers (when there are any) if the block raises: their results are no longer wanted."""
    try:
        yield
    except BaseException:
        if started is not None:
            started.cancel()
        raise


class Started:
    """Tasks begun by `start`: their results, in task order, once."""

    def __init__(self, tasks: Sequence[Callable[[], object]], pool: Pool | None) -> None:
        self.tasks = tasks
        self.pool = pool

    def results(self) -> list:
        if self.pool is None:
            return [task() for task in self.tasks]
        return self.pool.finish()

    def cancel(self) -> None:
        if self.pool is not None:
            self.pool.stop(kill=True)

    def in_background(self) -> Collecting:
        """Take the results in a thread of this process as they come, while this process goes on with other
        work: workers that finish a task need not wait for `.results()` to be called to send it and start
        the next. With no pool, the tasks run at `.results()` as before (in this process, this thread)."""
        return Collecting(self)


class Collecting:
    """`Started.in_background`: `.results()` waits for the collecting thread; `.cancel()` ends the workers."""

    def __init__(self, started: Started) -> None:
        self.started = started
        self.thread: threading.Thread | None = None
        self.box: dict = {}
        if started.pool is not None:
            self.thread = threading.Thread(target=self._collect, name="readinglist-collect", daemon=True)
            self.thread.start()

    def _collect(self) -> None:
        try:
            self.box["results"] = self.started.results()
        except BaseException as exc:  # noqa: BLE001 - handed to the thread that asks for the results
            self.box["error"] = exc

    def results(self) -> list:
        if self.thread is None:
            return self.started.results()
        self.thread.join()
        if "error" in self.box:
            raise self.box["error"]
        return self.box["results"]

    def cancel(self) -> None:
        """End the workers (their results are not wanted); the collecting thread then stops and cleans up."""
        if self.thread is None:
            return
        for process in list(self.started.pool.processes):
            process.kill()
        self.thread.join()


class Pool:
    """Forked workers that run `tasks` (closures, never pickled: each worker inherits them through fork).

    Each worker has a pipe to this process: it receives a task's index, sends back
    the pickled result (or the exception the task raised), and gets the next index,
    so a long task (the related papers) never holds up the short ones queued behind it.
    A worker holds `ahead` (AHEAD) indexes at a time: it starts its next task as soon as it
    has sent a result, not once this process has read it (a slice of 12,500 paper pages is
    120 MB to read, while this process makes the list pages: each worker waited 1.6-2.3 s
    for its second task at 50,000 papers). Small results want `ahead` 1: a task held behind
    a long one (the related papers) waits for it while another worker could have run it.
    """

    def __init__(self, tasks: Sequence[Callable[[], object]], workers: int, nice: int = 0, ahead: int = AHEAD) -> None:
        self.tasks = tasks
        self.workers = workers
        self.nice = nice
        self.ahead = max(1, ahead)
        self.links: list = []
        self.processes: list = []
        self.busy: dict = {}  # link -> the indexes it was sent and has not answered yet, oldest first
        self.queue = iter(range(len(tasks)))
        self.told_to_stop: set = set()  # links whose worker was sent None

    def run(self) -> list:
        self.start()
        return self.finish()

    def start(self) -> None:
        """Fork the workers and hand each its first task."""
        context = multiprocessing.get_context("fork")
        parent = os.getpid()
        try:
            for _ in range(self.workers):
                mine, theirs = context.Pipe()
                process = context.Process(target=self._work, args=(theirs, parent), daemon=True)
                process.start()
                theirs.close()
                self.links.append(mine)
                self.processes.append(process)
            for link in self.links:
                self.busy[link] = collections.deque()
            # `ahead` rounds of one task each: the first tasks spread over all workers.
            for _ in range(self.ahead):
                for link in self.links:
                    self._hand(link)
        except BaseException:
            self.stop(kill=True)
            raise

    def finish(self) -> list:
        """Every task's result, in task order (the tasks still queued are handed out as workers free up)."""
        try:
            return self._collect(self.links, self.processes)
        except BaseException:
            self.stop(kill=True)  # the run failed: what the others compute is not wanted
            raise
        finally:
            self.stop()

    def stop(self, kill: bool = False) -> None:
        for process in self.processes if kill else ():
            process.kill()
        for link in self.links:
            link.close()
        for process in self.processes:
            process.join(WATCHDOG_SECONDS)
            if process.is_alive():
                process.kill()
                process.join()
        self.links, self.processes = [], []

    def _collect(self, links: list, processes: list) -> list:
        results: list = [None] * len(self.tasks)
        busy = self.busy
        done = 0
        while done < len(self.tasks):
            waiting = [link for link in links if busy[link]]
            sentinels = {p.sentinel: link for p, link in zip(processes, links, strict=True) if busy[link]}
            for ready in connection.wait(waiting + list(sentinels)):
                link = sentinels.get(ready, ready)
                if not busy[link]:
                    continue  # its last reply was read in this round, and its end seen in the same one
                if ready is not link and not link.poll():
                    raise WorkerDied  # it ended with tasks unanswered (replies sent before it ended are read first)
                try:
                    reply = _receive_reply(link)
                except (EOFError, OSError):
                    raise WorkerDied from None
                index = busy[link].popleft()
                self._hand(link)  # the worker's next task first: it need not wait while this one is unpickled
                try:
                    ok, value = pickle.loads(reply)
                finally:
                    if isinstance(reply, mmap.mmap):
                        reply.close()
                if not ok:
                    raise value
                results[index] = value
                done += 1
        return results

    def _hand(self, link: connection.Connection) -> None:
        """Send the link's worker the next task's index; when none is left, None (stop: it finishes those it
        holds first), once."""
        if link in self.told_to_stop:
            return
        index = next(self.queue, None)
        if index is None:
            self.told_to_stop.add(link)
        else:
            self.busy[link].append(index)
        link.send(index)

    def _work(self, link: connection.Connection, parent: int) -> None:
        """A worker's life: run the tasks it is sent until it is sent None. Ctrl-C is the run's to handle: it
        ends the workers (they die with it), which would otherwise each print a KeyboardInterrupt traceback."""
        _die_with_parent(parent)
        # A task may run workers of its own (the related papers' products, in a worker of their own): multiprocessing
        # refuses children to a daemon process. This process's view of itself only: the run still sees it as a
        # daemon, and it dies with the run whatever the flag says (above), as do its own workers with it.
        multiprocessing.current_process().daemon = False
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        if self.nice:
            with contextlib.suppress(OSError):  # (a lower priority is a preference, never a failure)
                os.nice(self.nice)
        while True:
            try:
                index = link.recv()
            except (EOFError, OSError):  # the run gave up (a task failed): nothing more to do
                return
            if index is None:
                return
            try:
                outcome = (True, self.tasks[index]())
            except BaseException as exc:  # noqa: BLE001 - any failure goes back to the run, which raises it
                outcome = (False, exc)
            _send_reply(link, _pickled(outcome))


# A result bigger than this goes back in an anonymous in-memory file (memfd) whose descriptor is passed over the
# pipe: the worker is done with it at once. Written into the pipe, it went 64 KB at a time as fast as the run's
# collecting thread read it, and that thread waited for the GIL (held by the list pages) before each read: a
# 120 MB slice of paper pages kept its worker from its next task for 1.6-2.3 s at 50,000 papers.
BIG_REPLY = 1 << 20
HANDED = b"\0readinglist: result in the file passed next"  # never a pickle (those start with \x80)
PASSED = b"F"  # the byte that carries the descriptor
INLINE = b"I"  # sent instead when the descriptor could not be passed: the reply follows through the pipe


class Pickled:
    """A worker's pickled outcome: in a memfd (`fd`, `size` bytes) or, where there is none, in `data`."""

    def __init__(self, data: bytes | None, fd: int | None = None, size: int = 0) -> None:
        self.data, self.fd, self.size = data, fd, size

    def bytes(self) -> bytes:
        return self.data if self.data is not None else os.pread(self.fd, self.size, 0)

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


def _pickled(outcome: tuple[bool, object]) -> Pickled:
    """(ok, value) pickled. A result that cannot be pickled goes back as that failure, an exception that cannot
    be pickled as its text."""
    try:
        return _pickle(outcome)
    except Exception as exc:  # noqa: BLE001 - the failure goes back to the run instead, which raises it
        failure = exc if outcome[0] else outcome[1]
    try:
        return _pickle((False, failure))
    except Exception:  # noqa: BLE001 - an exception that cannot be pickled goes back as its text
        return _pickle((False, RuntimeError(f"{type(failure).__name__}: {failure}")))


def _pickle(outcome: tuple[bool, object]) -> Pickled:
    """Pickled straight into a memfd where there is one: pickle writes a big result frame by frame, so it is
    never copied whole in this worker's memory. Else into bytes."""
    fd = _memfd()
    if fd is None:
        return Pickled(pickle.dumps(outcome, pickle.HIGHEST_PROTOCOL))
    try:
        with open(fd, "wb", closefd=False) as handle:
            pickle.dump(outcome, handle, pickle.HIGHEST_PROTOCOL)
            return Pickled(None, fd, handle.tell())
    except OSError:  # the in-memory file could not take it: bytes, sent through the pipe
        os.close(fd)
        return Pickled(pickle.dumps(outcome, pickle.HIGHEST_PROTOCOL))
    except BaseException:
        os.close(fd)
        raise


def _memfd() -> int | None:
    """A new anonymous in-memory file, or None where there is none (not Linux) or it cannot be made."""
    if not hasattr(os, "memfd_create"):
        return None
    try:
        return os.memfd_create("readinglist-result", os.MFD_CLOEXEC)
    except OSError:
        return None


def _send_reply(link: connection.Connection, reply: Pickled) -> None:
    try:
        if reply.fd is None or reply.size <= BIG_REPLY:
            link.send_bytes(reply.bytes())
            return
        link.send_bytes(HANDED)
        with socket.fromfd(link.fileno(), socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            try:
                socket.send_fds(sock, [PASSED], [reply.fd])
            except OSError:  # descriptors refused (a sandbox): the reply goes through the pipe after all
                sock.sendall(INLINE)
                link.send_bytes(reply.bytes())
    finally:
        reply.close()


def _receive_reply(link: connection.Connection) -> bytes | mmap.mmap:
    """A worker's reply, as `_send_reply` sent it: bytes, or the passed memfd mapped (read where it lies, not
    copied: the caller unpickles it, then closes it). Raises EOFError or OSError when the worker is gone."""
    reply = link.recv_bytes()
    if reply != HANDED:
        return reply
    with socket.fromfd(link.fileno(), socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        message, fds, _, _ = socket.recv_fds(sock, 1, 1)
    if message == INLINE and not fds:
        return link.recv_bytes()
    if message != PASSED or not fds:
        for fd in fds:
            os.close(fd)
        raise EOFError("the worker ended before passing its result")
    try:
        return mmap.mmap(fds[0], 0, prot=mmap.PROT_READ)
    except OSError:  # not mapped (no address space left, say): read
        os.lseek(fds[0], 0, os.SEEK_SET)  # (the worker's writes left the shared offset at the end)
        with open(fds[0], "rb", buffering=0, closefd=False) as handle:
            return handle.read()
    finally:
        os.close(fds[0])  # (a mapping holds the file)


def die_with_parent(parent: int) -> None:
    """For a child process (subprocess preexec_fn): end it as soon as `parent` is gone, as workers do."""
    _die_with_parent(parent)


def _die_with_parent(parent: int) -> None:
    """Worker initializer: end this worker as soon as `parent`, the run that forked it, is gone."""
    armed = sys.platform.startswith("linux") and _death_signal(signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the signal was armed: nobody will send it
        os._exit(1)
        return  # (only reached when a test replaces os._exit)
    if not armed:
        threading.Thread(target=_watch_parent, args=(parent,), name="readinglist-watchdog", daemon=True).start()


def _death_signal(signum: int) -> bool:
    """Ask Linux to send `signum` to this process when its parent dies; False if that is not possible."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, signum, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(WATCHDOG_SECONDS)
    os._exit(1)


def chunks(items: Sequence[T], count: int) -> list[Sequence[T]]:
    """`items` cut into at most `count` contiguous slices of near-equal length."""
    count = max(1, min(count, len(items)))
    size, extra = divmod(len(items), count)
    cut, start = [], 0
    for i in range(count):
        end = start + size + (1 if i < extra else 0)
        cut.append(items[start:end])
        start = end
    return cut
