"""Benchmarks (``make bench``): the data generator, the load and browser measurements
and their report. Nothing in the app imports this package; under ``bench.settings`` it
is also a Django app, for its baseline view and its ``generate_bench_data`` command."""
