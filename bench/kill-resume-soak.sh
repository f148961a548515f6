#!/usr/bin/env bash
# The kill-and-resume property at length, by hand: more planned days and more strategy runs
# than the test suite runs, each SIGKILLed and resumed again and again (4 kills a planned day,
# 3 a strategy run). Usage: bench/kill-resume-soak.sh [planned days] [strategy runs] [seed]
set -euo pipefail
cd "$(dirname "$0")/.."
export KILL_RESUME_PLANS="${1:-20}" KILL_RESUME_RUNS="${2:-12}"
if [ -n "${3:-}" ]; then export KILL_RESUME_SEED="$3"; fi
exec npx ava test/cli/kill-resume.property.test.ts --verbose --timeout=30m
