import type { Metadata } from "next";
import { Suspense } from "react";
import { NextTokenLab } from "@/components/playground/next-token/next-token-lab";
import { PageTitle } from "@/components/ui/empty-state";

export const metadata: Metadata = { title: "Next token & sampling" };

export default function NextTokenPage() {
  return (
    <>
      <PageTitle
        title="Next token & sampling"
        lead="Everything a language model decides, one token at a time: its distribution over the whole vocabulary for your prompt, and how each sampling setting reshapes it before one token is drawn."
      />
      {/* useSearchParams (the lab's URL state) needs a Suspense boundary in a static page. */}
      <Suspense fallback={<p className="text-sm text-slate-600 dark:text-slate-400">Loading the lab…</p>}>
        <NextTokenLab />
      </Suspense>
    </>
  );
}
