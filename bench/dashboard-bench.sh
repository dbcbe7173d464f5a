#!/usr/bin/env bash
# Issue 13's dashboard figures in one command: page weight (gzip size of every asset the collector
# serves under /ui/, uPlot apart) and the first render of the operations screen with 1,000 hosts x
# 20 services in headless Chromium (median of 5 loads); issue 24's: 10,000 problems on the
# operations screen, and 150 service events/s for 30 s with the screen open (main-thread busy
# share, longest task, pushed CRITICAL to row on screen). Needs chromium and chromium-driver.
# Prints the figures and the load average; they are also in packaging/target/dashboard-bench.txt
# and packaging/target/dashboard-live-bench.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -o -pl packaging -am test -Dtest='DashboardRenderBench,DashboardLiveBench' -Dsurefire.failIfNoSpecifiedTests=false \
  -Dcustos.bench.dashboard=true -DtrimStackTrace=false
cat packaging/target/dashboard-bench.txt packaging/target/dashboard-live-bench.txt
