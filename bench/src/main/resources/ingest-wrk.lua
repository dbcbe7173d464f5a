-- wrk script of bench/ingest.sh (driven by io.custos.bench.WrkIngest): POSTs agent reports.
--
-- Arguments (after wrk's "--"): <dir> <nodes> <threads> <seq base>. <dir> holds, per node i,
-- node-i.token (its bearer token) and node-i-<v>.json (v = 0, 1, ...: report templates whose
-- seq and times are placeholders: @S@ the seq, @T<d>@ now + d milliseconds).
-- Thread t (0-based) owns the nodes i with i % threads == t and sends to them in turn, each
-- node's seq rising by one per report, so no two requests carry the same (node, seq) and a
-- node's next report normally starts after its previous one was answered. Every answer must be
-- 200 with "stored":true; the others are counted and printed by done().

local counter = 0
local threads = {}

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

local function read(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("*a")
  f:close()
  return s
end

-- Splits a template into literal parts and placeholders.
local function compile(text)
  local parts = {}
  local pos = 1
  while true do
    local s, e, what = string.find(text, "@([ST]%-?%d*)@", pos)
    if not s then
      table.insert(parts, string.sub(text, pos))
      break
    end
    table.insert(parts, string.sub(text, pos, s - 1))
    if what == "S" then
      table.insert(parts, { seq = true })
    else
      table.insert(parts, { offset = tonumber(string.sub(what, 2)) })
    end
    pos = e + 1
  end
  return parts
end

function init(args)
  local dir, nodes, nthreads = args[1], tonumber(args[2]), tonumber(args[3])
  base = tonumber(args[4])
  mine = {}
  for i = 0, nodes - 1 do
    if i % nthreads == id then
      local node = { seq = base, templates = {}, next = 1 }
      node.headers = {
        ["Authorization"] = "Bearer " .. read(dir .. "/node-" .. i .. ".token"),
        ["Content-Type"] = "application/json",
      }
      local v = 0
      while true do
        local f = io.open(dir .. "/node-" .. i .. "-" .. v .. ".json", "rb")
        if not f then break end
        table.insert(node.templates, compile(f:read("*a")))
        f:close()
        v = v + 1
      end
      table.insert(mine, node)
    end
  end
  turn = 0
  bad = 0
  first_bad = ""
end

function request()
  turn = turn % #mine + 1
  local node = mine[turn]
  local template = node.templates[node.next]
  node.next = node.next % #node.templates + 1
  node.seq = node.seq + 1
  local now = os.time() * 1000
  local out = {}
  for k, p in ipairs(template) do
    if type(p) == "string" then
      out[k] = p
    elseif p.seq then
      out[k] = string.format("%d", node.seq)
    else
      out[k] = string.format("%d", now + p.offset)
    end
  end
  return wrk.format("POST", "/api/v1/reports", node.headers, table.concat(out))
end

function response(status, headers, body)
  if status ~= 200 or not string.find(body, '"stored":true', 1, true) then
    bad = bad + 1
    if first_bad == "" then
      first_bad = status .. " " .. string.sub(body, 1, 200)
    end
  end
end

function done(summary, latency, requests)
  local nbad, why = 0, ""
  for _, t in ipairs(threads) do
    nbad = nbad + t:get("bad")
    if why == "" then why = t:get("first_bad") end
  end
  io.write(string.format(
    "CUSTOS requests=%d seconds=%.3f p50_us=%d p90_us=%d p99_us=%d max_us=%d not_stored=%d"
      .. " errors=%d timeouts=%d first_not_stored=%s\n",
    summary.requests, summary.duration / 1e6, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, nbad,
    summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.status, summary.errors.timeout,
    string.gsub(why, "%s", "_")))
end
