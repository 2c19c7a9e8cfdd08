/**
 * A small English stemmer for the tutor's retrieval: M. F. Porter's 1980 algorithm ("An
 * algorithm for suffix stripping"), steps 1a–5b, as published. MiniSearch has no stemmer
 * of its own; with this one "tokenizers", "tokenized" and "tokenizing" all index as
 * "token", so a learner's wording doesn't have to match the lesson's.
 *
 * Words of one or two letters are returned unchanged (as in the original). Input is
 * expected in lower case.
 *
 * Isomorphic: no imports.
 */

const isVowelAt = (w: string, i: number): boolean => {
  const c = w[i];
  if (c === "a" || c === "e" || c === "i" || c === "o" || c === "u") return true;
  // "y" is a vowel after a consonant ("happy"), a consonant at the start or after a vowel ("toy").
  return c === "y" && i > 0 && !isVowelAt(w, i - 1);
};

/** m: the number of vowel→consonant sequences in `stem` (Porter's [C](VC)^m[V]). */
function measure(stem: string): number {
  let m = 0;
  let i = 0;
  const n = stem.length;
  while (i < n && !isVowelAt(stem, i)) i++;
  while (i < n) {
    while (i < n && isVowelAt(stem, i)) i++;
    if (i >= n) break;
    m++;
    while (i < n && !isVowelAt(stem, i)) i++;
  }
  return m;
}

const hasVowel = (stem: string): boolean => {
  for (let i = 0; i < stem.length; i++) if (isVowelAt(stem, i)) return true;
  return false;
};

/** *d: ends with a double consonant. */
const endsDoubleConsonant = (w: string): boolean =>
  w.length >= 2 && w[w.length - 1] === w[w.length - 2] && !isVowelAt(w, w.length - 1);

/** *o: ends consonant-vowel-consonant, the last not w, x or y ("hop", not "snow"). */
const endsCvc = (w: string): boolean => {
  const n = w.length;
  if (n < 3) return false;
  const last = w[n - 1];
  return !isVowelAt(w, n - 3) && isVowelAt(w, n - 2) && !isVowelAt(w, n - 1) && last !== "w" && last !== "x" && last !== "y";
};

/** Replace `suffix` by `replacement` when the remaining stem's measure passes `test`. Returns null when `w` does not end in `suffix`. */
function replaceIf(w: string, suffix: string, replacement: string, test: (stem: string) => boolean): string | null {
  if (!w.endsWith(suffix)) return null;
  const stem = w.slice(0, w.length - suffix.length);
  return test(stem) ? stem + replacement : w;
}

const STEP2: [string, string][] = [
  ["ational", "ate"],
  ["tional", "tion"],
  ["enci", "ence"],
  ["anci", "ance"],
  ["izer", "ize"],
  ["abli", "able"],
  ["alli", "al"],
  ["entli", "ent"],
  ["eli", "e"],
  ["ousli", "ous"],
  ["ization", "ize"],
  ["ation", "ate"],
  ["ator", "ate"],
  ["alism", "al"],
  ["iveness", "ive"],
  ["fulness", "ful"],
  ["ousness", "ous"],
  ["aliti", "al"],
  ["iviti", "ive"],
  ["biliti", "ble"],
];

const STEP3: [string, string][] = [
  ["icate", "ic"],
  ["ative", ""],
  ["alize", "al"],
  ["iciti", "ic"],
  ["ical", "ic"],
  ["ful", ""],
  ["ness", ""],
];

const STEP4 = ["al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ion", "ou", "ism", "ate", "iti", "ous", "ive", "ize"];

/** Longest-suffix rule tables: the first matching suffix decides, whether or not its condition holds. */
function applyTable(w: string, table: [string, string][], test: (stem: string) => boolean): string {
  for (const [suffix, replacement] of table) {
    const r = replaceIf(w, suffix, replacement, test);
    if (r !== null) return r;
  }
  return w;
}

export function stem(word: string): string {
  if (word.length <= 2) return word;
  let w = word;

  // Step 1a: plurals.
  if (w.endsWith("sses")) w = w.slice(0, -2);
  else if (w.endsWith("ies")) w = w.slice(0, -2);
  else if (w.endsWith("ss")) {
    /* unchanged */
  } else if (w.endsWith("s")) w = w.slice(0, -1);

  // Step 1b: -eed, -ed, -ing.
  let extra = false;
  if (w.endsWith("eed")) {
    if (measure(w.slice(0, -3)) > 0) w = w.slice(0, -1);
  } else if (w.endsWith("ed") && hasVowel(w.slice(0, -2))) {
    w = w.slice(0, -2);
    extra = true;
  } else if (w.endsWith("ing") && hasVowel(w.slice(0, -3))) {
    w = w.slice(0, -3);
    extra = true;
  }
  if (extra) {
    if (w.endsWith("at") || w.endsWith("bl") || w.endsWith("iz")) w += "e";
    else if (endsDoubleConsonant(w) && !/[lsz]$/.test(w)) w = w.slice(0, -1);
    else if (measure(w) === 1 && endsCvc(w)) w += "e";
  }

  // Step 1c: y → i after a vowel-bearing stem.
  if (w.endsWith("y") && hasVowel(w.slice(0, -1))) w = `${w.slice(0, -1)}i`;

  // Steps 2 and 3: double and single suffixes to simpler ones (m > 0).
  w = applyTable(w, STEP2, (s) => measure(s) > 0);
  w = applyTable(w, STEP3, (s) => measure(s) > 0);

  // Step 4: drop suffixes (m > 1); -ion only after s or t.
  for (const suffix of STEP4) {
    if (!w.endsWith(suffix)) continue;
    const s = w.slice(0, -suffix.length);
    if (measure(s) > 1 && (suffix !== "ion" || /[st]$/.test(s))) w = s;
    break;
  }

  // Step 5a: final -e.
  if (w.endsWith("e")) {
    const s = w.slice(0, -1);
    const m = measure(s);
    if (m > 1 || (m === 1 && !endsCvc(s))) w = s;
  }
  // Step 5b: -ll → -l (m > 1).
  if (measure(w) > 1 && endsDoubleConsonant(w) && w.endsWith("l")) w = w.slice(0, -1);
  return w;
}
