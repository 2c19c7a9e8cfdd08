import type { Metadata } from "next";
import Link from "next/link";
import { PageTitle } from "@/components/ui/empty-state";
import { LABS } from "@/lib/playground/labs";

export const metadata: Metadata = { title: "Playground" };

export default function PlaygroundPage() {
  return (
    <>
      <PageTitle
        title="Playground"
        lead="Poke the real model directly. Every lab runs on course-lm and real tokenizers, on the server or in your browser, and keeps its state in the URL so you can share what you found."
      />
      <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
        {LABS.map((lab) => (
          <li key={lab.slug}>
            <Link
              href={`/playground/${lab.slug}`}
              className="block h-full rounded-2xl border border-slate-200 p-5 transition hover:border-brand-400 hover:shadow-sm focus-visible:outline-2 focus-visible:outline-brand-500 dark:border-slate-800 dark:hover:border-brand-500"
            >
              <h2 className="font-semibold text-slate-900 dark:text-slate-100">{lab.title}</h2>
              <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">{lab.summary}</p>
            </Link>
          </li>
        ))}
      </ul>
    </>
  );
}
