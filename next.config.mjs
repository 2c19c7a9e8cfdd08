/** @type {import('next').NextConfig} */
const nextConfig = {
  // Separate build folders let several checkouts' test runs build side by side.
  distDir: process.env.GLASSBOX_NEXT_DIR || ".next",
  // Packages that load .wasm / native files relative to themselves must not be bundled.
  serverExternalPackages: ["@electric-sql/pglite", "pglite-prisma-adapter", "bcryptjs"],
  poweredByHeader: false,
  // `npm test` type-checks the whole project (tsc --noEmit, tests and scripts included);
  // repeating it inside every `npm start` build would only slow the first start.
  typescript: { ignoreBuildErrors: true },
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
          { key: "X-Frame-Options", value: "DENY" },
          // Cross-origin isolation, so the model worker gets SharedArrayBuffer and
          // onnxruntime-web can run multi-threaded WASM (lib/llm/browser/). Site-wide on
          // purpose: the worker script (/_next/static/…) and onnxruntime's own thread
          // workers (/ort/…) need COEP on their responses too, not just the page. Safe
          // here because everything the app loads is same-origin (fonts are bundled,
          // models under /models/, no third-party embeds) and sign-in uses no popups or
          // cross-site redirects. A cross-origin image or iframe added later must send
          // Cross-Origin-Resource-Policy (or use crossorigin + CORS), or it will not load.
          { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
          { key: "Cross-Origin-Embedder-Policy", value: "require-corp" },
        ],
      },
    ];
  },
};

export default nextConfig;
