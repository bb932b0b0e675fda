#!/usr/bin/env bash
# Prints the flags mpirun needs on this machine: Open MPI refuses root without
# --allow-run-as-root, and --oversubscribe lets a 2-rank test run on a 1-core machine.
if [ "$(id -u)" -eq 0 ]; then echo "--allow-run-as-root --oversubscribe"; else echo "--oversubscribe"; fi
