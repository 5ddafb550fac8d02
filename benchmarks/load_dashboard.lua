-- wrk script of benchmarks/load_dashboard.sh: every request carries the signed-in
-- session, and the summary adds the 95th percentile (wrk prints 50/75/90/99 only).
local cookie = os.getenv("LOAD_COOKIE") or ""

request = function()
  return wrk.format("GET", nil, { ["Cookie"] = cookie })
end

done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local bad = summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout
  io.write(string.format(
    "requests %d in %.1f s: %.2f requests/s; latency p50 %.0f ms, p95 %.0f ms, p99 %.0f ms, max %.0f ms; errors %d\n",
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, bad))
end
