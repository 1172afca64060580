"""The Completions page: parameters, runs, presets, sweeps, token probabilities."""
