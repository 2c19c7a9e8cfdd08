/**
 * A fresh random key for one quiz attempt. The browser sends it with the submission and
 * re-sends the same key on a retry, so the server stores the attempt once.
 * `crypto.randomUUID` exists only in secure contexts (https, localhost); on plain http
 * (e.g. a LAN address) fall back to `getRandomValues`, which is always there.
 */
export function newIdempotencyKey(): string {
  const webCrypto = globalThis.crypto;
  if (typeof webCrypto.randomUUID === "function") return webCrypto.randomUUID();
  return Array.from(webCrypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
}
