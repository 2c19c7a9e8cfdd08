/**
 * The tutor's retrieval, in one place: the corpus of lesson passages and quiz explanations
 * (./corpus.ts: built from content/, cached per process), its BM25 index with the course's
 * learner vocabulary and relevance threshold (./search.ts), and the stemmer (./stem.ts).
 *
 * Callers use the entry points below; the rest is exported from the files themselves for
 * tests and the retrieval benchmark (scripts/bench/retrieval.ts). Server-only (it reads the
 * lessons from disk): the browser asks POST /api/tutor/retrieve.
 */
export { chunkSection, nearestLessons, retrieveForQuestion, retrievePassages, scoreQuery, tutorCorpus, type TutorCorpus } from "./corpus.ts";
export type { LessonSuggestion, PassageDoc, RetrievedPassage, Retrieval } from "../types.ts";
