/**
 * The blind review's verdicts (public/models/course-lm/review.json), read by the eval and the
 * model card. A reply may carry two reviewers' verdicts (`second`): both judged every reply, to
 * show how much two strict reviewers differ; a share then weighs each reply once, as the mean of
 * its verdicts.
 */
export interface Judgement {
  coherent: boolean;
  helpful: boolean;
  note?: string;
}

export interface Verdict extends Judgement {
  question: string;
  reply: string;
  /** Another reviewer's verdict on the same reply. */
  second?: Judgement;
}

/** Share of replies judged coherent / helpful (0 for none), each reply counted once. */
export function verdictShare(verdicts: readonly Verdict[], key: "coherent" | "helpful"): number {
  if (verdicts.length === 0) return 0;
  const score = (v: Verdict) => (v.second ? (Number(v[key]) + Number(v.second[key])) / 2 : Number(v[key]));
  return verdicts.reduce((sum, v) => sum + score(v), 0) / verdicts.length;
}

/** How often the two reviewers agree on `key`, over the replies both judged; null when none were. */
export function reviewerAgreement(verdicts: readonly Verdict[], key: "coherent" | "helpful"): { agreed: number; of: number } | null {
  const both = verdicts.filter((v) => v.second);
  return both.length === 0 ? null : { agreed: both.filter((v) => v[key] === v.second![key]).length, of: both.length };
}
