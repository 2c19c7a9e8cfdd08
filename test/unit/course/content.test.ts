/**
 * Every lesson and quiz file in content/level-1, checked the way the app reads them: valid
 * frontmatter and quiz schema, the structure content/README.md asks for, sections that the
 * tutor can link to, and links between lessons that resolve.
 */
import fs from "node:fs";
import path from "node:path";
import { compile } from "@mdx-js/mdx";
import { describe, expect, it } from "vitest";
import { CHALLENGES, challengeById, findChallengeTags } from "@/lib/course/challenges";
import { DEMO_KINDS, findDemoTags, isDemoKind } from "@/lib/course/demos";
import { isLessonSlug, lessonSlugs } from "@/lib/course/lesson-files";
import { courseSections, getLessons, lessonOutline, parseLesson, type Lesson } from "@/lib/course/lessons";
import { rehypePlugins, remarkPlugins } from "@/lib/course/mdx-options";
import { getQuiz, parseQuiz } from "@/lib/course/quizzes";
import type { Question } from "@/lib/course/quiz-schema";

const DIR = path.join(process.cwd(), "content", "level-1");
const lessonFiles = fs.readdirSync(DIR).filter((f) => f.endsWith(".mdx")).sort();
const quizFiles = fs.readdirSync(DIR).filter((f) => f.endsWith(".quiz.json")).sort();
const lessons = getLessons();
const sectionsOf = (lesson: Lesson) => lessonOutline(lesson).sections;
const slugs = new Set(lessons.map((l) => l.slug));

describe("Level 1 lessons", () => {
  it("are 26, numbered 01–26 in order", () => {
    expect(lessonFiles).toHaveLength(26);
    expect(lessons.map((l) => l.number)).toEqual(Array.from({ length: 26 }, (_, i) => i + 1));
  });

  it("are known by slug to the request proxy (which 404s any other)", () => {
    expect(lessonSlugs()).toEqual(lessons.map((l) => l.slug));
    expect(isLessonSlug("04-tokens")).toBe(true);
    for (const slug of ["99-nope", "04-Tokens", "../04-tokens", "04-tokens.mdx", ""]) expect(isLessonSlug(slug), slug).toBe(false);
  });

  it.each(lessonFiles)("%s has valid frontmatter", (file) => {
    expect(() => parseLesson(file, fs.readFileSync(path.join(DIR, file), "utf8"))).not.toThrow();
  });

  describe.each(lessons.map((l) => [l.slug, l] as const))("%s", (_slug, lesson) => {
    it("has an intuitive part, a Deep dive with maths and a Recap", () => {
      const headings = sectionsOf(lesson).filter((s) => s.depth === 2).map((s) => s.heading);
      expect(headings.length).toBeGreaterThanOrEqual(3);
      expect(headings).toContain("Deep dive");
      expect(headings.at(-1)).toBe("Recap");
      expect(headings.indexOf("Deep dive")).toBeGreaterThan(0);
      const deepDive = sectionsOf(lesson).find((s) => s.slug === "deep-dive")!;
      expect(lesson.body.slice(lesson.body.indexOf("## Deep dive"))).toMatch(/\$[^$]+\$/);
      expect(deepDive.text.length).toBeGreaterThan(0);
    });

    it("has text in every ## section (itself or its ### subsections)", () => {
      for (const section of sectionsOf(lesson).filter((s) => s.depth === 2)) {
        const children = sectionsOf(lesson).filter((s) => s.parentSlug === section.slug);
        const words = section.wordCount + children.reduce((n, c) => n + c.wordCount, 0);
        expect(words, `${lesson.slug} § ${section.heading}`).toBeGreaterThan(0);
        expect(section.text.trim().length + children.reduce((n, c) => n + c.text.length, 0)).toBeGreaterThan(0);
      }
    });

    it("has at least 350 words of prose", () => {
      expect(lessonOutline(lesson).wordCount).toBeGreaterThanOrEqual(350);
    });

    it("has unique section anchors", () => {
      const anchors = sectionsOf(lesson).map((s) => s.slug);
      expect(new Set(anchors).size).toBe(anchors.length);
    });

    it("embeds at least one live demo, each of a known kind with its props", () => {
      const demos = findDemoTags(lesson.body);
      expect(demos.length).toBeGreaterThanOrEqual(1);
      for (const demo of demos) {
        expect(isDemoKind(demo.kind), `unknown demo kind "${demo.kind}"`).toBe(true);
        if (!isDemoKind(demo.kind)) continue;
        for (const prop of DEMO_KINDS[demo.kind].props) expect(demo.props[prop], `${demo.kind} needs ${prop}`).toBeTruthy();
      }
    });

    it("shows only inspector challenges that exist and belong to this lesson", () => {
      for (const id of findChallengeTags(lesson.body)) {
        const challenge = challengeById(id);
        expect(challenge, `unknown challenge "${id}"`).toBeDefined();
        expect(challenge?.lessonSlug).toBe(lesson.slug);
      }
    });

    it("lists prerequisites that are earlier lessons", () => {
      for (const prerequisite of lesson.prerequisites) {
        expect(slugs.has(prerequisite), prerequisite).toBe(true);
        expect(prerequisite < lesson.slug, prerequisite).toBe(true);
      }
    });

    it("links only to lessons and sections that exist", () => {
      for (const [, target, anchor] of lesson.body.matchAll(/\]\(\/learn\/level-1\/([^)#\s]+)(?:#([^)\s]+))?\)/g)) {
        const linked = lessons.find((l) => l.slug === target);
        expect(linked, `link to ${target}`).toBeDefined();
        if (anchor) expect(sectionsOf(linked!).map((s) => s.slug), `anchor #${anchor} in ${target}`).toContain(anchor);
      }
    });
  });

  it("renders every lesson's maths without KaTeX errors, with the same heading anchors as the section index", async () => {
    // Compile every lesson with the page's own plugins and collect the ids rehype-slug set.
    for (const lesson of lessons) {
      const ids: string[] = [];
      const collectIds = () => (tree: { children?: unknown[] }) => {
        const visit = (node: { type?: string; tagName?: string; properties?: { id?: string }; children?: unknown[] }) => {
          if (node.type === "element" && /^h[23]$/.test(node.tagName ?? "") && node.properties?.id) ids.push(node.properties.id);
          (node.children as (typeof node)[] | undefined)?.forEach(visit);
        };
        visit(tree);
      };
      const code = String(await compile(lesson.body, { remarkPlugins, rehypePlugins: [...rehypePlugins, collectIds] }));
      expect(ids, lesson.slug).toEqual(sectionsOf(lesson).map((s) => s.slug));
      expect(code, lesson.slug).toContain('"katex"');
      expect(code, lesson.slug).not.toContain("katex-error");
    }
  });

  it("shows every inspector challenge exactly once, in its own lesson", () => {
    const shown = lessons.flatMap((lesson) => findChallengeTags(lesson.body).map((id) => `${lesson.slug}:${id}`));
    expect(shown.sort()).toEqual(CHALLENGES.map((c) => `${c.lessonSlug}:${c.id}`).sort());
  });

  it("exposes sections as plain text without demo tags or markdown syntax", () => {
    const tokens = lessons.find((l) => l.slug === "04-tokens")!;
    const first = sectionsOf(tokens)[0];
    expect(first).toMatchObject({ depth: 2, heading: "Models read pieces, not words", slug: "models-read-pieces-not-words", parentSlug: null });
    expect(first.text).toContain("a tokenizer cuts it into pieces called tokens");
    expect(first.text).not.toMatch(/<Demo|\*\*/);
    const indexed = courseSections().find((s) => s.lessonSlug === "04-tokens" && s.sectionSlug === "deep-dive");
    expect(indexed).toMatchObject({ lessonTitle: "Tokens", heading: "Deep dive", href: "/learn/level-1/04-tokens#deep-dive" });
    expect(courseSections().length).toBe(lessons.reduce((n, l) => n + sectionsOf(l).length, 0));
  });
});

describe("Level 1 quizzes", () => {
  it("exist for every lesson, and only for lessons", () => {
    expect(quizFiles.map((f) => f.replace(".quiz.json", ""))).toEqual(lessons.map((l) => l.slug));
  });

  it.each(quizFiles)("%s validates against the quiz schema", (file) => {
    const quiz = parseQuiz(file, fs.readFileSync(path.join(DIR, file), "utf8"));
    expect(quiz.questions.length).toBeGreaterThanOrEqual(5);
    // Mixed: at least two question types in each quiz.
    expect(new Set(quiz.questions.map((q) => q.type)).size).toBeGreaterThanOrEqual(2);
    for (const question of quiz.questions) {
      if (question.type === "single" || question.type === "multiple") {
        for (const option of question.options) expect(option.explanation.length, `${question.id}/${option.id}`).toBeGreaterThan(10);
      }
    }
  });

  it("asks no question twice across lessons: no two lessons' questions share most of their words", () => {
    // Words of a question's stem and options. Measured: the copies the course review found (the
    // 50,257 × 768 table in 07 and 08, the course-lm token count in 04 and 05) overlapped 0.70–0.88;
    // the most similar distinct questions now (two tokenizer counts of different texts) 0.61.
    // A reworded copy of the same idea can still slip under this; it catches the pasted ones.
    const words = (q: Question) =>
      new Set(`${q.prompt} ${"options" in q ? q.options.map((o) => o.text).join(" ") : ""}`.toLowerCase().match(/[a-z0-9]+/g) ?? []);
    const all = lessons.flatMap((l) => getQuiz(l.slug)!.questions.map((q) => ({ at: `${l.slug}/${q.id}`, lesson: l.slug, words: words(q) })));
    const copies: string[] = [];
    for (const [i, a] of all.entries()) {
      for (const b of all.slice(i + 1)) {
        if (a.lesson === b.lesson) continue;
        const shared = [...a.words].filter((w) => b.words.has(w)).length;
        const overlap = shared / (a.words.size + b.words.size - shared);
        if (overlap >= 0.65) copies.push(`${a.at} ~ ${b.at} (${overlap.toFixed(2)})`);
      }
    }
    expect(copies).toEqual([]);
  });

  it("covers every question type somewhere in the course", () => {
    const types = new Set(lessons.flatMap((l) => getQuiz(l.slug)!.questions.map((q) => q.type)));
    expect([...types].sort()).toEqual(["multiple", "numeric", "single", "tokenizer"]);
  });

  it("rejects malformed quizzes with the file and the field", () => {
    const bad = {
      lesson: "04-tokens",
      questions: [
        {
          id: "q",
          type: "single",
          prompt: "?",
          options: [
            { id: "a", text: "A", correct: true, explanation: "x" },
            { id: "b", text: "B", correct: true, explanation: "y" },
          ],
        },
      ],
    };
    expect(() => parseQuiz("04-tokens.quiz.json", JSON.stringify(bad))).toThrow(/04-tokens\.quiz\.json: bad quiz: .*(exactly one correct|questions)/);
    expect(() => parseQuiz("04-tokens.quiz.json", "{nope")).toThrow(/not valid JSON/);
    const wrongLesson = JSON.parse(fs.readFileSync(path.join(DIR, "04-tokens.quiz.json"), "utf8"));
    expect(() => parseQuiz("05-bpe.quiz.json", JSON.stringify(wrongLesson))).toThrow(/expected 05-bpe/);
    const numericWithoutExplanation = { ...wrongLesson, questions: [...wrongLesson.questions.slice(0, 5), { id: "n", type: "numeric", prompt: "?", answer: 1 }] };
    expect(() => parseQuiz("04-tokens.quiz.json", JSON.stringify(numericWithoutExplanation))).toThrow(/questions\.5\.explanation/);
  });

  it("rejects bad frontmatter naming the field", () => {
    expect(() => parseLesson("04-x.mdx", '---\ntitle: "X"\nminutes: "eight"\n---\n## A\ntext')).toThrow(/04-x\.mdx: bad frontmatter: .*minutes/);
  });

  it("returns null for a slug that is not a lesson (and never reads outside content/)", () => {
    expect(getQuiz("99-nope")).toBeNull();
    expect(getQuiz("../../package")).toBeNull();
  });
});
