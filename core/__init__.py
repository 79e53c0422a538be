"""Tanya's shared kernel: what every app may import and that imports none of them.

Events (the record every write leaves and the fan-out to subscribers), the domain error
base, the one rate limiter and the web helpers that turn a domain error into a response.
See docs/ARCHITECTURE.md.
"""
