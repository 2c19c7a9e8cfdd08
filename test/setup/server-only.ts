// `server-only` throws when imported outside a React Server environment; Vitest runs our
// server modules directly in Node, which is the server, so the guard is satisfied here.
import { vi } from "vitest";

vi.mock("server-only", () => ({}));
