.PHONY: run test bench

# Runs the platform with demo data: web server, Celery worker and beat.
run:
	@scripts/run.sh

# Runs the whole test suite; pass pytest arguments with ARGS="tests/bpms -x".
test:
	@scripts/test.sh $(ARGS)

# Runs a benchmark and prints its figures: make bench NAME=engine (NAME empty lists them).
bench:
	@scripts/bench.sh $(NAME) $(ARGS)
