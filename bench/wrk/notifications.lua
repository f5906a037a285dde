-- GET NOTIFY_PATH (/notifications/?limit=20 by default) as the member whose
-- token is NOTIFY_TOKEN.
dofile(os.getenv("WRK_DIR") .. "/report.lua")
local path = os.getenv("NOTIFY_PATH") or "/notifications/?limit=20"
local token = os.getenv("NOTIFY_TOKEN")
request = function()
  return wrk.format("GET", path, { ["Authorization"] = "Bearer " .. token })
end
