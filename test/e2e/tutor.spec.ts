/**
 * The tutor (/tutor) against the production build and the real course-lm: ask → the reply
 * streams → open the inspector → pick a token → branch → the branch appears as a sibling;
 * anonymous chat works without an account (and survives a reload, in this browser only);
 * an off-topic question gets the fixed "not in the course" reply; the text a reply copied
 * from its lesson passages is marked and linked, in the chat and the inspector (on a saved
 * conversation of real replies, test/fixtures/tutor/grounded-chat.json); a signed-in learner's
 * conversations are saved, listed, renamed and deleted; the browser backend runs the same
 * turn in the page; the layout holds at 375 px.
 *
 * course-lm is being re-trained: nothing here depends on what a reply says, only on how it
 * is produced, shown and stored.
 */
import { readFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { AuthPages, uniqueEmail } from "./pages/auth";

const QUESTION = "How does temperature change the next-token distribution?";

function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error" && !message.text().startsWith("Failed to load resource")) errors.push(message.text());
  });
  return errors;
}

function tutor(page: Page) {
  const chat = page.getByTestId("chat");
  return {
    input: page.getByLabel("Your question"),
    replies: chat.getByTestId("assistant-message"),
    questions: chat.getByTestId("user-message"),
    lastReply: chat.getByTestId("assistant-message").last(),
    meter: page.getByTestId("context-meter"),
    inspector: page.getByRole("dialog", { name: "Inspect this reply" }),
  };
}

/** Record every status the replies go through (to see "streaming" even when a reply is short). */
async function recordStatuses(page: Page) {
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { __statuses: string[] }).__statuses = seen;
    new MutationObserver(() => {
      document.querySelectorAll<HTMLElement>('[data-testid="assistant-message"]').forEach((el) => {
        const s = el.dataset.status ?? "";
        if (seen.at(-1) !== s) seen.push(s);
      });
    }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-status"] });
  });
}
const statuses = (page: Page) => page.evaluate(() => (window as unknown as { __statuses: string[] }).__statuses);

/**
 * Keep a copy of every NDJSON line POST /api/tutor streams to the page (window.__tutorLines),
 * read from a tee of the real response: what the server sent, whatever the UI made of it.
 */
async function recordStream(page: Page) {
  await page.addInitScript(() => {
    const w = window as unknown as { __tutorLines: string[][] };
    w.__tutorLines = [];
    const original = window.fetch.bind(window);
    window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
      const response = await original(input, init);
      const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
      if (!url.endsWith("/api/tutor") || !response.body) return response;
      const [mine, theirs] = response.body.tee();
      const lines: string[] = [];
      w.__tutorLines.push(lines);
      void new Response(mine).text().then((text) => lines.push(...text.trim().split("\n")));
      return new Response(theirs, { status: response.status, statusText: response.statusText, headers: response.headers });
    };
  });
}

/** The events of the last POST /api/tutor, once its stream has ended. */
async function lastStream(page: Page): Promise<{ type: string }[]> {
  await expect.poll(() => page.evaluate(() => (window as unknown as { __tutorLines: string[][] }).__tutorLines.at(-1)?.length ?? 0)).toBeGreaterThan(0);
  const lines = await page.evaluate(() => (window as unknown as { __tutorLines: string[][] }).__tutorLines.at(-1)!);
  return lines.map((line) => JSON.parse(line));
}

/** Ask with the keyboard and wait for the reply to finish; returns the events the server streamed. */
async function ask(page: Page, question: string): Promise<{ type: string }[]> {
  const t = tutor(page);
  const before = await t.replies.count();
  await t.input.fill(question);
  await t.input.press("Enter");
  await expect(t.replies).toHaveCount(before + 1);
  await expect(t.lastReply).toHaveAttribute("data-status", "done", { timeout: 90_000 });
  return lastStream(page);
}

test.describe("tutor", () => {
  test.describe.configure({ timeout: 180_000 });
  test.beforeEach(async ({ page }) => recordStream(page));

  test("anonymous: ask → it streams → inspect → pick a token → branch → the branch appears; kept in this browser", async ({ page }) => {
    const errors = watchErrors(page);
    await page.goto("/tutor");
    const t = tutor(page);
    await expect(page.getByTestId("anonymous-hint")).toContainText("kept in this browser only");
    await expect(page.getByRole("list", { name: "Starter questions" }).getByRole("button")).not.toHaveCount(0);
    await recordStatuses(page);

    const events = await ask(page, QUESTION);
    const types = events.map((e) => e.type);
    expect(types.slice(0, 3)).toEqual(["sources", "context", "prompt"]);
    expect(types).toContain("step");
    expect(types.at(-1)).toBe("done");
    expect(await statuses(page)).toEqual(expect.arrayContaining(["streaming", "done"]));
    await expect(t.questions.last()).toHaveText(QUESTION);

    // Sources link to lesson sections; the context meter shows the prompt's use of the window.
    const sources = t.lastReply.getByRole("list", { name: "Sources" }).getByRole("link");
    await expect(sources.first()).toHaveAttribute("href", /^\/learn\/level-1\/17-temperature(#[a-z0-9-]+)?$/);
    await expect(t.meter).toHaveAttribute("data-limit", "512");
    await expect(t.meter).toContainText(/Context window: \d+ of 512 tokens/);
    await expect(t.lastReply.getByTestId("reply-meta")).toHaveAttribute("data-backend", "node");

    // Inspect: the prompt as the model saw it, the reply's tokens; pick one and branch there.
    await t.lastReply.getByRole("button", { name: "Inspect" }).click();
    await expect(t.inspector).toBeVisible();
    const inspector = t.inspector.getByTestId("inspector");
    await expect(inspector).toContainText("<|context|>");
    const tokens = inspector.getByRole("toolbar", { name: "Reply tokens" }).getByRole("button");
    await expect(tokens.first()).toBeVisible();
    await tokens.first().click();
    await expect(tokens.first()).toHaveAttribute("aria-pressed", "true");
    await expect(t.inspector.getByTestId("step-detail")).toBeVisible();
    const branch = page.waitForResponse((r) => r.url().endsWith("/api/tutor") && r.request().method() === "POST");
    await t.inspector.getByRole("button", { name: "Branch from here" }).click();
    const branchBody = JSON.parse((await (await branch).request().postData()) ?? "{}");
    expect(branchBody.forcedTokens).toHaveLength(1);
    await expect(t.inspector).toHaveCount(0);

    // The branch: a second reply to the same question, shown, labelled, with ‹ 2/2 ›.
    await expect(t.replies).toHaveCount(1);
    await expect(t.lastReply).toHaveAttribute("data-status", "done", { timeout: 90_000 });
    await expect(t.lastReply.getByTestId("branch-label")).toHaveText("Branch: another token chosen at step 1");
    await expect(t.lastReply.getByTestId("sibling-position")).toHaveText("2/2");
    await t.lastReply.getByRole("button", { name: "Previous reply" }).click();
    await expect(t.lastReply.getByTestId("sibling-position")).toHaveText("1/2");
    await expect(t.lastReply.getByTestId("branch-label")).toHaveCount(0);

    // Kept in this browser: a reload brings the conversation (and both replies) back.
    await page.reload();
    await expect(t.questions).toHaveCount(1);
    await expect(t.lastReply.getByTestId("sibling-position")).toContainText("/2");
    await page.getByRole("button", { name: "New conversation" }).click();
    await expect(t.questions).toHaveCount(0);
    expect(errors).toEqual([]);
  });

  test("inside the model: attention per layer and head and the passage it read, the logit lens, any token's fate, and agreement with the browser", async ({ page }) => {
    const errors = watchErrors(page);
    await page.goto("/tutor");
    const t = tutor(page);
    await ask(page, QUESTION);
    await t.lastReply.getByRole("button", { name: "Inspect" }).click();
    const inside = t.inspector.locator('[data-section="inside"]');
    await expect(inside.getByRole("heading", { name: "Inside the model" })).toBeVisible();
    const replay = page.waitForResponse((r) => r.url().endsWith("/api/generate") && r.request().method() === "POST");
    await inside.getByRole("button", { name: "Look inside the model" }).click();
    const body = JSON.parse((await (await replay).request().postData()) ?? "{}");
    expect(body).toMatchObject({ internals: true, model: "course-lm" });
    expect(body.forcedTokens.length).toBeGreaterThan(0);

    // Attention of the selected (first) reply token: a summary, the passage it read most, one chip per visible token.
    await expect(inside.getByTestId("attention-summary")).toContainText("the model attended most to");
    await expect(inside.getByTestId("attention-passage")).toContainText("of its attention");
    const chips = inside.getByRole("group", { name: "Attention over the tokens before it" }).locator("[data-weight]");
    expect(await chips.count()).toBeGreaterThan(10);
    const averaged = await chips.evaluateAll((els) => els.map((e) => Number(e.getAttribute("data-weight"))));
    expect(averaged.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 1);
    await inside.getByLabel("Layer").selectOption({ label: "Layer 4" });
    await inside.getByLabel("Head").selectOption({ label: "Head 2" });
    const oneHead = await chips.evaluateAll((els) => els.map((e) => Number(e.getAttribute("data-weight"))));
    expect(oneHead).not.toEqual(averaged);
    expect(oneHead.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 1);

    // The logit lens: one row per layer, one column per reply token; the keyboard moves between the tabs.
    await inside.getByRole("tab", { name: "Attention" }).focus();
    await page.keyboard.press("ArrowRight");
    await expect(inside.getByRole("tab", { name: "Logit lens" })).toHaveAttribute("aria-selected", "true");
    const lens = inside.getByTestId("logit-lens");
    await expect(lens.locator("tbody tr")).toHaveCount(4);
    await expect(lens.locator("tbody tr").last().locator("th")).toHaveText("4 (output)");

    // Any token: its probability and rank at every step, recomputed with it tracked.
    await inside.getByRole("tab", { name: "Any token" }).click();
    await inside.getByLabel(/A token or word/).fill(" the");
    await inside.getByRole("button", { name: "Show its probability" }).click();
    const fates = inside.getByTestId("any-token");
    await expect(fates).toContainText("is token");
    const steps = await t.inspector.getByTestId("inspector").getByRole("toolbar", { name: "Reply tokens" }).getByRole("button").count();
    await expect(fates.locator("tbody tr")).toHaveCount(steps);

    // Agreement: the same reply run in this page's worker, compared step by step with the server's.
    await inside.getByRole("tab", { name: "Agreement" }).click();
    await inside.getByRole("button", { name: "Run it on your browser" }).click();
    const agreed = inside.getByTestId("agreement");
    await expect(agreed).toContainText(new RegExp(`the top token agrees at ${steps} of ${steps} steps`), { timeout: 120_000 });
    await expect(agreed.locator("tbody tr")).toHaveCount(steps);
    expect(errors).toEqual([]);
  });

  test("an off-topic question gets the fixed reply from the lesson index, not the model", async ({ page }) => {
    await page.goto("/tutor");
    const t = tutor(page);
    const events = await ask(page, "How do I bake sourdough bread?");
    expect(events.map((e) => e.type)).toEqual(["sources", "fallback"]);
    await expect(t.lastReply.getByTestId("fallback-badge")).toContainText("not the model");
    await expect(t.lastReply.getByTestId("reply-text")).toContainText("I couldn't find this in the course");
    await expect(t.lastReply.getByTestId("reply-text").getByRole("link").first()).toHaveAttribute("href", /^\/learn\/level-1\//);
    await expect(t.lastReply.getByRole("button", { name: "Inspect" })).toHaveCount(0);
  });

  test("grounding: copied text is marked and links to its lesson; a reply that copied nothing says so; the fixed reply shows neither", async ({ page }) => {
    // Real course-lm replies saved as this browser keeps an anonymous conversation (replies
    // are not chosen here: the model is greedy, and the fixture's script checks their shape).
    const saved = JSON.parse(readFileSync(new URL("../fixtures/tutor/grounded-chat.json", import.meta.url), "utf8")) as { key: string; value: unknown };
    await page.addInitScript(({ key, value }) => {
      if (!localStorage.getItem(key)) localStorage.setItem(key, JSON.stringify(value));
    }, saved);
    const errors = watchErrors(page);
    await page.goto("/tutor");
    const t = tutor(page);
    await expect(t.replies).toHaveCount(3);
    const [copies, none, fallback] = [t.replies.nth(0), t.replies.nth(1), t.replies.nth(2)];

    // The reply that copies: marks are links to the passage's lesson section …
    const marks = copies.getByTestId("grounded-mark");
    await expect(marks).not.toHaveCount(0);
    const source = copies.getByRole("list", { name: "Sources" }).getByRole("link").first();
    const href = await source.getAttribute("href");
    expect(href).toMatch(/^\/learn\/level-1\/[a-z0-9-]+#[a-z0-9-]+$/);
    await expect(marks.first()).toHaveAttribute("href", href!);
    await expect(copies.getByTestId("grounding-summary")).toHaveText(/^2 of 3 sentences copied from the lessons/);
    // … whose tooltip (on hover, and on keyboard focus) names the lesson § section and quotes the sentence.
    const tooltip = copies.getByRole("tooltip").first();
    await expect(tooltip).toBeHidden();
    await marks.first().hover();
    await expect(tooltip).toBeVisible();
    await expect(tooltip).toContainText(`Copied from ${(await source.textContent())!.trim()}`);
    await expect(tooltip).toContainText("keeps the smallest set of top tokens whose probabilities add up to at least p");
    await page.mouse.move(0, 0);
    await expect(tooltip).toBeHidden();
    await marks.first().focus();
    await expect(tooltip).toBeVisible();
    await expect(marks.first()).toHaveAccessibleDescription(/^Copied from .+ § .+“.+”$/);

    // The reply that copies nothing says so; the fixed reply has neither marks nor the note.
    await expect(none.getByTestId("grounded-mark")).toHaveCount(0);
    await expect(none.getByTestId("grounding-summary")).toHaveText("Nothing in this reply was copied from the lesson passages — check it against the sources.");
    await expect(fallback.getByTestId("fallback-badge")).toBeVisible();
    await expect(fallback.getByTestId("grounded-mark")).toHaveCount(0);
    await expect(fallback.getByTestId("grounding-summary")).toHaveCount(0);

    // The inspector underlines the copied tokens; a copied token's step names its passage.
    await copies.getByRole("button", { name: "Inspect" }).click();
    const inspector = t.inspector.getByTestId("inspector");
    await expect(inspector).toContainText("copied from a passage");
    const copiedTokens = inspector.getByRole("toolbar", { name: "Reply tokens" }).locator("button[data-copied]");
    await expect(copiedTokens).not.toHaveCount(0);
    await expect(copiedTokens.first()).toHaveAccessibleName(/, copied from .+ § .+$/);
    await copiedTokens.first().click();
    await expect(t.inspector.getByTestId("step-copied")).toContainText("Copied from passage 1");
    await expect(t.inspector.getByTestId("step-copied").getByRole("link")).toHaveAttribute("href", href!);
    await page.keyboard.press("Escape");
    await expect(t.inspector).toHaveCount(0);

    // Following a mark opens the lesson at that section.
    await marks.first().click();
    await expect(page).toHaveURL((url) => url.pathname + url.hash === href);
    expect(errors).toEqual([]);
  });

  test("HTML and script in a question are shown as text, never run", async ({ page }) => {
    await page.goto("/tutor");
    const t = tutor(page);
    const hostile = `<img src=x onerror="window.__xss=1"> what is a <script>window.__xss=2</script> token? [x](javascript:window.__xss=3)`;
    await ask(page, hostile);
    await expect(t.questions.last()).toContainText('<img src=x onerror="window.__xss=1">');
    await expect(t.questions.last().locator("img, script")).toHaveCount(0);
    await expect(page.locator('a[href^="javascript:"]')).toHaveCount(0);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  });

  test("keyboard: Shift+Enter writes a new line, Enter sends", async ({ page }) => {
    await page.goto("/tutor");
    const t = tutor(page);
    await t.input.fill("What is");
    await t.input.press("Shift+Enter");
    await t.input.pressSequentially("nucleus sampling?");
    await expect(t.input).toHaveValue("What is\nnucleus sampling?");
    await t.input.press("Enter");
    await expect(t.questions.last()).toHaveText("What is\nnucleus sampling?");
    await expect(t.input).toHaveValue("");
    await expect(t.lastReply).toHaveAttribute("data-status", "done", { timeout: 90_000 });
  });

  test("signed in: conversations are saved, listed, reopened, renamed and deleted; regenerate adds a sibling", async ({ page }) => {
    const auth = new AuthPages(page);
    await auth.signUp({ name: "Tess", email: uniqueEmail("tutor"), password: "a tutor passphrase" });
    await auth.expectSignedInAs("Tess");
    await page.goto("/tutor");
    const t = tutor(page);
    await expect(page.getByTestId("anonymous-hint")).toHaveCount(0);
    const list = page.getByRole("navigation", { name: "Saved conversations" }).filter({ visible: true });
    await expect(list).toContainText("No saved conversations yet");

    const events = await ask(page, QUESTION);
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(["conversation", "sources", "context", "done", "saved"]));
    await expect(list.getByRole("button", { name: QUESTION, exact: true })).toBeVisible();

    await t.lastReply.getByRole("button", { name: "Regenerate" }).click();
    await expect(t.lastReply).toHaveAttribute("data-status", "done", { timeout: 90_000 });
    await expect(t.lastReply.getByTestId("sibling-position")).toHaveText("2/2");

    // Persisted: a fresh page lists it; opening it brings back both replies.
    await page.reload();
    await list.getByRole("button", { name: QUESTION, exact: true }).click();
    await expect(t.questions).toHaveCount(1);
    await expect(t.lastReply.getByTestId("sibling-position")).toHaveText("2/2");
    await expect(t.lastReply.getByRole("button", { name: "Inspect" })).toBeVisible();

    await list.getByRole("button", { name: `Rename “${QUESTION}”` }).click();
    await list.getByLabel("New title").fill("Temperature notes");
    await list.getByRole("button", { name: "Save" }).click();
    await expect(list.getByRole("button", { name: "Temperature notes", exact: true })).toBeVisible();

    await list.getByRole("button", { name: "Delete “Temperature notes”" }).click();
    await list.getByRole("alertdialog").getByRole("button", { name: "Delete" }).click();
    await expect(list.getByRole("button", { name: "Temperature notes", exact: true })).toHaveCount(0);
    await expect(t.questions).toHaveCount(0);
    await page.reload();
    await expect(list).toContainText("No saved conversations yet");
  });

  test("Esc stops a reply where it is; signed in, the stopped reply is saved", async ({ page }) => {
    test.setTimeout(300_000);
    const auth = new AuthPages(page);
    await auth.signUp({ name: "Stella", email: uniqueEmail("stop"), password: "a stopping passphrase" });
    await auth.expectSignedInAs("Stella");
    await page.goto("/tutor");
    const t = tutor(page);
    // In the browser's worker, where a reply takes seconds: the server writes 256 tokens of
    // course-lm in about half a second, too fast for a key press to land part-way every time.
    // (Stopping a server reply and saving it is covered in test/integration/tutor/api.test.ts.)
    await page.getByLabel("in my browser").check();
    await t.input.fill(QUESTION);
    await t.input.press("Enter");
    await expect(t.lastReply).toHaveAttribute("data-status", "done", { timeout: 240_000 });

    // A long reply (replay at temperature 2, nothing cut, ending discouraged, up to 256 tokens), stopped with Esc as
    // soon as its first words show. course-lm is small: a reply can be done within a second,
    // so when it finished before the Esc landed, try again (another sibling).
    let shownTokens = 0;
    for (let attempt = 1; attempt <= 4 && shownTokens === 0; attempt++) {
      await t.lastReply.getByRole("button", { name: "Inspect" }).click();
      const replay = t.inspector.getByRole("form", { name: "Replay with other settings" });
      await replay.getByRole("textbox", { name: "Temperature", exact: true }).fill("2");
      await replay.getByRole("textbox", { name: "Top-k", exact: true }).fill("0");
      await replay.getByRole("textbox", { name: "Top-p", exact: true }).fill("1");
      // The prompt holds the end-of-turn tokens, so the repetition penalty pushes them down too:
      // the reply keeps going instead of ending within a few tokens.
      await replay.getByRole("textbox", { name: "Repetition penalty", exact: true }).fill("2");
      await replay.getByRole("textbox", { name: "Max new tokens", exact: true }).fill("256");
      await replay.getByRole("textbox", { name: "Seed", exact: true }).fill(String(attempt));
      await replay.getByRole("button", { name: "Replay" }).click();
      await expect(t.inspector).toHaveCount(0);
      await expect(t.lastReply.getByTestId("sibling-position")).toHaveText(`${attempt + 1}/${attempt + 1}`);
      await page.waitForFunction(
        () => {
          const replies = document.querySelectorAll<HTMLElement>('[data-testid="chat"] [data-testid="assistant-message"]');
          const last = replies[replies.length - 1];
          const text = last?.querySelector('[data-testid="reply-text"]')?.textContent ?? "";
          return last?.dataset.status !== "streaming" || (text.length > 0 && !/^(Reading the lessons…|Writing…)$/.test(text));
        },
        undefined,
        { polling: "raf" },
      );
      await page.keyboard.press("Escape");
      await expect(t.lastReply).toHaveAttribute("data-status", "done");
      if (await t.lastReply.getByText(/^Stopped: the reply ends where/).isVisible()) {
        shownTokens = Number((await t.lastReply.getByTestId("reply-meta").textContent())?.match(/(\d+) tokens/)?.[1]);
      }
    }
    expect(shownTokens, "Esc stopped one of the replies part-way").toBeGreaterThan(0);
    expect(shownTokens).toBeLessThan(256);
    const position = (await t.lastReply.getByTestId("sibling-position").textContent())!;

    // Saved: after a reload the stopped sibling is there, with at least what was shown (the
    // server may have got a few tokens further before the stop reached it).
    await page.reload();
    const list = page.getByRole("navigation", { name: "Saved conversations" }).filter({ visible: true });
    await list.getByRole("button", { name: QUESTION, exact: true }).click();
    await expect(t.lastReply.getByTestId("sibling-position")).toHaveText(position);
    const savedTokens = Number((await t.lastReply.getByTestId("reply-meta").textContent())?.match(/(\d+) tokens/)?.[1]);
    expect(savedTokens).toBeGreaterThanOrEqual(shownTokens);
  });

  test("at 375 px the page fits the screen and the composer stays usable", async ({ browser }) => {
    const context = await browser.newContext({ viewport: { width: 375, height: 740 } });
    const page = await context.newPage();
    await recordStream(page);
    await page.goto("/tutor");
    await ask(page, QUESTION);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await expect(tutor(page).input).toBeInViewport();
    await tutor(page).lastReply.getByRole("button", { name: "Inspect" }).click();
    await expect(tutor(page).inspector).toBeVisible();
    await page.keyboard.press("Escape");
    await expect(tutor(page).inspector).toHaveCount(0);
    await context.close();
  });

  test("in my browser: the same turn runs in the page's worker, and the trace says so", async ({ page }) => {
    test.setTimeout(300_000);
    await page.goto("/tutor");
    const t = tutor(page);
    await page.getByLabel("in my browser").check();
    // Every live speed the reply showed while it streamed (the worker writes a token every few ms).
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { __rates: string[] }).__rates = seen;
      new MutationObserver(() => {
        const text = document.querySelector('[data-testid="live-rate"]')?.textContent;
        if (text && seen.at(-1) !== text) seen.push(text);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    await t.input.fill(QUESTION);
    const retrieval = page.waitForResponse((r) => r.url().endsWith("/api/tutor/retrieve"));
    await t.input.press("Enter");
    expect((await retrieval).status()).toBe(200);
    await expect(t.lastReply).toHaveAttribute("data-status", "done", { timeout: 240_000 });
    await expect(t.lastReply.getByTestId("reply-meta")).toHaveAttribute("data-backend", /^(wasm|webgpu)$/);
    // Live while streaming ("12 tokens · 85.3 tok/s"), then the trace's own speed in the reply's line.
    const rates = await page.evaluate(() => (window as unknown as { __rates: string[] }).__rates);
    expect(rates.some((r) => /^\d+ tokens · [\d.]+ tok\/s$/.test(r))).toBe(true);
    await expect(t.lastReply.getByTestId("live-rate")).toHaveCount(0);
    await expect(t.lastReply.getByTestId("reply-meta")).toContainText(/ · [\d.]+ tok\/s$/);
    await expect(t.lastReply.getByRole("list", { name: "Sources" }).getByRole("link").first()).toHaveAttribute("href", /17-temperature/);
    await expect(t.meter).toHaveAttribute("data-limit", "512");
  });
});
