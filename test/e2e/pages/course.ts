import { expect, type Page } from "@playwright/test";
import type { Quiz } from "@/lib/course/quiz-schema";
import { showDemo } from "./lesson";

/** Page object for lessons, their quizzes, the course map and the progress dashboard. */
export class CoursePages {
  constructor(private readonly page: Page) {}

  async openLesson(slug: string) {
    await this.page.goto(`/learn/level-1/${slug}`);
  }

  quiz() {
    return this.page.locator("#quiz");
  }

  async markAsRead() {
    await this.page.getByRole("button", { name: "Mark as read" }).click();
    await expect(this.page.getByTestId("lesson-read")).toBeVisible();
  }

  /**
   * Answers every question, right or wrong, using the quiz file's key (the test knows it;
   * the page never does). Tokenizer questions get `tokenizerAnswer`.
   */
  async answer(quiz: Quiz, mode: "right" | "wrong", tokenizerAnswer = "1") {
    await showDemo(this.page, "quiz"); // the quiz loads as the learner scrolls to it
    for (const question of quiz.questions) {
      const field = this.page.locator(`#question-${question.id}`);
      switch (question.type) {
        case "single": {
          const option = question.options.find((o) => o.correct === (mode === "right"))!;
          await field.getByRole("radio", { name: option.text, exact: true }).check();
          break;
        }
        case "multiple":
          for (const option of question.options) {
            const box = field.getByRole("checkbox", { name: option.text, exact: true });
            if (option.correct === (mode === "right")) await box.check();
          }
          break;
        case "numeric":
          await field.getByRole("textbox", { name: "Your answer" }).fill(String(mode === "right" ? question.answer : question.answer + question.tolerance + 1));
          break;
        case "tokenizer":
          await field.getByRole("textbox", { name: "Your answer" }).fill(tokenizerAnswer);
          break;
      }
    }
  }

  async submit() {
    await this.page.getByRole("button", { name: "Check my answers" }).click();
    await expect(this.page.getByTestId("quiz-result")).toBeVisible();
  }

  result() {
    return this.page.getByTestId("quiz-result");
  }

  /** The course map's entry for a lesson. */
  mapEntry(slug: string) {
    return this.page.locator(`[data-lesson="${slug}"]`);
  }
}
