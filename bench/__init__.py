"""Benchmark tools: synthetic corpora (synth.py) and the pipeline benchmark (run.py)."""
