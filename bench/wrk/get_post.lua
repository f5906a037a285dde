-- GET /post/{id}/ on random posts of the dataset (MAX_POST in the environment).
dofile(os.getenv("WRK_DIR") .. "/report.lua")
local max = tonumber(os.getenv("MAX_POST") or "1000")
request = function()
  return wrk.format("GET", "/post/" .. math.random(1, max) .. "/")
end
