"""Baselines measured in the same run as Veche: the irreducible work (B1, B2, B3) and a classic peer (B0)."""
