"""Runs at scale: analysis on every core (`workers`), run manifests that let a batch resume
(`manifest`), and readable progress (`progress`)."""
