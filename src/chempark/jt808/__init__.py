"""JT/T 808 (2013 and 2019) terminal protocol: framing, codec, messages, sub-packet reassembly, server.

Everything here except nothing is Django-free: the server takes a handler object, so the platform's
storage plugs in from ``chempark.tracking`` and the tests and benchmarks plug in their own.
"""
