import type { Metadata } from "next";
import { Suspense } from "react";
import { BpeLab } from "@/components/playground/bpe/bpe-lab";
import { PageTitle } from "@/components/ui/empty-state";
import { courseSections } from "@/lib/course/lessons";
import { DEFAULT_BPE_TEXT, MAX_LAB_TEXT } from "@/lib/tokenizers/bpe/lab";

export const metadata: Metadata = { title: "Train a BPE" };

/** Sample texts: the lesson's toy sentence, and two real lesson sections (read from content/ at build time). */
function presets() {
  const sections = courseSections();
  const lesson = (slug: string) =>
    sections
      .filter((s) => s.lessonSlug === slug)
      .map((s) => s.text)
      .join("\n\n")
      .slice(0, MAX_LAB_TEXT);
  return [
    { label: "sun & fun", text: DEFAULT_BPE_TEXT },
    { label: "Lesson: BPE", text: lesson("05-bpe") },
    { label: "Lesson: tokens", text: lesson("04-tokens") },
    { label: "Code", text: "def add(a, b):\n    return a + b\n\nfor i in range(10):\n    print(add(i, i))\n    print(add(i, 2 * i))\n" },
  ].filter((p) => p.text.trim() !== "");
}

export default function BpePage() {
  return (
    <>
      <PageTitle
        title="Train a BPE"
        lead="Byte-pair encoding, for real: start from the 256 bytes, merge the most frequent pair, repeat. The trainer is the one that built course-lm's tokenizer, running in a worker in your browser."
      />
      <Suspense fallback={<p className="text-sm text-slate-500">Loading the lab…</p>}>
        <BpeLab presets={presets()} />
      </Suspense>
    </>
  );
}
