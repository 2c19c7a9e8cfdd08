import katex from "katex";
import { faqAnchor, type FaqEntry } from "@/lib/course/faq-schema";
import { FaqFilter } from "./faq-filter";
import { OpenOnHash } from "./open-on-hash";

/** Text with inline `$…$` maths rendered by KaTeX (on the server: no maths code reaches the browser). */
function WithMaths({ text }: { text: string }) {
  const parts = text.split(/(\$[^$]+\$)/g).filter(Boolean);
  return (
    <>
      {parts.map((part, i) =>
        part.startsWith("$") && part.endsWith("$") && part.length > 2 ? (
          <span key={i} dangerouslySetInnerHTML={{ __html: katex.renderToString(part.slice(1, -1), { throwOnError: false, strict: "ignore" }) }} />
        ) : (
          <span key={i}>{part}</span>
        ),
      )}
    </>
  );
}

/**
 * A lesson's common questions, each a disclosure (closed until asked, so the lesson stays short).
 * Each has an anchor the tutor's sources link to; arriving by that link opens it.
 */
export function CommonQuestions({ entries }: { entries: readonly FaqEntry[] }) {
  return (
    <section id="common-questions" aria-labelledby="common-questions-heading" className="mt-10 scroll-mt-20">
      <h2 id="common-questions-heading" className="text-2xl font-bold tracking-tight">
        Common questions
      </h2>
      <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">What learners often ask about this lesson. The tutor quotes these answers too.</p>
      <FaqFilter listId="common-questions-list" total={entries.length} />
      <div id="common-questions-list" className="mt-4 divide-y divide-slate-200 rounded-lg border border-slate-200 dark:divide-slate-800 dark:border-slate-800">
        {entries.map((entry) => (
          <details key={entry.id} id={faqAnchor(entry.id)} className="group scroll-mt-20 px-4 py-3 [&_summary::-webkit-details-marker]:hidden">
            <summary className="flex cursor-pointer list-none items-start justify-between gap-3 rounded font-medium focus-visible:outline focus-visible:outline-2 focus-visible:outline-brand-500">
              <span>
                <WithMaths text={entry.question} />
              </span>
              <span aria-hidden className="mt-0.5 text-slate-400 transition-transform group-open:rotate-90">
                ›
              </span>
            </summary>
            <p className="mt-2 text-slate-700 dark:text-slate-300">
              <WithMaths text={entry.answer} />
            </p>
          </details>
        ))}
      </div>
      <OpenOnHash />
    </section>
  );
}
