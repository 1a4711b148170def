// Swagger UI over the gateway's own OpenAPI document, from the gateway's own files (strict CSP, no CDN).
"use strict";
window.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  layout: "BaseLayout",
  deepLinking: false, // its links sit inside the operation buttons (nested controls, unreachable by keyboard)
  syntaxHighlight: {activated: false}, // the highlighter's colours are below WCAG contrast on its dark background
  showExtensions: true,
  showCommonExtensions: true,
  validatorUrl: null, // the default sends the document to validator.swagger.io
  presets: [SwaggerUIBundle.presets.apis],
});
