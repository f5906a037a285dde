-- POST /token as random seeded users (all share the seed password).
dofile(os.getenv("WRK_DIR") .. "/report.lua")
local names = {}
for line in io.lines(os.getenv("USERS")) do names[#names + 1] = line end
local password = os.getenv("PASSWORD")
request = function()
  return wrk.format("POST", "/token", { ["Content-Type"] = "application/x-www-form-urlencoded" },
    "username=" .. names[math.random(1, #names)] .. "&password=" .. password)
end
