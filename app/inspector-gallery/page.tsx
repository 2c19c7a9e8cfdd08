import type { Metadata } from "next";
import Link from "next/link";
import { PageTitle } from "@/components/ui/empty-state";
import { FIXTURES } from "./fixtures";
import { GalleryInspector } from "./gallery-inspector";

export const metadata: Metadata = {
  title: "Inspector gallery",
  robots: { index: false, follow: false },
};

/**
 * Every state of the inspector on real traces, for reviewing the design and for the e2e
 * tests. Not linked from the navigation.
 */
export default async function InspectorGalleryPage({ searchParams }: { searchParams: Promise<{ trace?: string | string[] }> }) {
  const { trace: wanted } = await searchParams;
  const fixture = FIXTURES.find((f) => f.id === wanted) ?? FIXTURES[0];
  return (
    <>
      <PageTitle
        title="Inspector gallery"
        lead="The inspector on real course-lm traces. Each one is a saved run of the decode loop; nothing here is made up."
      />
      <nav aria-label="Traces" className="mb-6">
        <ul className="flex flex-wrap gap-2">
          {FIXTURES.map((f) => (
            <li key={f.id}>
              <Link
                href={`/inspector-gallery?trace=${f.id}`}
                aria-current={f.id === fixture.id ? "page" : undefined}
                className="inline-block rounded-full border border-slate-300 px-3 py-1 text-sm font-medium text-slate-700 hover:border-brand-400 hover:text-brand-700 aria-[current=page]:border-brand-600 aria-[current=page]:bg-brand-600 aria-[current=page]:text-white dark:border-slate-700 dark:text-slate-300 dark:hover:text-brand-400 dark:aria-[current=page]:border-brand-500 dark:aria-[current=page]:bg-brand-500 dark:aria-[current=page]:text-white"
              >
                {f.title}
              </Link>
            </li>
          ))}
        </ul>
        <p className="mt-3 max-w-3xl text-sm text-slate-600 dark:text-slate-400">{fixture.description}</p>
      </nav>
      <GalleryInspector key={fixture.id} fixture={fixture} />
    </>
  );
}
