-- POST /post/{id}/like/ as random seeded users on random posts of the
-- dataset (MAX_POST): mostly new likes, each with its notification.
dofile(os.getenv("WRK_DIR") .. "/report.lua")
local tokens = {}
for line in io.lines(os.getenv("TOKENS")) do tokens[#tokens + 1] = line end
local max = tonumber(os.getenv("MAX_POST") or "1000")
request = function()
  return wrk.format("POST", "/post/" .. math.random(1, max) .. "/like/", {
    ["Authorization"] = "Bearer " .. tokens[math.random(1, #tokens)],
  })
end
