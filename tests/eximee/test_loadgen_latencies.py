"""The load generator's latency percentiles stay ordered, whatever floating point does."""

from eximee.loadgen import latency_figures


def test_percentiles_of_equal_latencies_are_ordered():
    # statistics.quantiles interpolates these 20 equal samples to a p95 a hair above p99.
    figures = latency_figures([0.0561984448] * 20)
    assert figures["p50_ms"] <= figures["p95_ms"] <= figures["p99_ms"]
    assert abs(figures["p99_ms"] - 56.1984448) < 1e-9


def test_percentiles_follow_the_samples():
    figures = latency_figures([index / 1000 for index in range(1, 101)])
    assert (round(figures["p50_ms"], 2), round(figures["p95_ms"], 2), round(figures["p99_ms"], 2)) == (50.5, 95.05, 99.01)
