"""tensorc's differential fuzzer: random NumPy-style graphs run by NumPy and by tensorc, compared.

generator.py makes a case (a small expression DAG and its input data) from a seed, oracle.py runs one
case and classifies it, campaign.py runs many seeds in worker processes and writes a report, npref.py
holds NumPy versions of the functions NumPy lacks (softmax, sigmoid, ...).
"""
