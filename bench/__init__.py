"""The spawn benchmarks (bench/bench.py): a package so that x.py and the
test stages import it without touching sys.path."""
