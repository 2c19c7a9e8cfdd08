/**
 * Content Security Policy. Everything the app runs is its own: scripts and workers from this
 * origin (the model, BPE and PCA workers are bundled chunks), WebAssembly compiled by
 * onnxruntime-web ('wasm-unsafe-eval' allows compiling wasm, not eval of JS), styles inline
 * (React style props, KaTeX, charts). 'unsafe-inline' scripts: Next.js inlines its bootstrap
 * and our no-flash theme script; a nonce would force every page to render per request.
 * connect-src allows the Hugging Face hub for the "needs network" model presets only. The
 * dev server needs eval for React Refresh.
 */
const csp = [
  "default-src 'self'",
  `script-src 'self' 'unsafe-inline' 'wasm-unsafe-eval'${process.env.NODE_ENV === "production" ? "" : " 'unsafe-eval'"}`,
  "worker-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self' https://huggingface.co https://*.huggingface.co https://*.hf.co",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

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
          { key: "Content-Security-Policy", value: csp },
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
