-- Writers as bench/load.sh's: random seeded members post (4 in 10), reply to
-- a random post of the dataset (3 in 10) and like one (3 in 10).
dofile(os.getenv("WRK_DIR") .. "/report.lua")
local tokens = {}
for line in io.lines(os.getenv("TOKENS")) do tokens[#tokens + 1] = line end
local max = tonumber(os.getenv("MAX_POST") or "1000")
local n = 0
request = function()
  n = n + 1
  local auth = "Bearer " .. tokens[math.random(1, #tokens)]
  local r = math.random(1, 10)
  if r <= 3 then
    return wrk.format("POST", "/post/" .. math.random(1, max) .. "/like/", {["Authorization"] = auth})
  end
  local body = '{"text":"written during the dump ' .. n .. '"}'
  if r <= 6 then
    body = '{"text":"a reply during the dump ' .. n .. '","parent_id":' .. math.random(1, max) .. '}'
  end
  return wrk.format("POST", "/post/", {["Authorization"] = auth, ["Content-Type"] = "application/json"}, body)
end
