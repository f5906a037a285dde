// Renders this server's OpenAPI document with ReDoc, as the original FastAPI
// app's /redoc did. Search runs in a worker made from a blob, which the
// page's Content-Security-Policy does not allow: it is off.
Redoc.init("/openapi.json", { disableSearch: true }, document.getElementById("redoc"));
