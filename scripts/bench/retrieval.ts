/**
 * Retrieval benchmark for the tutor: over the paraphrase set of test/unit/tutor/questions.ts,
 * how often the right lesson (`lesson` or `also`) is the first / among the first three
 * distinct lessons ranked, by lesson; and how many off-topic questions retrieve nothing
 * (the relevance threshold's precision). Lists every miss with what was found instead.
 *
 *   npx tsx scripts/bench/retrieval.ts               the whole set
 *   npx tsx scripts/bench/retrieval.ts "question" …  the best passages for each question (tuning)
 *
 * Deterministic (BM25 over content/level-1), so one run is the measurement; nothing is timed.
 */
import { retrievePassages, scoreQuery } from "../../lib/tutor/retrieval/index.ts";
import { isRelevant, learnerExpansions, rankLessons } from "../../lib/tutor/retrieval/search.ts";
import { LOOKALIKE_OFF_TOPIC, OFF_TOPIC, ON_TOPIC } from "../../test/unit/tutor/questions.ts";

const asked = process.argv.slice(2);
if (asked.length > 0) {
  for (const q of asked) {
    console.log(q, learnerExpansions(q).map((l) => `[${l.span} → ${l.terms}]`).join(" "));
    for (const s of scoreQuery(q).slice(0, 6)) {
      console.log(`  ${s.score.toFixed(1).padStart(7)}  cov ${s.coverage.toFixed(2)}  ${isRelevant(s) ? "relevant" : "        "}  ${s.doc.id}`);
    }
  }
  process.exit(0);
}

const pct = (n: number, of: number) => `${n}/${of} (${of === 0 ? "–" : ((100 * n) / of).toFixed(1)} %)`;

interface Row {
  top1: number;
  top3: number;
  total: number;
}
const byLesson = new Map<string, Row>();
const misses: string[] = [];
let top1 = 0;
let top3 = 0;
for (const q of ON_TOPIC) {
  const ranked = rankLessons(scoreQuery(q.q), 3);
  const right = (slug: string | undefined) => slug !== undefined && (slug === q.lesson || slug === q.also);
  const hit1 = right(ranked[0]);
  const hit3 = ranked.some(right);
  const row = byLesson.get(q.lesson) ?? { top1: 0, top3: 0, total: 0 };
  row.total++;
  if (hit1) row.top1++;
  if (hit3) row.top3++;
  byLesson.set(q.lesson, row);
  if (hit1) top1++;
  if (hit3) top3++;
  if (!hit1) misses.push(`${hit3 ? "top-3" : "MISS "} ${JSON.stringify(q.q)} → ${ranked.join(", ") || "(nothing)"} (want ${q.lesson}${q.also ? ` or ${q.also}` : ""})`);
}

const offHits = OFF_TOPIC.filter((q) => retrievePassages(q).length > 0);
// A course question under the threshold gets the "not in the course" reply, however well it ranks.
const unanswered = ON_TOPIC.filter((q) => retrievePassages(q.q).length === 0).map((q) => q.q);

console.log("lesson".padEnd(38), "top-1".padEnd(8), "top-3");
for (const [lesson, r] of [...byLesson].sort(([a], [b]) => a.localeCompare(b))) {
  console.log(lesson.padEnd(38), `${r.top1}/${r.total}`.padEnd(8), `${r.top3}/${r.total}`);
}
console.log();
console.log(`on-topic questions: ${ON_TOPIC.length}`);
console.log(`top-1: ${pct(top1, ON_TOPIC.length)}`);
console.log(`top-3: ${pct(top3, ON_TOPIC.length)}`);
console.log(`on-topic over the relevance threshold: ${pct(ON_TOPIC.length - unanswered.length, ON_TOPIC.length)}`);
console.log(`off-topic precision (nothing retrieved): ${pct(OFF_TOPIC.length - offHits.length, OFF_TOPIC.length)}`);
if (misses.length > 0) console.log(`\nnot first (top-3 = found in the first three lessons, MISS = not even there):\n${misses.join("\n")}`);
const lookalikeHits = LOOKALIKE_OFF_TOPIC.filter((q) => retrievePassages(q).length > 0);
console.log(`look-alike off-topic (not asserted) retrieving nothing: ${pct(LOOKALIKE_OFF_TOPIC.length - lookalikeHits.length, LOOKALIKE_OFF_TOPIC.length)}`);
if (unanswered.length > 0) console.log(`\ncourse questions that retrieved nothing:\n${unanswered.join("\n")}`);
if (offHits.length > 0) console.log(`\noff-topic questions that retrieved passages:\n${offHits.join("\n")}`);
