-- GET /post/user/{username}/?limit=50 for random seeded users (USERS file, one name a line).
dofile(os.getenv("WRK_DIR") .. "/report.lua")
local names = {}
for line in io.lines(os.getenv("USERS")) do names[#names + 1] = line end
request = function()
  return wrk.format("GET", "/post/user/" .. names[math.random(1, #names)] .. "/?limit=50")
end
