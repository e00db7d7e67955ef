// @ts-check
/**
 * ESLint flat config: typescript-eslint's type-aware strict rules, tuned for
 * cdktf code, and eslint-config-prettier last so that no rule fights Prettier
 * (Prettier owns formatting; `npm run lint` runs both).
 */
import eslint from "@eslint/js";
import prettier from "eslint-config-prettier";
import { defineConfig, globalIgnores } from "eslint/config";
import globals from "globals";
import tseslint from "typescript-eslint";

export default defineConfig(
  globalIgnores([
    "node_modules/",
    "cdktf.out/",
    "cdktf.out.staging-*/",
    "**/*.staging-*/",
    ".gen/",
    ".terraform/",
    "coverage/",
    "dist/",
  ]),
  eslint.configs.recommended,
  tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        // Type information from the tsconfig that `tsc --noEmit` uses.
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      // Constructs register themselves with their scope: `new SecureBucket(this, "bucket", …)` without
      // keeping the object is how cdktf code is written.
      "no-new": "off",
      // Numbers and booleans read fine in messages and ARNs; objects and `undefined` still do not.
      "@typescript-eslint/restrict-template-expressions": ["error", { allowNumber: true, allowBoolean: true }],
      // `(x) => void doSomething(x)` noise for arrow shorthands such as `.forEach((e) => set.add(e))`.
      "@typescript-eslint/no-confusing-void-expression": ["error", { ignoreArrowShorthand: true }],
      // `import fs = require("node:fs")` is TypeScript's way to get the module object itself (e.g. for jest.spyOn).
      "@typescript-eslint/no-require-imports": ["error", { allowAsImport: true }],
      // `_unused` parameters are the usual way to keep a callback's signature.
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_" },
      ],
    },
  },
  {
    files: ["__tests__/**/*.ts"],
    rules: {
      // Jest's asymmetric matchers (`expect.any(String)`, `expect.objectContaining(…)`) are typed `any`.
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      // With noUncheckedIndexedAccess, `statements[0]!` on a fixture the test just built is the clear way.
      "@typescript-eslint/no-non-null-assertion": "off",
      // Tests build a fixture, then `delete raw[field]` to check the error for each missing field.
      "@typescript-eslint/no-dynamic-delete": "off",
    },
  },
  {
    // Plain JavaScript (jest.config.js, this file): no type information, CommonJS where the extension says so.
    files: ["**/*.js", "**/*.cjs", "**/*.mjs"],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    files: ["**/*.js", "**/*.cjs", "**/*.mjs"],
    languageOptions: { globals: globals.node },
  },
  {
    files: ["**/*.js", "**/*.cjs"],
    languageOptions: { sourceType: "commonjs" },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  prettier,
);
