// Swagger UI of ministra-manager: our document (not the WebJar's demo document), no call to the online
// validator (the reference works offline), and "Authorize" with a bearer token or Basic for "Try it out".
window.onload = function () {
  window.ui = SwaggerUIBundle({
    url: "../openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    plugins: [SwaggerUIBundle.plugins.DownloadUrl],
    layout: "StandaloneLayout"
  });
};
