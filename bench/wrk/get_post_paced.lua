-- GET /post/{id}/ at a steady pace: each connection waits PACE_MS (default
-- 40) between requests, so 8 connections read 200 times a second. Used next
-- to the login flood: the question is whether reads stay fast, not how many
-- fit in what the logins leave.
dofile(os.getenv("WRK_DIR") .. "/report.lua")
local max = tonumber(os.getenv("MAX_POST") or "1000")
local pace = tonumber(os.getenv("PACE_MS") or "40")
request = function()
  return wrk.format("GET", "/post/" .. math.random(1, max) .. "/")
end
delay = function()
  return pace
end
