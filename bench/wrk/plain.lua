-- A fixed GET (the path comes on wrk's command line).
dofile(os.getenv("WRK_DIR") .. "/report.lua")
