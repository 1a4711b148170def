"""Veche's command line and local tooling: `veche up`, the demo data, operator commands. Never imported by a service."""
