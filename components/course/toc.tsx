import type { LessonSection } from "@/lib/course/sections";

/** The lesson's sections as links to their anchors (the same anchors the tutor cites). */
export function TableOfContents({ sections, extra }: { sections: LessonSection[]; extra?: { href: string; label: string }[] }) {
  return (
    <ol className="flex flex-col gap-1 text-sm">
      {sections.map((section) => (
        <li key={section.slug} className={section.depth === 3 ? "pl-4" : undefined}>
          <a
            href={`#${section.slug}`}
            className="block rounded px-2 py-1 text-slate-600 hover:bg-slate-100 hover:text-slate-900 dark:text-slate-400 dark:hover:bg-slate-900 dark:hover:text-white"
          >
            {section.heading}
          </a>
        </li>
      ))}
      {extra?.map((item) => (
        <li key={item.href}>
          <a
            href={item.href}
            className="block rounded px-2 py-1 font-medium text-slate-700 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-900"
          >
            {item.label}
          </a>
        </li>
      ))}
    </ol>
  );
}
