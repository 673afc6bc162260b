#!/usr/bin/env bash
# The whole stack's figures, against docs/deploy.md's targets: the runtime image's size, the RSS
# of every Hark process once `hark up` answers, and the time from starting `hark up` to the first
# answered utterance. Natively (the build's hark), then in a container when an image is given.
#
#   bench/stack_figures.sh                             # native only: build/src/hark
#   bench/stack_figures.sh localhost/hark:latest       # and the image, with podman
#   HARK_BINARY=/usr/local/bin/hark HARK_ENGINE=docker bench/stack_figures.sh hark:latest
#   SETTLE=10 bench/stack_figures.sh                   # native memory 10 s after the answer
#
# "Answered": `hark utter "what time is it"` printed the spoken answer. Readiness is polled every
# 50 ms, so the start-up figure is at most that much late. Runs RUNS times (default 3) and prints
# each run and the median. Native runs also print each process's RSS (on stderr) and then kill the
# core (SIGKILL) and time how long until the restarted one answers. The listener may still be
# loading its engines at the first answer: SETTLE seconds (default 0) later, it is not.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
hark=${HARK_BINARY:-$root/build/src/hark}
engine=${HARK_ENGINE:-podman}
image=${1:-}
runs=${RUNS:-3}
[[ -x $hark ]] || {
  echo "no hark at $hark (build it, or set HARK_BINARY)" >&2
  exit 1
}

work=$(mktemp -d)
container=""
up_pid=""
cleanup() {
  [[ -n $up_pid ]] && kill "$up_pid" 2>/dev/null && wait "$up_pid" 2>/dev/null
  [[ -n $container ]] && "$engine" rm -f -v -t 2 "$container" >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT

now() { date +%s.%N; }
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }

# "RSS PSS" in kB, summed over `pid` and all its descendants. RSS counts the shared libraries'
# pages once per process; PSS splits them among the processes that share them, so its sum is
# what the stack takes from the machine.
tree_memory_kb() {
  for pid in $(tree_pids "$1"); do cat /proc/"$pid"/smaps_rollup 2>/dev/null || true; done |
    awk '/^Rss:/ {rss += $2} /^Pss:/ {pss += $2} END {print rss + 0, pss + 0}'
}

# `pid` and all its descendants.
tree_pids() {
  local pids=("$1") pid children
  while [[ ${#pids[@]} -gt 0 ]]; do
    pid=${pids[0]}
    pids=("${pids[@]:1}")
    echo "$pid"
    children=$(cat /proc/"$pid"/task/*/children 2>/dev/null || true)
    for child in $children; do pids+=("$child"); done
  done
}

# "up 6.6 bus 5.9 ..." on stderr: each process's RSS in MB, named by its hark command.
tree_breakdown() {
  local pid
  for pid in $(tree_pids "$1"); do
    printf '%s %s ' "$(tr '\0' '\n' </proc/"$pid"/cmdline | sed -n 2p)" \
      "$(awk '/^Rss:/ {printf "%.1f", $2 / 1024}' /proc/"$pid"/smaps_rollup)"
  done 2>/dev/null
  echo
}

# Polls until the stack answers an utterance; prints the seconds since `start`.
first_answer_after() {
  local start=$1 answer
  shift
  for _ in $(seq 1 600); do
    if "$@" ready skills --timeout 0.05 >/dev/null 2>&1; then
      answer=$("$@" utter "what time is it" --timeout 5 2>/dev/null || true)
      if [[ -n $answer ]]; then
        awk -v a="$(now)" -v b="$start" 'BEGIN {printf "%.3f\n", a - b}'
        return
      fi
    fi
  done
  echo "no answer within the polling budget" >&2
  return 1
}

native_run() {
  local port home start seconds memory killed recovered
  port=$(free_port)
  home=$work/native-$RANDOM
  mkdir -p "$home/config" "$home/run"
  local env=(env HOME="$home" XDG_CONFIG_HOME="$home/config" XDG_RUNTIME_DIR="$home/run"
    MYCROFT_SYSTEM_CONFIG="$home/none.conf" HARK__WEBSOCKET__PORT="$port")
  start=$(now)
  "${env[@]}" "$hark" up >"$home/up.log" 2>&1 &
  up_pid=$!
  seconds=$(first_answer_after "$start" "${env[@]}" "$hark")
  # The listener loads its engines beside the others; SETTLE seconds lets it finish.
  sleep "${SETTLE:-0}"
  memory=$(tree_memory_kb "$up_pid")
  echo "native     processes, RSS MB: $(tree_breakdown "$up_pid")" >&2
  killed=$(now)
  kill -KILL "$(service_pid "$up_pid" core)"
  recovered=$(first_answer_after "$killed" "${env[@]}" "$hark")
  kill "$up_pid"
  wait "$up_pid" 2>/dev/null || true
  up_pid=""
  echo "$seconds $memory $recovered"
}

# The pid of the `hark SERVICE` process under `hark up`'s pid.
service_pid() {
  local pid
  for pid in $(tree_pids "$1"); do
    if [[ $(tr '\0' '\n' </proc/"$pid"/cmdline 2>/dev/null | sed -n 2p) == "$2" ]]; then
      echo "$pid"
      return
    fi
  done
  echo "no hark $2 under pid $1" >&2
  return 1
}

container_run() {
  local port token start seconds memory pid
  port=$(free_port)
  token=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
  start=$(now)
  container=$("$engine" run -d -p "127.0.0.1:$port:8181" -e HARK__WEBSOCKET__HOST=0.0.0.0 \
    -e HARK__WEBSOCKET__TOKEN="$token" "$image" up)
  seconds=$(first_answer_after "$start" env HARK__WEBSOCKET__PORT="$port" \
    HARK__WEBSOCKET__TOKEN="$token" XDG_CONFIG_HOME="$work/none" MYCROFT_SYSTEM_CONFIG=/nonexistent \
    "$hark")
  pid=$("$engine" inspect -f '{{.State.Pid}}' "$container")
  memory=$(tree_memory_kb "$pid")
  "$engine" rm -f -v -t 2 "$container" >/dev/null
  container=""
  echo "$seconds $memory"
}

report() {
  local what=$1 results=$2
  while read -r seconds rss pss recovered; do
    printf '%-10s run: first answer %6.3f s after start; all hark processes: RSS %5.1f MB, PSS %5.1f MB%s\n' \
      "$what" "$seconds" "$(awk -v k="$rss" 'BEGIN {print k / 1024}')" \
      "$(awk -v k="$pss" 'BEGIN {print k / 1024}')" \
      "${recovered:+; answers again $recovered s after the core was killed}"
  done <<<"$results"
  printf '%-10s median: first answer %6.3f s (target <= 1 s); RSS %5.1f MB, PSS %5.1f MB (target <= 64 MB)\n' \
    "$what" "$(cut -d' ' -f1 <<<"$results" | median)" \
    "$(cut -d' ' -f2 <<<"$results" | median | awk '{print $1 / 1024}')" \
    "$(cut -d' ' -f3 <<<"$results" | median | awk '{print $1 / 1024}')"
  if [[ -n $(cut -s -d' ' -f4 <<<"$results") ]]; then
    printf '%-10s median: answers again %6.3f s after the core was killed\n' "$what" \
      "$(cut -d' ' -f4 <<<"$results" | median)"
  fi
}

# Not in $(...): a subshell would not run the trap that stops what it started.
for _ in $(seq "$runs"); do native_run >>"$work/native"; done
report native "$(cat "$work/native")"

if [[ -n $image ]]; then
  size=$("$engine" image inspect -f '{{.Size}}' "$image")
  printf '%-10s image %s: %.1f MB (target <= 150 MB)\n' container "$image" \
    "$(awk -v b="$size" 'BEGIN {print b / 1000 / 1000}')"
  for _ in $(seq "$runs"); do container_run >>"$work/container"; done
  report container "$(cat "$work/container")"
fi
