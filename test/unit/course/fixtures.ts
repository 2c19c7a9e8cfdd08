import { quizSchema, type Quiz } from "@/lib/course/quiz-schema";

/** A small quiz with one question of each type, parsed by the real schema. */
export const fixtureQuiz: Quiz = quizSchema.parse({
  lesson: "99-fixture",
  questions: [
    {
      id: "pick-one",
      type: "single",
      prompt: "Which one?",
      options: [
        { id: "a", text: "Right", correct: true, explanation: "Because it is right." },
        { id: "b", text: "Wrong", correct: false, explanation: "Because it is wrong." },
        { id: "c", text: "Also wrong", correct: false, explanation: "Also wrong, and here is why." },
      ],
    },
    {
      id: "pick-many",
      type: "multiple",
      prompt: "Select all that apply.",
      options: [
        { id: "a", text: "Yes 1", correct: true, explanation: "x" },
        { id: "b", text: "Yes 2", correct: true, explanation: "x" },
        { id: "c", text: "Yes 3", correct: true, explanation: "x" },
        { id: "d", text: "No", correct: false, explanation: "x" },
      ],
    },
    { id: "compute", type: "numeric", prompt: "1.95?", answer: 1.95, tolerance: 0.02, unit: "× 10⁻⁴", explanation: "Worked solution." },
    { id: "exact", type: "numeric", prompt: "Exactly 3072?", answer: 3072, tolerance: 0, explanation: "3 × 1024." },
    { id: "count", type: "tokenizer", prompt: "How many tokens?", tokenizer: "gpt2", text: "Hello world", explanation: "Hello + world." },
  ],
});

/** A counter that "knows" GPT-2 says 2 for the fixture's text and has no other tokenizer. */
export const fakeCounter = async (tokenizer: string, text: string) => (tokenizer === "gpt2" && text === "Hello world" ? 2 : null);
export const noTokenizers = async () => null;

export const allRight = { "pick-one": "a", "pick-many": ["a", "b", "c"], compute: 1.95, exact: 3072, count: 2 };
