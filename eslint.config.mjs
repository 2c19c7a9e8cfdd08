import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

/**
 * The code's layers (issue #17). An import is matched however it is written: through the
 * `@/` alias, or as a relative path (`../../app/x`, with or without `.ts`). Relative paths
 * are matched by the folder they climb into, so `lib/` must not grow subfolders named like
 * a root layer (app, components, test, db, http, auth).
 *
 *   lib/          never imports app/, components/ or test/; imports relatively, with extensions
 *   components/   never imports app/ or test/
 *   app/          never imports test/
 *   lib/llm/      (the engine core, all but lib/llm/server/) never imports Next, Auth.js,
 *                 Prisma (@prisma/*, lib/generated), lib/db, lib/http or lib/auth
 */
const layer = (regex, message) => ({ regex, message });

const LIB = [
  layer("^@/(app|components|test)(/|$)", "lib/ must not import app/, components/ or test/: move what both need into lib/."),
  layer("^(\\./)?(\\.\\./)+(app|components|test)(/|$)", "lib/ must not import app/, components/ or test/: move what both need into lib/."),
  // One import style inside lib/: relative, with the file's extension — what plain Node, tsx and the worker bundle all resolve.
  layer("^@/", "Inside lib/, import relatively with the extension (\"../tutor/plan.ts\"), not through the @/ alias."),
  layer("^\\.{1,2}/(?!.*\\.(?:tsx?|json|css)$)", "Inside lib/, a relative import names the file with its extension (\"./plan.ts\", \"./retrieval/index.ts\")."),
];
const COMPONENTS = [
  layer("^@/(app|test)(/|$)", "components/ must not import app/ or test/: move what both need into lib/."),
  layer("^(\\./)?(\\.\\./)+(app|test)(/|$)", "components/ must not import app/ or test/: move what both need into lib/."),
];
const APP = [
  layer("^@/test(/|$)", "app/ must not import test/: move what both need into lib/."),
  layer("^(\\./)?(\\.\\./)+test(/|$)", "app/ must not import test/: move what both need into lib/."),
];
const ENGINE_MESSAGE = "The engine core (lib/llm, except lib/llm/server) runs in the browser and in scripts: no Next, Auth.js, Prisma, lib/db, lib/http or lib/auth.";
const ENGINE = [
  layer("^(next|next-auth)(/|$)", ENGINE_MESSAGE),
  layer("^@prisma/", ENGINE_MESSAGE),
  layer("^@/lib/(db|http|auth|generated)(/|$)", ENGINE_MESSAGE),
  layer("^(\\./)?(\\.\\./)+(lib/)?(db|http|auth|generated)(/|$)", ENGINE_MESSAGE),
];

/** The same patterns for `import("…")`, which no-restricted-imports does not see. */
function dynamicImports(groups) {
  return groups.map(({ regex, message }) => ({
    // esquery regexes end at the first "/": spell it \x2F.
    selector: `ImportExpression[source.value=/${regex.replaceAll("/", "\\x2F")}/]`,
    message,
  }));
}

/** One block per layer; a block names every group that applies, since a later block's options replace an earlier one's. */
function layerRules(files, groups, ignores) {
  return {
    files,
    ...(ignores ? { ignores } : {}),
    rules: {
      "no-restricted-imports": ["error", { patterns: groups }],
      "no-restricted-syntax": ["error", ...dynamicImports(groups)],
    },
  };
}

const config = [
  ...nextVitals,
  ...nextTs,
  { ignores: [".next/**", ".next-*/**", "rt-tmp.ts", "node_modules/**", "lib/generated/**", "data/**", "public/**", "next-env.d.ts", "test-results/**", ".scratch/**"] },
  layerRules(["lib/**"], LIB),
  layerRules(["lib/llm/**"], [...LIB, ...ENGINE], ["lib/llm/server/**"]),
  layerRules(["components/**"], COMPONENTS),
  layerRules(["app/**"], APP),
];

export default config;
