// Starts Swagger UI on this server's OpenAPI document. "Authorize" logs in
// through /token (OAuth2 password flow); "Try it out" then calls the API.
window.onload = function () {
  window.ui = SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    persistAuthorization: true,
    tryItOutEnabled: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
};
