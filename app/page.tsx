import Link from "next/link";

const FEATURES = [
  {
    title: "Learn the foundations",
    body: "26 short lessons on tokens, embeddings, next-token prediction, sampling, context windows and training — each with a live demo and a quiz.",
    href: "/learn",
  },
  {
    title: "Ask a tutor you can open up",
    body: "Every reply comes from a real model. Open it to see the prompt as tokens, the logits of each step and the whole sampling decision.",
    href: "/tutor",
  },
  {
    title: "Poke the model directly",
    body: "Compare real tokenizers, move the temperature and top-p sliders, measure perplexity and explore embeddings in the playground.",
    href: "/playground",
  },
];

export default function LandingPage() {
  return (
    <div className="flex flex-col gap-12 py-6 sm:py-12">
      <section className="max-w-3xl">
        <p className="mb-3 text-sm font-semibold uppercase tracking-wider text-brand-600 dark:text-brand-400">
          Level 01 — Foundations
        </p>
        <h1 className="text-4xl font-bold tracking-tight sm:text-5xl">
          See how a language model thinks, one token at a time.
        </h1>
        <p className="mt-5 text-lg text-slate-600 dark:text-slate-300">
          Glassbox is a tutor for how large language models work, built as a glass box: the tutor is itself a real
          model, and you can inspect every reply it writes — the tokenizer&apos;s tokens, the probabilities it gave
          each candidate, and exactly how the next token was chosen.
        </p>
        <div className="mt-8 flex flex-wrap gap-3">
          <Link
            href="/learn"
            className="rounded-lg bg-brand-600 px-5 py-2.5 font-medium text-white shadow-sm hover:bg-brand-700"
          >
            Start learning
          </Link>
          <Link
            href="/signup"
            className="rounded-lg border border-slate-300 px-5 py-2.5 font-medium hover:bg-slate-50 dark:border-slate-700 dark:hover:bg-slate-900"
          >
            Create an account to track progress
          </Link>
        </div>
      </section>

      <section aria-label="What you can do" className="grid gap-4 sm:grid-cols-3">
        {FEATURES.map((feature) => (
          <Link
            key={feature.href}
            href={feature.href}
            className="group rounded-xl border border-slate-200 p-5 transition hover:border-brand-400 hover:shadow-sm dark:border-slate-800 dark:hover:border-brand-500"
          >
            <h2 className="font-semibold group-hover:text-brand-600 dark:group-hover:text-brand-400">{feature.title}</h2>
            <p className="mt-2 text-sm text-slate-600 dark:text-slate-400">{feature.body}</p>
          </Link>
        ))}
      </section>

      <p className="text-sm text-slate-500 dark:text-slate-400">
        Runs entirely on this machine: the default model, <code className="font-mono">course-lm</code>, is a small
        language model trained by this project on its own course, and ships with the app.
      </p>
    </div>
  );
}
