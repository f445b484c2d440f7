-- wrk script for bench/run_load.py: logged-in clients, one per wrk thread.
--
-- Run with as many threads as connections (wrk -t20 -c20): each thread then holds exactly one
-- connection, sends one request at a time, and so knows which request each response answers.
-- BENCH_CLIENTS names a Lua file (written by run_load.py) returning
--   { origin = "https://127.0.0.1:PORT",
--     clients = { { cookie = "sessionid=…; csrftoken=…",
--                   actions = { { kind = "get", path = "/my-work/", expect = 200 }, … },
--                   save = { path = "/data/2022/HP-HB/3.2.3/", body = "…{version}…{n}…",
--                            version = 3 } }, … } }
-- Thread i plays client i (modulo their number) and walks its actions in a loop:
--   get  — a page; any status but `expect` counts as an error (wrk alone would count a redirect
--          to the login page as a success);
--   form — the data-entry form (GET); reads the hidden `version` from the page;
--   save — POST of the form with the current version (optimistic locking): 302 is a save, and
--          the version goes up by one; anything else is an error and the next request reloads
--          the form to read the version again.
-- Every request carries X-Forwarded-Proto: https, as nginx would (the portal runs with
-- TRUST_X_FORWARDED_PROTO=1, so SECURE_SSL_REDIRECT does not redirect), and a POST carries
-- Origin and Referer for the CSRF check of a secure request.
-- done() prints one line "BENCH_JSON {…}" with the counts and latency percentiles (µs).

local threads = {}
local created = 0

function setup(thread)
  created = created + 1
  thread:set("id", created)
  table.insert(threads, thread)
end

function init(args)
  local spec = dofile(os.getenv("BENCH_CLIENTS"))
  origin = spec.origin
  me = spec.clients[(id - 1) % #spec.clients + 1]
  version = me.save and me.save.version or nil
  step = 0
  n = id
  pending = nil
  -- A client that saves reads its version first: an earlier run may have saved meanwhile.
  resync = me.save ~= nil
  errors = 0
  saves = 0
  sample = ""
end

local function headers()
  return { ["Cookie"] = me.cookie, ["X-Forwarded-Proto"] = "https" }
end

function request()
  local action
  if resync then
    action = { kind = "form", path = me.save.path, expect = 200 }
  else
    step = step % #me.actions + 1
    action = me.actions[step]
  end
  pending = action
  if action.kind == "save" then
    n = n % 97 + 1
    local body = me.save.body
      :gsub("{version}", version and tostring(version) or "")
      :gsub("{n}", tostring(n))
    local h = headers()
    h["Content-Type"] = "application/x-www-form-urlencoded"
    h["Origin"] = origin
    h["Referer"] = origin .. me.save.path
    return wrk.format("POST", me.save.path, h, body)
  end
  return wrk.format("GET", action.path, headers())
end

local function failed(status, action)
  errors = errors + 1
  if sample == "" then
    sample = status .. " " .. action.kind .. " " .. action.path
  end
end

function response(status, headers, body)
  local action = pending
  pending = nil
  if action == nil then
    return
  end
  if action.kind == "save" then
    if status == 302 then
      version = (version or 0) + 1
      saves = saves + 1
    else
      failed(status, action)
      resync = true
    end
  elseif action.kind == "form" then
    local found = body and body:match('name="version"[^>]-value="(%d+)"')
    if status == 200 then
      version = found and tonumber(found) or nil
      resync = false
    else
      failed(status, action)
    end
  elseif status ~= action.expect then
    failed(status, action)
  end
end

function done(summary, latency, requests)
  local unexpected, saved, samples = 0, 0, {}
  for _, thread in ipairs(threads) do
    unexpected = unexpected + (thread:get("errors") or 0)
    saved = saved + (thread:get("saves") or 0)
    local s = thread:get("sample")
    if s and s ~= "" and #samples < 5 then
      table.insert(samples, '"' .. s:gsub('"', "'") .. '"')
    end
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "connect": %d, "read": %d, '
      .. '"write": %d, "status": %d, "timeout": %d, "unexpected": %d, "saves": %d, '
      .. '"p50": %d, "p90": %d, "p95": %d, "p99": %d, "max": %d, "mean": %.1f, '
      .. '"samples": [%s]}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status,
    e.timeout, unexpected, saved, latency:percentile(50), latency:percentile(90),
    latency:percentile(95), latency:percentile(99), latency.max, latency.mean,
    table.concat(samples, ", ")))
end
