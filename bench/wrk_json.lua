-- wrk runs done() once the load is over: it prints what bench/page_speed.py reads as one
-- line of JSON, so the script never parses wrk's report, whose layout changes with the
-- numbers (a latency of a second or more is printed with a trailing space, say).
done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    '\n{"requests": %d, "duration_us": %d, "non_2xx_3xx": %d, "socket_errors": %d, '
      .. '"latency_us": {"50": %d, "90": %d, "99": %d}}\n',
    summary.requests, summary.duration, errors.status,
    errors.connect + errors.read + errors.write + errors.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99)
  ))
end
