"""`/engine-rest`: Camunda 7's REST API (the subset in docs/engines.md) over the embedded engine, so
Camunda 7 / EximeeBPMS clients and external-task workers run unchanged against it.

A thin API like `bpms/api/`: the same services and selectors, the same bearer authentication and
roles per operation; only the paths, payloads, variable and date formats and the error body are
Camunda's."""
