#!/usr/bin/env bash
# tests/integration/test_golden.sh - golden JSON/SARIF reports (golden.sh).
exec bash "$(dirname "$0")/golden.sh" check
