/**
 * `npm run standins` — build the offline stand-ins of the hub presets (scripts/lib/standins.ts)
 * and print where they are, for GLASSBOX_MODEL_DIR:
 *
 *   npm run standins
 *   GLASSBOX_MODEL_DIR=data/standins/qwen2-standin npm run generate -- --model local --chat --json --greedy --prompt "What is a token?"
 */
import path from "node:path";
import { STANDINS, standinDir } from "../lib/standins.ts";

for (const name of STANDINS) console.log(`${name}\t${path.relative(process.cwd(), standinDir(name))}`);
