import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const config = [
  ...nextVitals,
  ...nextTs,
  { ignores: [".next/**", ".next-*/**", "rt-tmp.ts", "node_modules/**", "lib/generated/**", "data/**", "public/**", "next-env.d.ts", "test-results/**"] },
];

export default config;
