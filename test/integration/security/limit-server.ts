/**
 * Child process for shared-rate-limit.test.ts: one "app server" as far as the sign-in limit
 * goes. It loads the app's own lib/auth/limits (which, with DATABASE_URL naming PostgreSQL,
 * counts in the shared `rate_limits` table), makes argv[3] sign-in attempts for the email
 * argv[2], and prints the results as one JSON line.
 */
import { limitAuthAttempt } from "@/lib/auth/limits";

const email = process.argv[2]!;
const attempts = Number(process.argv[3]);
const results = [];
for (let i = 0; i < attempts; i++) results.push(await limitAuthAttempt("signin", "203.0.113.7", email));
process.stdout.write(`${JSON.stringify(results)}\n`);
