"""Benchmarks: `make bench` runs each one and prints its figures as JSON."""
