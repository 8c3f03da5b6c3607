#!/usr/bin/env bash
# `make bench`: runs every benchmark built in BUILD_DIR (default build-bench).
#   bash bench/run.sh build-bench
# Each section prints its figures; docs/benchmarks.md records them with
# the command that produced them.
set -euo pipefail
BUILD_DIR=${1:-build-bench}
REPO=$(cd "$(dirname "$0")/.." && pwd)
cd "$REPO"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# --- Span metrics / ingest: loupe serve under loupe-loadgen ------------------
if [[ -x "$BUILD_DIR/loupe" && -x "$BUILD_DIR/bench/loadgen/loupe-loadgen" ]]; then
  work=$(mktemp -d -t loupe-bench-XXXXXX)
  grpc=$(free_port); http=$(free_port); metrics=$(free_port); api=$(free_port)
  # The targets are for collector-only mode: the store off (the store has
  # its own benchmark below).
  printf 'store:\n  enabled: false\n' >"$work/loupe.yaml"
  "$BUILD_DIR/loupe" serve --config "$work/loupe.yaml" --otlp-grpc-addr 127.0.0.1:$grpc \
    --otlp-http-addr 127.0.0.1:$http --metrics-addr 127.0.0.1:$metrics --api-addr 127.0.0.1:$api \
    --log-level warn ${LOUPE_BENCH_ARGS:-} >"$work/loupe.log" 2>&1 &
  pid=$!
  trap 'kill -TERM $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$work"' EXIT
  for _ in $(seq 1 150); do
    curl -sf "http://127.0.0.1:$api/readyz" >/dev/null && break
    sleep 0.2
  done
  echo "== ingest: 1 KB GenAI spans over gRPC at 10k spans/s =="
  "$BUILD_DIR/bench/loadgen/loupe-loadgen" --protocol grpc --endpoint 127.0.0.1:$grpc \
    --rate 10000 --duration 20 --server-pid $pid
  echo "== ingest: dialect mix over HTTP at 5k spans/s =="
  "$BUILD_DIR/bench/loadgen/loupe-loadgen" --protocol http --endpoint 127.0.0.1:$http \
    --rate 5000 --duration 10 --dialects otel,openinference,openllmetry,vercel --server-pid $pid
  echo "== ingest: maximum throughput over gRPC (closed loop) =="
  "$BUILD_DIR/bench/loadgen/loupe-loadgen" --protocol grpc --endpoint 127.0.0.1:$grpc \
    --rate 1000000 --duration 20 --server-pid $pid
  kill -TERM $pid; wait $pid || true
  trap - EXIT
  rm -rf "$work"
else
  echo "skip ingest: $BUILD_DIR/loupe or loupe-loadgen not built (cmake -DLOUPE_BUILD_BENCH=ON)"
fi

# --- Store: the store engineer's benchmark --------------------------------------
if [[ -x "$BUILD_DIR/bench/store/loupe-store-bench" ]]; then
  echo "== store =="
  "$BUILD_DIR/bench/store/loupe-store-bench"
fi

# --- Alerting: one evaluation round of 100 rules x 1,000 groups -----------------
if [[ -x "$BUILD_DIR/bench/alerting/loupe-alerting-bench" ]]; then
  echo "== alerting =="
  "$BUILD_DIR/bench/alerting/loupe-alerting-bench" --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
fi
