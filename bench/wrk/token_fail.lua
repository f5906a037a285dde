-- POST /token with a wrong password, as random seeded users: 401s.
dofile(os.getenv("WRK_DIR") .. "/report.lua")
local names = {}
for line in io.lines(os.getenv("USERS")) do names[#names + 1] = line end
request = function()
  return wrk.format("POST", "/token", { ["Content-Type"] = "application/x-www-form-urlencoded" },
    "username=" .. names[math.random(1, #names)] .. "&password=not-the-password")
end
