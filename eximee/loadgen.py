"""The load generator of `python manage.py bench all`: a separate process that drives the API over
HTTP with asyncio + aiohttp, so the server's CPU is not shared with the clients' bookkeeping inside
one interpreter (it still shares the machine's cores, which the report states). aiohttp rather than
httpx: a request costs its client about a sixth of the CPU (0.25 against 1.45 ms on a slow 2-core
machine), CPU that would otherwise be taken from the server it measures.

    python -m eximee.loadgen < scenario.json > result.json

It imports nothing of the project: it is a plain HTTP client. A scenario is a JSON object:
`{"base": "http://127.0.0.1:PORT", "token": "...", "kind": "...", "clients": N, "duration": S, ...}`
and the result `{"count", "errors", "seconds", "rate", "p50_ms", "p95_ms", "p99_ms", ...}`.
Clients run closed loops (send, wait for the answer, send again) until `duration` seconds have
passed or their work list is empty; latencies are of successful operations only.
"""

import asyncio
import collections
import itertools
import json
import statistics
import sys
import time

import aiohttp


class Run:
    """Counts, latencies and the first error of one scenario."""

    def __init__(self, duration):
        self.deadline = time.perf_counter() + duration
        self.latencies = []
        self.errors = 0
        self.first_error = None
        self.extra = {}

    def open(self):
        return time.perf_counter() < self.deadline

    def failed(self, response_or_text):
        self.errors += 1
        if self.first_error is None:
            if isinstance(response_or_text, Reply):
                response_or_text = f"{response_or_text.status_code} {response_or_text.text[:300]}"
            self.first_error = str(response_or_text)

    def result(self, seconds, count=None):
        count = len(self.latencies) if count is None else count
        figures = {"count": count, "errors": self.errors, "seconds": round(seconds, 3),
                   "rate": count / seconds if seconds else 0.0, **latency_figures(self.latencies)}
        if self.first_error:
            figures["first_error"] = self.first_error
        return {**figures, **self.extra}


def latency_figures(seconds):
    if not seconds:
        return {"p50_ms": None, "p95_ms": None, "p99_ms": None}
    if len(seconds) == 1:
        cuts = [seconds[0]] * 99
    else:
        # Interpolating between equal samples can round a higher cut a hair below a lower one.
        cuts = list(itertools.accumulate(statistics.quantiles(seconds, n=100, method="inclusive"), max))
    return {"p50_ms": cuts[49] * 1000, "p95_ms": cuts[94] * 1000, "p99_ms": cuts[98] * 1000}


class Reply:
    """A response read whole: its status and body."""

    def __init__(self, status_code, body):
        self.status_code, self.body = status_code, body

    @property
    def text(self):
        return self.body.decode(errors="replace")

    def json(self):
        return json.loads(self.body)


class Http:
    """The API over one keep-alive connection pool, with the scenario's bearer token."""

    def __init__(self, scenario, connections):
        self._session = aiohttp.ClientSession(
            base_url=scenario["base"], headers={"Authorization": f"Bearer {scenario['token']}"},
            connector=aiohttp.TCPConnector(limit=connections),
            timeout=aiohttp.ClientTimeout(total=scenario.get("timeout", 30)))

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc_info):
        await self._session.close()

    async def request(self, method, path, body=None):
        async with self._session.request(method, path, json=body) as response:
            return Reply(response.status, await response.read())

    def get(self, path):
        return self.request("GET", path)

    def post(self, path, json=None):
        return self.request("POST", path, json)


async def clients_until_done(scenario, run, operation):
    """`clients` coroutines calling `operation(http, run)` in closed loops; it returns False when
    its work list is empty. The result's rate is over the time the clients actually ran."""
    async with Http(scenario, scenario["clients"] + 4) as http:
        async def client():
            while run.open():
                try:
                    if await operation(http, run) is False:
                        return
                except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
                    run.failed(f"{type(exc).__name__}: {exc}")

        began = time.perf_counter()
        await asyncio.gather(*(client() for _ in range(scenario["clients"])))
        return time.perf_counter() - began


async def timed_call(run, call, ok_status):
    began = time.perf_counter()
    response = await call
    if response.status_code != ok_status:
        run.failed(response)
        return None
    run.latencies.append(time.perf_counter() - began)
    return response


def start_body(scenario):
    return {"processDefinitionKey": scenario["processDefinitionKey"],
            "processVariables": scenario.get("variables", {})}


async def starts(scenario):
    """POST /v1/process-instances; with `collectTasks` the ids of the first open tasks are returned."""
    run, body, task_ids = Run(scenario["duration"]), start_body(scenario), []

    async def start(http, run):
        response = await timed_call(run, http.post("/v1/process-instances", json=body), 201)
        if response is not None and scenario.get("collectTasks"):
            task_ids.extend(task["id"] for task in response.json()["openTasks"][:1])

    seconds = await clients_until_done(scenario, run, start)
    if scenario.get("collectTasks"):
        run.extra["taskIds"] = task_ids
    return run.result(seconds)


async def completions(scenario):
    """POST /v1/tasks/{id}/complete for the given task ids."""
    run, pending = Run(scenario["duration"]), collections.deque(scenario["taskIds"])

    async def complete(http, run):
        if not pending:
            return False
        task_id = pending.popleft()
        await timed_call(run, http.post(f"/v1/tasks/{task_id}/complete", json={"variables": {}}), 200)

    return run.result(await clients_until_done(scenario, run, complete))


async def full_cycles(scenario):
    """Start -> GET the first task -> complete it (the instance ends); latency of the whole cycle."""
    run, body = Run(scenario["duration"]), start_body(scenario)

    async def cycle(http, run):
        began = time.perf_counter()
        started = await http.post("/v1/process-instances", json=body)
        if started.status_code != 201:
            return run.failed(started)
        task_id = started.json()["openTasks"][0]["id"]
        read = await http.get(f"/v1/tasks/{task_id}")
        if read.status_code != 200:
            return run.failed(read)
        done = await http.post(f"/v1/tasks/{task_id}/complete", json={"variables": {}})
        if done.status_code != 200:
            return run.failed(done)
        run.latencies.append(time.perf_counter() - began)

    return run.result(await clients_until_done(scenario, run, cycle))


async def reads(scenario):
    """GET each of `paths` in turn (one shared cycle over all clients)."""
    run, paths, turn = Run(scenario["duration"]), scenario["paths"], [0]

    async def read(http, run):
        path = paths[turn[0] % len(paths)]
        turn[0] += 1
        await timed_call(run, http.get(path), 200)

    return run.result(await clients_until_done(scenario, run, read))


async def correlations(scenario):
    """POST /v1/messages, one per business key given."""
    run, pending = Run(scenario["duration"]), collections.deque(scenario["businessKeys"])

    async def correlate(http, run):
        if not pending:
            return False
        body = {"messageName": scenario["messageName"], "businessKey": pending.popleft()}
        await timed_call(run, http.post("/v1/messages", json=body), 200)

    return run.result(await clients_until_done(scenario, run, correlate))


async def external_tasks(scenario):
    """`clients` workers fetch-and-lock up to `maxTasks` of `topic` and complete each; a worker stops
    when a fetch finds nothing. The latency is per task (fetch share + its completion)."""
    run, completed = Run(scenario["duration"]), [0]

    async def work(http, run):
        worker = f"bench-worker-{id(asyncio.current_task())}"
        began = time.perf_counter()
        fetched = await http.post("/v1/service-tasks/fetch-and-lock", json={
            "workerId": worker, "maxTasks": scenario.get("maxTasks", 10),
            "topics": [{"topicName": scenario["topic"], "lockDuration": 60_000}]})
        if fetched.status_code != 200:
            return run.failed(fetched)
        tasks = fetched.json()
        if not tasks:
            return False
        for task in tasks:
            done = await http.post(f"/v1/service-tasks/{task['id']}/complete",
                                   json={"workerId": worker, "variables": {"ok": True}})
            if done.status_code == 204:
                completed[0] += 1
            else:
                run.failed(done)
        per_task = (time.perf_counter() - began) / len(tasks)
        run.latencies.extend([per_task] * len(tasks))

    seconds = await clients_until_done(scenario, run, work)
    return run.result(seconds, count=completed[0])


async def long_poll_wakeups(scenario):
    """`rounds` times: a worker long-polls an empty topic, then another client starts an instance
    whose first step is a task of that topic. Latency: from sending the start to the worker holding
    the task (the start's own latency is reported beside it, to subtract)."""
    run, start_latencies, began_all = Run(scenario["duration"]), [], time.perf_counter()
    async with Http({**scenario, "timeout": 60}, 4) as http:
        for round_ in range(scenario["rounds"]):
            if not run.open():
                break
            poll = asyncio.create_task(http.post("/v1/service-tasks/fetch-and-lock", json={
                "workerId": f"bench-waiter-{round_}", "maxTasks": 1, "asyncResponseTimeout": 10_000,
                "topics": [{"topicName": scenario["topic"], "lockDuration": 60_000}]}))
            await asyncio.sleep(scenario.get("pollSettle", 0.3))  # the poll is now waiting on the server
            began = time.perf_counter()
            started = await http.post("/v1/process-instances", json=start_body(scenario))
            start_latencies.append(time.perf_counter() - began)
            fetched = await poll
            if started.status_code != 201:
                run.failed(started)
            elif fetched.status_code != 200 or len(fetched.json()) != 1:
                run.failed(fetched)
            else:
                run.latencies.append(time.perf_counter() - began)
                task = fetched.json()[0]
                await http.post(f"/v1/service-tasks/{task['id']}/complete",
                                json={"workerId": f"bench-waiter-{round_}", "variables": {}})
    run.extra["start_p50_ms"] = latency_figures(start_latencies)["p50_ms"]
    return run.result(time.perf_counter() - began_all)


SCENARIOS = {"starts": starts, "completions": completions, "full_cycles": full_cycles, "reads": reads,
             "correlations": correlations, "external_tasks": external_tasks, "long_poll_wakeups": long_poll_wakeups}


def main():
    scenario = json.load(sys.stdin)
    result = asyncio.run(SCENARIOS[scenario["kind"]](scenario))
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
