-- GET /user/timeline/?limit=50 as random seeded users (TOKENS file, one access token a line).
dofile(os.getenv("WRK_DIR") .. "/report.lua")
local tokens = {}
for line in io.lines(os.getenv("TOKENS")) do tokens[#tokens + 1] = line end
request = function()
  return wrk.format("GET", "/user/timeline/?limit=50", { ["Authorization"] = "Bearer " .. tokens[math.random(1, #tokens)] })
end
