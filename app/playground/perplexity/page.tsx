import type { Metadata } from "next";
import { Suspense } from "react";
import { PerplexityLab } from "@/components/playground/perplexity/perplexity-lab";
import { PageTitle } from "@/components/ui/empty-state";

export const metadata: Metadata = { title: "Perplexity meter" };

export default function PerplexityPage() {
  return (
    <>
      <PageTitle
        title="Perplexity meter"
        lead="How surprised is the model by each token of a text? Surprise is −ln p of the token that actually came; its average is the cross-entropy, and e to that power is the perplexity."
      />
      <Suspense fallback={<p className="text-sm text-slate-600 dark:text-slate-400">Loading the lab…</p>}>
        <PerplexityLab />
      </Suspense>
    </>
  );
}
