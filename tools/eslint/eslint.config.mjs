// ESLint for every JavaScript file we write (make lint): the pages' ES modules, the three classic scripts that
// stay standalone (embed.js, embed-page.js, docs.js), the JavaScript tests and the map-data build script.
// Vendored files (web/vendor) are other projects' builds and are not linted. Paths are from the repository root (run it there with -c, as make lint does).
import js from "@eslint/js";
import { defineConfig, globalIgnores } from "eslint/config";
import globals from "globals";

const WEB = "gateway/veche_gateway/web";

export default defineConfig([
  globalIgnores([`${WEB}/vendor/**`, "**/node_modules/**", ".venv/**", ".build/**", ".tools/**", ".local/**"]),
  {
    files: ["**/*.js", "**/*.mjs", "**/*.cjs"],
    extends: [js.configs.recommended],
    rules: {
      eqeqeq: ["error", "always"],
      "no-implicit-globals": "error",
      "no-shadow": ["error", { builtinGlobals: false }],
      "no-unused-vars": ["error", { args: "after-used", caughtErrors: "none" }],
      "prefer-const": "error",
    },
  },
  {
    // the pages: ES modules in the browser (type="module"), one folder per page, sharing web/shared
    files: [`${WEB}/*/**/*.js`],
    languageOptions: { sourceType: "module", globals: globals.browser },
    rules: { "no-var": "error" },
  },
  {
    // standalone classic scripts: embed.js runs on other sites (docs/embedding.md), docs.js drives Swagger UI
    files: [`${WEB}/*.js`],
    languageOptions: { sourceType: "script", ecmaVersion: 2017, globals: { ...globals.browser, SwaggerUIBundle: "readonly" } },
  },
  {
    files: ["tests/js/**/*.js", "tests/**/*.mjs"],
    languageOptions: { sourceType: "module", globals: globals.node },
  },
  {
    files: ["tools/**/*.cjs"],
    languageOptions: { sourceType: "commonjs", globals: globals.node },
  },
]);
