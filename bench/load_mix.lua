-- The wrk script of bench/load.py (read its docstring first).
--
-- One wrk thread is one user with one connection (wrk -t N -c N), so every response answers the
-- request that thread has just sent and can be checked against what that request expects: a GET
-- must answer 200 (a redirect, e.g. to the login page, is an error); a POST must answer 302 to a
-- page other than the login page (an invalid form answers 200 and is an error too).
--
-- Argument (after --): the data file bench/load.py writes, a Lua chunk returning
--   { host = "127.0.0.1:PORT", asal = "https://127.0.0.1:PORT", login = "/masuk/",
--     jeda_min = 500, jeda_maks = 2000,  -- think time between two requests of a user, ms
--     pengguna = { { cookie = "sessionid=...; csrftoken=..." or nil,
--                    langkah = { { nama = "psm_beranda", path = "/psm/", harap = 200 },
--                                { nama = "kunjungan_post", path = "...", body = "...", harap = 302 }, ... } }, ... } }
-- Thread k takes user k (modulo their number) and cycles over that user's steps, thinking between
-- two requests: delay() returns a wait drawn uniformly from [jeda_min, jeda_maks] ms (0 when both
-- are 0: the closed loop of a saturation test). wrk calls delay() after each answer and request()
-- once the wait is over, so the wait is in no latency (wrk's own or the one measured here).
--
-- done() prints one line "BEBAN-JSON {...}" (bench/load.py reads it): wrk's own figures (latency
-- in microseconds, socket errors, timeouts) and, per step name, count, failures and latency
-- percentiles in milliseconds measured here (monotonic clock through LuaJIT's ffi).
-- Only flat tables cross from a thread to done(): wrk 4.1 crashes copying nested ones.

local ffi_ada, ffi = pcall(require, "ffi")
local jam
if ffi_ada then
  pcall(ffi.cdef, "typedef struct { long tv_sec; long tv_nsec; } beban_ts; int clock_gettime(int, beban_ts *);")
  local ts = ffi.new("beban_ts")
  jam = function()
    ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
    return tonumber(ts.tv_sec) * 1e6 + tonumber(ts.tv_nsec) / 1e3
  end
else
  jam = function() return os.clock() * 1e6 end
end

-- main state: the threads, for done()
local nomor = 0
local para_thread = {}

function setup(thread)
  thread:set("id", nomor)
  nomor = nomor + 1
  table.insert(para_thread, thread)
end

-- thread state (globals are what done() reads through thread:get)
nama_langkah = {} -- the step names this thread answered, in first-seen order
kirim_post = 0 -- POSTs sent
contoh_gagal = "" -- a few failures, for the report
local data, langkah, ke, terakhir, mulai, header_get, header_post
local jeda_min, jeda_rentang = 0, 0

function init(args)
  data = dofile(args[1])
  local pengguna = data.pengguna[(id % #data.pengguna) + 1]
  langkah = pengguna.langkah
  ke = (id * 3) % #langkah -- users start at different steps
  jeda_min = data.jeda_min or 0
  jeda_rentang = (data.jeda_maks or jeda_min) - jeda_min
  math.randomseed(7919 * (id + 1)) -- each user its own sequence of waits, the same in every run
  header_get = { Host = data.host, ["X-Forwarded-Proto"] = "https", Cookie = pengguna.cookie }
  header_post = {
    Host = data.host,
    ["X-Forwarded-Proto"] = "https",
    Cookie = pengguna.cookie,
    Origin = data.asal,
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }
end

function delay()
  if jeda_rentang <= 0 then
    return jeda_min
  end
  return jeda_min + math.random(0, jeda_rentang)
end

function request()
  ke = ke % #langkah + 1
  terakhir = langkah[ke]
  mulai = jam()
  if terakhir.body then
    kirim_post = kirim_post + 1
    header_post.Referer = data.asal .. terakhir.path
    return wrk.format("POST", terakhir.path, header_post, terakhir.body)
  end
  return wrk.format("GET", terakhir.path, header_get)
end

function response(status, headers, body)
  local s = terakhir
  if s == nil then
    return
  end
  terakhir = nil
  local ms = (jam() - mulai) / 1000
  local nama = s.nama
  local lat = _G["lat_" .. nama]
  if lat == nil then
    lat = {}
    _G["lat_" .. nama] = lat
    _G["gagal_" .. nama] = 0
    nama_langkah[#nama_langkah + 1] = nama
  end
  lat[#lat + 1] = ms
  local lokasi = headers["Location"] or headers["location"] or ""
  local baik
  if s.harap == 302 then
    baik = status == 302 and lokasi ~= "" and not string.find(lokasi, data.login, 1, true)
  else
    baik = status == s.harap
  end
  if not baik then
    _G["gagal_" .. nama] = _G["gagal_" .. nama] + 1
    if #contoh_gagal < 400 then
      contoh_gagal = contoh_gagal .. nama .. " " .. status .. " " .. lokasi .. "; "
    end
  end
end

local function persentil(urut, p)
  if #urut == 0 then
    return 0
  end
  local i = math.ceil(p / 100 * #urut)
  if i < 1 then
    i = 1
  end
  return urut[i]
end

local function teks_json(s)
  return '"' .. string.gsub(string.gsub(s, "\\", "\\\\"), '"', '\\"') .. '"'
end

function done(summary, latency, requests)
  local lat, gagal, urutan = {}, {}, {}
  local post, contoh = 0, ""
  for _, t in ipairs(para_thread) do
    for _, nama in ipairs(t:get("nama_langkah")) do
      if lat[nama] == nil then
        lat[nama], gagal[nama] = {}, 0
        urutan[#urutan + 1] = nama
      end
      local dst = lat[nama]
      for _, ms in ipairs(t:get("lat_" .. nama)) do
        dst[#dst + 1] = ms
      end
      gagal[nama] = gagal[nama] + t:get("gagal_" .. nama)
    end
    post = post + t:get("kirim_post")
    contoh = contoh .. t:get("contoh_gagal")
  end
  local per = {}
  for _, nama in ipairs(urutan) do
    local x = lat[nama]
    table.sort(x)
    per[#per + 1] = string.format(
      '%s:{"n":%d,"gagal":%d,"p50_ms":%.1f,"p95_ms":%.1f,"p99_ms":%.1f}',
      teks_json(nama), #x, gagal[nama], persentil(x, 50), persentil(x, 95), persentil(x, 99)
    )
  end
  local e = summary.errors
  io.write(string.format(
    'BEBAN-JSON {"durasi_us":%d,"permintaan":%d,"byte":%d,'
      .. '"galat":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},'
      .. '"lat_us":{"p50":%.0f,"p90":%.0f,"p95":%.0f,"p99":%.0f,"maks":%.0f,"rata":%.0f},'
      .. '"per_langkah":{%s},"kirim_post":%d,"contoh_gagal":%s}\n',
    summary.duration, summary.requests, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(95), latency:percentile(99),
    latency.max, latency.mean,
    table.concat(per, ","), post, teks_json(contoh)
  ))
end
