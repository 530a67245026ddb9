"""Concurrent callers in tests: calls run in threads that start together."""

import threading

from django.db import connection


def at_once(*calls):
    """Run each call in its own thread, released together by a barrier so that they race; return
    their results in order. Each thread closes its own database connection, and an exception raised
    in a call is raised here instead of being lost with its thread."""
    barrier, results, errors = threading.Barrier(len(calls)), [None] * len(calls), []

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except BaseException as exc:  # handed to the caller below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results
